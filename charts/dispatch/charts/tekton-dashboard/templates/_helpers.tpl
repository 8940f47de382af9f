{#- The dashboard's pods are selected by `app` alone, as Dispatch's
    tekton-dashboard chart selects them. -#}
{%- define "tekton-dashboard.selectorLabels" -%}
app: tekton-dashboard
{%- enddefine -%}

{%- define "tekton-dashboard.labels" -%}
{{ include("tekton-dashboard.selectorLabels", ctx) }}
helm.sh/chart: {{ Chart.Name }}-{{ Chart.Version }}
app.kubernetes.io/instance: {{ Release.Name }}
app.kubernetes.io/part-of: tekton-dashboard
app.kubernetes.io/managed-by: {{ Release.Service }}
{%- enddefine -%}

{#- The product names its Ingress after Dispatch's fullname as seen from
    this chart (<release>-tekton-dashboard) plus "-tekton-dashboard". -#}
{%- define "tekton-dashboard.ingressName" -%}
{%- set base = Release.Name if Release.Name | contains(Chart.Name) else Release.Name ~ "-" ~ Chart.Name -%}
{{ (base | trunc(63) | trimSuffix("-")) ~ "-tekton-dashboard" }}
{%- enddefine -%}
