{{- define "defines.name" -}}
{{ .Values.name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- define "defines.labels" -}}
app: {{ include "defines.name" . }}
chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}
{{/* the parent's define wins over the subchart's */}}
{{- define "shared.greeting" -}}parent{{- end -}}
{{- define "empty.later" -}}kept{{- end -}}
