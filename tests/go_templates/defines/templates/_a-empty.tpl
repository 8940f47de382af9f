{{- define "empty.later" }}{{ end }}
