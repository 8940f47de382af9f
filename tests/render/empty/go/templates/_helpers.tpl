{{- define "empty.thing" -}}
kind: ConfigMap
{{- end }}
