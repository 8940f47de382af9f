{#- Names and labels follow the upstream argo-cd chart, which the Dispatch
    docs rely on (kubectl -l app.kubernetes.io/name=argocd-server). -#}

{%- define "argo-cd.name" -%}
{{ Values.nameOverride | default(Chart.Name) | trunc(63) | trimSuffix("-") }}
{%- enddefine -%}

{#- <release>-argocd, unless the release name already holds it. -#}
{%- define "argo-cd.fullname" -%}
{%- set name = Values.nameOverride | default(Chart.Name) -%}
{%- if Values.fullnameOverride -%}
{{ Values.fullnameOverride | trunc(63) | trimSuffix("-") }}
{%- elif Release.Name | contains(name) -%}
{{ Release.Name | trunc(63) | trimSuffix("-") }}
{%- else -%}
{{ (Release.Name ~ "-" ~ name) | trunc(63) | trimSuffix("-") }}
{%- endif -%}
{%- enddefine -%}

{#- ctx: dict(root, component) with component a values key (server, …). -#}
{%- define "argo-cd.component.fullname" -%}
{{ include("argo-cd.fullname", ctx.root) }}-{{ ctx.root.Values[ctx.component].name }}
{%- enddefine -%}

{%- define "argo-cd.selectorLabels" -%}
app.kubernetes.io/name: {{ include("argo-cd.name", ctx.root) }}-{{ ctx.root.Values[ctx.component].name }}
app.kubernetes.io/instance: {{ ctx.root.Release.Name }}
{%- enddefine -%}

{%- define "argo-cd.labels" -%}
helm.sh/chart: {{ ctx.root.Chart.Name }}-{{ ctx.root.Chart.Version }}
{{ include("argo-cd.selectorLabels", ctx) }}
app.kubernetes.io/component: {{ ctx.root.Values[ctx.component].name }}
app.kubernetes.io/part-of: argocd
app.kubernetes.io/managed-by: {{ ctx.root.Release.Service }}
{%- enddefine -%}

{#- Labels of chart-wide objects (ConfigMaps, Secret, CRDs): ctx is the root. -#}
{%- define "argo-cd.commonLabels" -%}
helm.sh/chart: {{ Chart.Name }}-{{ Chart.Version }}
app.kubernetes.io/instance: {{ Release.Name }}
app.kubernetes.io/part-of: argocd
app.kubernetes.io/managed-by: {{ Release.Service }}
{%- enddefine -%}

{%- define "argo-cd.image" -%}
{{ Values.global.image.repository }}:{{ Values.global.image.tag }}
{%- enddefine -%}

{#- "true"/true: the Konvoy addon example writes enabled: "true". -#}
{%- define "argo-cd.konvoyDex.enabled" -%}
{{ (Values.konvoyDex.enabled | toString) == "true" }}
{%- enddefine -%}

{#- Flattens an Argo CD settings map into its dotted keys, as ConfigMap
    strings. ctx: dict(map, prefix, level, out, rank), out and rank shared
    dicts. `--set a.b.c=x` arrives nested, a values file's "a.b.c": x flat;
    when both spell one key, the spelling with fewer nesting levels (the
    literal dotted key, as Argo CD documents it) wins. -#}
{%- define "argo-cd.flatten" -%}
{%- for k, v in ctx.map | items -%}
{%- set key = ctx.prefix ~ k -%}
{%- if v is mapping -%}
{{- include("argo-cd.flatten", dict("map", v, "prefix", key ~ ".", "level", ctx.level + 1, "out", ctx.out, "rank", ctx.rank)) -}}
{%- elif not (ctx.rank | hasKey(key)) or (ctx.rank | get(key)) > ctx.level -%}
{%- set _ = ctx.out | set(key, v | toYaml | trimSuffix("\n") if v is sequence and v is not string else v | toString) -%}
{%- set _ = ctx.rank | set(key, ctx.level) -%}
{%- endif -%}
{%- endfor -%}
{%- enddefine -%}

{#- The flat settings of ctx (a map) as a YAML map, for ConfigMap data. -#}
{%- define "argo-cd.flatData" -%}
{%- set out = dict() -%}
{{- include("argo-cd.flatten", dict("map", ctx, "prefix", "", "level", 0, "out", out, "rank", dict())) -}}
{%- if out -%}{{ out | toYaml | trimSuffix("\n") }}{%- endif -%}
{%- enddefine -%}

{#- The flat settings as a dict-like lookup: value of dotted key ctx.key. -#}
{%- define "argo-cd.flatGet" -%}
{%- set out = dict() -%}
{{- include("argo-cd.flatten", dict("map", ctx.map, "prefix", "", "level", 0, "out", out, "rank", dict())) -}}
{{- out | get(ctx.key) -}}
{%- enddefine -%}

{#- The fixed ServiceAccount names of the argo-cd chart 1.8.7
    (<component>.serviceAccount.name). ctx: the component values key. -#}
{%- define "argo-cd.serviceAccount" -%}
{{ {"controller": "argocd-application-controller", "server": "argocd-server", "dex": "argocd-dex-server"}[ctx] }}
{%- enddefine -%}

{#- Known hosts and TLS certificates for git over SSH and HTTPS, where
    Argo CD v1.4.2 reads them. -#}
{%- define "argo-cd.configMounts" -%}
- name: ssh-known-hosts
  mountPath: /app/config/ssh
- name: tls-certs
  mountPath: /app/config/tls
{%- enddefine -%}

{%- define "argo-cd.configVolumes" -%}
- name: ssh-known-hosts
  configMap:
    name: argocd-ssh-known-hosts-cm
- name: tls-certs
  configMap:
    name: argocd-tls-certs-cm
{%- enddefine -%}
