{%- define "minio.fullname" -%}
{{ (Release.Name ~ "-minio") | trunc(63) | trimSuffix("-") }}
{%- enddefine -%}

{#- Only the release is read, so the parent chart can select MinIO's pods
    (its s3-us-east-1 alias) with include("minio.selectorLabels", ctx). -#}
{%- define "minio.selectorLabels" -%}
app.kubernetes.io/name: minio
app.kubernetes.io/instance: {{ Release.Name }}
{%- enddefine -%}

{%- define "minio.labels" -%}
helm.sh/chart: {{ Chart.Name }}-{{ Chart.Version }}
{{ include("minio.selectorLabels", ctx) }}
app.kubernetes.io/managed-by: {{ Release.Service }}
{%- enddefine -%}

{#- The Secret holding accesskey/secretkey: global.s3ExistingSecret, else
    existingSecret, else the one this chart renders. -#}
{%- define "minio.secretName" -%}
{{ (Values.global.s3ExistingSecret if Values.global else "") or Values.existingSecret or include("minio.fullname", ctx) }}
{%- enddefine -%}

{%- define "minio.image" -%}
{{ Values.image.repository }}:{{ Values.image.tag }}
{%- enddefine -%}

{#- Container env: the credentials from the Secret. -#}
{%- define "minio.credentialsEnv" -%}
- name: MINIO_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include("minio.secretName", ctx) }}
      key: {{ Values.existingSecretKeys.accessKey if include("minio.secretName", ctx) != include("minio.fullname", ctx) else "accesskey" }}
- name: MINIO_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include("minio.secretName", ctx) }}
      key: {{ Values.existingSecretKeys.secretKey if include("minio.secretName", ctx) != include("minio.fullname", ctx) else "secretkey" }}
{%- enddefine -%}

{#- Chart-level checks (see checks.yaml): one problem per line. -#}
{%- define "minio.checks" -%}
{%- set p = "" if Chart.IsRoot else Chart.Name ~ "." -%}
{%- set r = Values.replicas -%}
{%- if Values.mode == "distributed" and (r is not integer or r < 4 or r > 32 or r % 2 != 0) %}
{{ p }}replicas: {{ r | toJson }} breaks the rule "distributed MinIO runs an even number of servers from 4 to 32" (erasure coding splits each object over pairs of drives); set {{ p }}replicas to 4, 6, 8, ... or 32, e.g. --set {{ p }}replicas={{ min(max((r if r is integer else 4) // 2 * 2, 4), 32) }}, or use {{ p }}mode=standalone
{%- endif %}
{%- enddefine -%}

{#- The probes of stable/minio 2.5.14, on the S3 port. -#}
{%- define "minio.probes" -%}
livenessProbe:
  httpGet:
    path: /minio/health/live
    port: service
    scheme: HTTP
  initialDelaySeconds: 5
  periodSeconds: 30
  timeoutSeconds: 1
  successThreshold: 1
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /minio/health/ready
    port: service
  initialDelaySeconds: 5
  periodSeconds: 15
  timeoutSeconds: 1
  successThreshold: 1
  failureThreshold: 3
{%- enddefine -%}
