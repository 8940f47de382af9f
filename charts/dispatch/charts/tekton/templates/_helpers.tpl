{#- ctx: dict(root, app) with app the fixed Tekton name of a component. -#}
{%- define "tekton.selectorLabels" -%}
app: {{ ctx.app }}
app.kubernetes.io/instance: {{ ctx.root.Release.Name }}
{%- enddefine -%}

{%- define "tekton.labels" -%}
helm.sh/chart: {{ ctx.root.Chart.Name }}-{{ ctx.root.Chart.Version }}
{{ include("tekton.selectorLabels", ctx) }}
app.kubernetes.io/part-of: tekton-pipelines
app.kubernetes.io/managed-by: {{ ctx.root.Release.Service }}
{%- enddefine -%}

{#- Tekton finds its own namespace (ConfigMaps, webhook) through this.
    ctx: dict(controller) - the controller also reads the artifact ConfigMaps. -#}
{%- define "tekton.systemEnv" -%}
- name: SYSTEM_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: CONFIG_LOGGING_NAME
  value: config-logging
- name: CONFIG_OBSERVABILITY_NAME
  value: config-observability
{%- if ctx.controller %}
- name: CONFIG_ARTIFACT_BUCKET_NAME
  value: config-artifact-bucket
- name: CONFIG_ARTIFACT_PVC_NAME
  value: config-artifact-pvc
{%- endif %}
- name: METRICS_DOMAIN
  value: tekton.dev/pipeline
{%- enddefine -%}
