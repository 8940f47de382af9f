{{- define "leaf.name" -}}{{ .Chart.Name }}/{{ .Chart.Type }}{{- end -}}
