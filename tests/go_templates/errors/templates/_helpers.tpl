{{- define "errors.deep" -}}
{{ .missing.field }}
{{- end -}}
{{- define "errors.required" -}}
{{ required "inner value is required" .nothing }}
{{- end -}}
