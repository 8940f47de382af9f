{{/* Keys of the dict named like functions: a Go template still calls the functions. */}}
{{- define "scope.keys" -}}
list: {{ list .list .default | toJson }}
default: {{ default "d" .default }}
quote: {{ quote .quote }}
tpl: {{ tpl .tpl .ctx }}
{{- end -}}
{{/* Prints nil: include returns Go's "<no value>", which a checksum sees. */}}
{{- define "scope.nil" -}}
a: {{ .Values.nothing }}
{{- end -}}
