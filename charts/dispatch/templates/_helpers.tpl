{#- Names and labels of Dispatch's own objects, as the public Dispatch
    chart (mesosphere/charts stable/dispatch 0.4.2) names them. -#}

{#- <release>-dispatch, or the release name when it holds "dispatch". -#}
{%- define "dispatch.fullname" -%}
{%- if Release.Name | contains(Chart.Name) -%}
{{ Release.Name | trunc(63) | trimSuffix("-") }}
{%- else -%}
{{ (Release.Name ~ "-" ~ Chart.Name) | trunc(63) | trimSuffix("-") }}
{%- endif -%}
{%- enddefine -%}

{#- Dispatch selects its pods by `component` alone. ctx: dict(root, component). -#}
{%- define "dispatch.selectorLabels" -%}
component: {{ ctx.component }}
{%- enddefine -%}

{%- define "dispatch.labels" -%}
{{ include("dispatch.selectorLabels", ctx) }}
app.kubernetes.io/name: {{ ctx.root.Chart.Name }}
helm.sh/chart: {{ ctx.root.Chart.Name }}-{{ ctx.root.Chart.Version }}
app.kubernetes.io/instance: {{ ctx.root.Release.Name }}
app.kubernetes.io/version: {{ ctx.root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ ctx.root.Release.Service }}
{%- enddefine -%}

{#- Objects the Dispatch CLI finds as its catalog. -#}
{%- define "dispatch.catalogLabels" -%}
dispatch.d2iq.io/catalog: "true"
app.kubernetes.io/instance: {{ Release.Name }}
app.kubernetes.io/managed-by: {{ Release.Service }}
{%- enddefine -%}

{#- ServiceAccounts of the event sink and the repository controller; the
    product names one after the release, the other after the namespace. -#}
{%- define "dispatch.cloudbuildRunner" -%}
{{ Release.Name }}-cloudbuild-runner
{%- enddefine -%}

{%- define "dispatch.repositoryController" -%}
{{ Release.Namespace }}-repository-controller
{%- enddefine -%}

{#- The watched namespaces, without duplicates ([] = the whole cluster). -#}
{%- define "dispatch.watchNamespaces" -%}
{{ (Values.dispatch.watchNamespaces or []) | uniq | toJson }}
{%- enddefine -%}

{#- S3 endpoint: the s3-us-east-1 alias of MinIO in the release namespace
    (a region-style host name, which S3 clients expect). -#}
{%- define "dispatch.s3Host" -%}
s3-us-east-1.{{ Release.Namespace }}
{%- enddefine -%}

{#- Chart-level checks (see checks.yaml): one problem per line. -#}
{%- define "dispatch.checks" -%}
{%- set dns = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$" -%}
{%- for ns in (Values.dispatch.watchNamespaces or []) %}
{%- if not (ns | toString | regexMatch(dns)) %}
dispatch.watchNamespaces[{{ loop.index0 }}]: {{ ns | toJson }} breaks the rule "a namespace name is a DNS-1123 label (lowercase a-z, 0-9 and '-', starting and ending with a letter or digit, at most 63)"; rename it, e.g. {{ ns | toString | lower | regexReplaceAll("[^a-z0-9-]+", "-") | trimAll("-") | trunc(63) | default("dispatch-work") | toJson }}
{%- endif %}
{%- endfor %}
{%- for key in ["eventSink", "controller"] %}
{%- set r = Values[key].replicas %}
{%- if r is not integer or r < 0 %}
{{ key }}.replicas: {{ r | toJson }} breaks the rule "replicas is a whole number >= 0"; set it to 0 or more
{%- endif %}
{%- endfor %}
{%- if (Values.buildkit or {}).enabled %}
buildkit.enabled: true breaks the rule "the BuildKit daemon of Dispatch 1.2.2 is off (its objects are not public, so this chart cannot render them)"; set buildkit.enabled=false, as the 1.2.2 addon does, and build images with your pipeline's own builder (e.g. kaniko)
{%- endif %}
{%- enddefine -%}
