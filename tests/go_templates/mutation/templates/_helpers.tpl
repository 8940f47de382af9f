{{- define "mutation.flags" -}}
{{- $_ := set . "serverEnabled" (and .Values.server.enabled (not .Values.disabled)) -}}
{{- $_ := set .Values.server "fullName" (printf "%s-server" .Release.Name) -}}
{{- end -}}
