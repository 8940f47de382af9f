{# Expand the name of the chart. #}
{%- define "funcs.name" -%}
{{- Values.nameOverride | default(Chart.Name) | trunc(63) | trimSuffix("-") }}
{%- enddefine %}

{%- define "funcs.fullname" -%}
{%- if Values.fullnameOverride %}
{{- Values.fullnameOverride | trunc(63) | trimSuffix("-") }}
{%- else %}
{{- printf("%s-%s", Release.Name, include("funcs.name", ctx)) | trunc(63) | trimSuffix("-") }}
{%- endif %}
{%- enddefine %}

{%- define "funcs.labels" -%}
helm.sh/chart: {{ printf("%s-%s", Chart.Name, Chart.Version) }}
{{ include("funcs.selectorLabels", ctx) }}
app.kubernetes.io/managed-by: {{ Release.Service }}
{%- enddefine %}

{%- define "funcs.selectorLabels" -%}
app.kubernetes.io/name: {{ include("funcs.name", ctx) }}
app.kubernetes.io/instance: {{ Release.Name }}
{%- enddefine %}

{%- define "funcs.item" -%}
item: {{ ctx }}
{%- enddefine %}

{%- define "funcs.pair" -%}
{{ key }}={{ ctx.value }}
{%- enddefine %}
