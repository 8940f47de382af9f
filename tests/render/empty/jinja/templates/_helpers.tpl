{%- define "empty.thing" -%}
kind: ConfigMap
{%- enddefine %}
