{{- define "shared.greeting" -}}sub{{- end -}}
{{- define "sub.only" -}}{{ .Values.greeting }}{{- end -}}
