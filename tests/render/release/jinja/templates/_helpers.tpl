{%- define "release.fullname" -%}
{%- if Release.Name | contains(Chart.Name) -%}
{{ Release.Name | trunc(63) | trimSuffix("-") }}
{%- else -%}
{{ printf("%s-%s", Release.Name, Values.nameOverride | default(Chart.Name)) | trunc(63) | trimSuffix("-") }}
{%- endif -%}
{%- enddefine -%}
