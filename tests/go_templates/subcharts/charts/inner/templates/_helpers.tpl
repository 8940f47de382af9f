{{- define "inner.fullname" -}}
{{ .Release.Name }}-{{ .Chart.Name }}-{{ .Values.greeting }}
{{- end -}}
