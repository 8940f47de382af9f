{#-
  Shared named templates. Most take a dict with `root` (the chart root, for
  Values/Release/Chart) and the component's `name`, because ISD objects keep
  the fixed names the services use to find each other (oes-sapor,
  spin-gate, …) rather than release-prefixed ones.
-#}

{#- Labels of every object. Params: root, name, component. -#}
{%- define "isd.labels" -%}
app.kubernetes.io/name: {{ name }}
app.kubernetes.io/instance: {{ root.Release.Name }}
app.kubernetes.io/component: {{ component }}
app.kubernetes.io/part-of: isd
app.kubernetes.io/version: {{ root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ root.Release.Service }}
helm.sh/chart: {{ root.Chart.Name }}-{{ root.Chart.Version }}
{%- for k, v in root.Values.global.commonLabels | items %}
{{ k }}: {{ v | toString | quote }}
{%- endfor %}
{%- enddefine %}

{#- Selector labels: stable across upgrades (no version). Params: root, name. -#}
{%- define "isd.selectorLabels" -%}
app.kubernetes.io/name: {{ name }}
app.kubernetes.io/instance: {{ root.Release.Name }}
{%- enddefine %}

{#- registry/repository:tag. Params: root, image (repository, optional
    registry and tag), tag (fallback tag). -#}
{%- define "isd.image" -%}
{{ image.registry | default(root.Values.global.imageRegistry) }}/{{ image.repository }}:{{ image.tag | default(tag) | default(root.Chart.AppVersion) }}
{%- enddefine %}

{#- The gate SAPOR calls: sapor-gate (basic auth) when enabled, else spin-gate. -#}
{%- define "isd.saporGateUrl" -%}
{%- if Values.saporgate.enabled %}http://sapor-gate:8084{% else %}http://spin-gate:8084{% endif %}
{%- enddefine %}

{#- Name of the Secret holding a credential: the user's existing Secret, or
    the chart's. Params: c (values block with existingSecret), name. -#}
{%- define "isd.secretName" -%}
{{ c.existingSecret | default(name) }}
{%- enddefine %}

{#- Pod anti-affinity spreading one service's replicas over nodes (HA).
    Params: root, name. -#}
{%- define "isd.antiAffinity" -%}
podAntiAffinity:
{%- if root.Values.ha.antiAffinity == "hard" %}
  requiredDuringSchedulingIgnoredDuringExecution:
  - topologyKey: kubernetes.io/hostname
    labelSelector:
      matchLabels:
        {{- include("isd.selectorLabels", ctx) | nindent(8) }}
{%- else %}
  preferredDuringSchedulingIgnoredDuringExecution:
  - weight: 100
    podAffinityTerm:
      topologyKey: kubernetes.io/hostname
      labelSelector:
        matchLabels:
          {{- include("isd.selectorLabels", ctx) | nindent(10) }}
{%- endif %}
{%- enddefine %}

{#- The controller's CA certificate (never its key) as a trust bundle, for
    the pods that call the controller: SAPOR and the Spinnaker services. -#}
{%- define "isd.trustBundleVolume" -%}
- name: isd-ca-bundle
  secret:
    secretName: ca-secret
    items:
    - key: tls.crt
      path: ca.crt
{%- enddefine %}
{%- define "isd.trustBundleMount" -%}
- name: isd-ca-bundle
  mountPath: /etc/isd/trust
  readOnly: true
{%- enddefine %}

{#- A ClusterIP (or other) Service. Params: root, name, component, ports
    (list of [name, port]), optional type, annotations, selector (defaults
    to name). -#}
{%- define "isd.service" -%}
apiVersion: v1
kind: Service
metadata:
  name: {{ name }}
  namespace: {{ root.Release.Namespace }}
  labels:
    {{- include("isd.labels", ctx) | nindent(4) }}
{%- if annotations %}
  annotations:
    {{- annotations | toYaml | nindent(4) }}
{%- endif %}
spec:
  type: {{ type | default("ClusterIP") }}
  selector:
    {{- include("isd.selectorLabels", dict("root", root, "name", selector | default(name))) | nindent(4) }}
  ports:
{%- for p in ports %}
  - name: {{ p[0] }}
    port: {{ p[1] }}
    targetPort: {{ p[0] }}
    protocol: TCP
{%- endfor %}
{%- enddefine %}

{#-
  A Deployment running one container. Params:
    root, name, component, c (the values block: image, resources, env,
    nodeSelector, tolerations, podAnnotations), replicas, ports (list of
    [name, port]), tag (fallback image tag), probe (an HTTP path, or empty
    for a TCP check on the first port), ha (anti-affinity), and optional
    YAML fragments env, mounts, volumes, args.
-#}
{%- define "isd.deployment" -%}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ name }}
  namespace: {{ root.Release.Namespace }}
  labels:
    {{- include("isd.labels", ctx) | nindent(4) }}
spec:
  replicas: {{ replicas }}
  selector:
    matchLabels:
      {{- include("isd.selectorLabels", ctx) | nindent(6) }}
  template:
    metadata:
      labels:
        {{- include("isd.labels", ctx) | nindent(8) }}
{%- if c.podAnnotations %}
      annotations:
        {{- c.podAnnotations | toYaml | nindent(8) }}
{%- endif %}
    spec:
      {{- include("isd.podCommon", ctx) | trim | nindent(6) }}
{%- if ha %}
      affinity:
        {{- include("isd.antiAffinity", ctx) | nindent(8) }}
{%- endif %}
      containers:
      - name: {{ name }}
        image: {{ include("isd.image", dict("root", root, "image", c.image, "tag", tag)) | quote }}
        imagePullPolicy: {{ root.Values.global.imagePullPolicy }}
{%- if args %}
        args:
        {{- args | nindent(8) }}
{%- endif %}
        ports:
{%- for p in ports %}
        - name: {{ p[0] }}
          containerPort: {{ p[1] }}
          protocol: TCP
{%- endfor %}
{%- if env or c.env %}
        env:
{%- if env %}
        {{- env | nindent(8) }}
{%- endif %}
{%- for k, v in (c.env or {}) | items %}
        - name: {{ k }}
          value: {{ v | toString | quote }}
{%- endfor %}
{%- endif %}
        {{- include("isd.probes", dict("probe", probe, "port", ports[0][0])) | trim | nindent(8) }}
        resources:
          {{- c.resources | toYaml | nindent(10) }}
        securityContext:
          allowPrivilegeEscalation: false
{%- if mounts %}
        volumeMounts:
        {{- mounts | nindent(8) }}
{%- endif %}
{%- if volumes %}
      volumes:
      {{- volumes | nindent(6) }}
{%- endif %}
{%- enddefine %}

{#- Image pull secrets, node selector and tolerations of a pod. Params:
    root, c. -#}
{%- define "isd.podCommon" -%}
{%- if root.Values.global.imagePullSecrets %}
imagePullSecrets:
  {{- root.Values.global.imagePullSecrets | toYaml | nindent(2) }}
{%- endif %}
{%- if c.nodeSelector %}
nodeSelector:
  {{- c.nodeSelector | toYaml | nindent(2) }}
{%- endif %}
{%- if c.tolerations %}
tolerations:
  {{- c.tolerations | toYaml | nindent(2) }}
{%- endif %}
securityContext:
  runAsNonRoot: true
  runAsUser: 1000
  fsGroup: 1000
{%- enddefine %}

{#- Readiness and liveness probes: HTTP GET on `probe`, or a TCP check.
    Liveness waits longer: the JVM services take a minute to start. -#}
{%- define "isd.probes" -%}
{%- for kind, delay in [["readinessProbe", 20], ["livenessProbe", 120]] %}
{{ kind }}:
{%- if probe %}
  httpGet:
    path: {{ probe }}
    port: {{ port }}
{%- else %}
  tcpSocket:
    port: {{ port }}
{%- endif %}
  initialDelaySeconds: {{ delay }}
  periodSeconds: 10
  failureThreshold: 6
{%- endfor %}
{%- enddefine %}

{#- A PodDisruptionBudget for one HA service. Params: root, name, component. -#}
{%- define "isd.pdb" -%}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ name }}
  namespace: {{ root.Release.Namespace }}
  labels:
    {{- include("isd.labels", ctx) | nindent(4) }}
spec:
  minAvailable: {{ root.Values.ha.minAvailable }}
  selector:
    matchLabels:
      {{- include("isd.selectorLabels", ctx) | nindent(6) }}
{%- enddefine %}

{#-
  A credentials Secret (DB, Redis, sapor-gate). Params: root, name,
  component, c (values block with password, existingSecret and optionally
  username). Rendered when the password comes from values; generated on
  install otherwise, and then left out on upgrade (a re-render would
  change the password under running pods): resource-policy keep stops Helm
  from deleting it when it disappears from the manifest.
-#}
{%- define "isd.credentialsSecret" -%}
{%- if not c.existingSecret and (c.password or root.Release.IsInstall) %}
apiVersion: v1
kind: Secret
metadata:
  name: {{ name }}
  namespace: {{ root.Release.Namespace }}
  labels:
    {{- include("isd.labels", ctx) | nindent(4) }}
{%- if not c.password %}
  annotations:
    helm.sh/resource-policy: keep
    isd.opsmx.io/generated: "true"
{%- endif %}
type: Opaque
data:
{%- if c.username %}
  username: {{ c.username | b64enc }}
{%- endif %}
  password: {{ (c.password or randAlphaNum(24)) | b64enc }}
{%- endif %}
{%- enddefine %}

{#- A checksum of the git-ops source settings: halyard restarts (and
    re-fetches) when they change. Param: the root. -#}
{%- define "isd.gitopsChecksum" -%}
{{ Values.gitops | toJson | sha256sum | trunc(16) }}
{%- enddefine %}
