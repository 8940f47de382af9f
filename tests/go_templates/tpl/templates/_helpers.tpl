{{- define "tpl.name" -}}{{ .Chart.Name }}-{{ .Release.Name }}{{- end -}}
{{- define "tpl.render" -}}
{{- if typeIs "string" .value }}{{ tpl .value .context }}{{ else }}{{ tpl (.value | toYaml) .context }}{{ end -}}
{{- end -}}
