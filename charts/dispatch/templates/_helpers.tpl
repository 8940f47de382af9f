{#- Labels of Dispatch's own objects. ctx: dict(root, component). -#}
{%- define "dispatch.selectorLabels" -%}
app.kubernetes.io/name: {{ ctx.component }}
app.kubernetes.io/instance: {{ ctx.root.Release.Name }}
{%- enddefine -%}

{%- define "dispatch.labels" -%}
helm.sh/chart: {{ ctx.root.Chart.Name }}-{{ ctx.root.Chart.Version }}
{{ include("dispatch.selectorLabels", ctx) }}
app.kubernetes.io/part-of: dispatch
app.kubernetes.io/version: {{ ctx.root.Chart.AppVersion }}
app.kubernetes.io/managed-by: {{ ctx.root.Release.Service }}
{%- enddefine -%}

{%- define "dispatch.image" -%}
{{ Values.dispatch.image.repository }}:{{ Values.dispatch.image.tag }}
{%- enddefine -%}

{#- Dispatch's ServiceAccounts by role; ctx is the root. Printed as
    "key=name" lines so templates can loop over them. -#}
{%- define "dispatch.serviceAccounts" -%}
{%- for key in ["event-sink", "repository-controller", "build-bot", "cloudbuild-runner", "report-status", "image-digest-updater"] -%}
{{ key }}={{ Release.Name }}-{{ key }}
{% endfor -%}
{%- enddefine -%}

{#- The watched namespaces, without duplicates ([] = the whole cluster). -#}
{%- define "dispatch.watchNamespaces" -%}
{{ (Values.dispatch.watchNamespaces or []) | uniq | toJson }}
{%- enddefine -%}

{#- S3 endpoint: the s3-us-east-1 alias of MinIO in the release namespace
    (a region-style host name, which S3 clients expect). -#}
{%- define "dispatch.s3Host" -%}
s3-us-east-1.{{ Release.Namespace }}.svc.cluster.local
{%- enddefine -%}

{#- Chart-level checks (see checks.yaml): one problem per line. -#}
{%- define "dispatch.checks" -%}
{%- set dns = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$" -%}
{%- for ns in (Values.dispatch.watchNamespaces or []) %}
{%- if not (ns | toString | regexMatch(dns)) %}
dispatch.watchNamespaces[{{ loop.index0 }}]: {{ ns | toJson }} breaks the rule "a namespace name is a DNS-1123 label (lowercase a-z, 0-9 and '-', starting and ending with a letter or digit, at most 63)"; rename it, e.g. {{ ns | toString | lower | regexReplaceAll("[^a-z0-9-]+", "-") | trimAll("-") | trunc(63) | default("dispatch-work") | toJson }}
{%- endif %}
{%- endfor %}
{%- for key in ["eventSink", "repositoryController"] %}
{%- set r = Values.dispatch[key].replicas %}
{%- if r is not integer or r < 0 %}
dispatch.{{ key }}.replicas: {{ r | toJson }} breaks the rule "replicas is a whole number >= 0"; set it to 0 or more
{%- endif %}
{%- endfor %}
{%- enddefine -%}
