{#- Pieces the Argo CD Deployments share. ctx: dict(root, component). -#}

{#- While the HPA owns the replica count the Deployment must not set one,
    or every apply would reset what the HPA scaled to. -#}
{%- define "argo-cd.replicas" -%}
{%- set c = ctx.root.Values[ctx.component] -%}
{%- if not (c.autoscaling and c.autoscaling.enabled) -%}
replicas: {{ c.replicas if c.replicas is number else 1 }}
{%- endif -%}
{%- enddefine -%}

{#- Container args: the component's own, then the user's extraArgs.
    ctx: dict(root, component, args). -#}
{%- define "argo-cd.args" -%}
{%- for a in ctx.args + (ctx.root.Values[ctx.component].extraArgs or []) -%}
{{ "\n" if not loop.first }}- {{ a | toString | quote }}
{%- endfor -%}
{%- enddefine -%}

{#- autoscaling/v2 HPA with one metric per utilisation target that is set. -#}
{%- define "argo-cd.hpa" -%}
{%- set a = ctx.root.Values[ctx.component].autoscaling -%}
{%- if a and a.enabled -%}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include("argo-cd.component.fullname", ctx) }}-hpa
  namespace: {{ ctx.root.Release.Namespace }}
  labels:
    {{- include("argo-cd.labels", ctx) | nindent(4) }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include("argo-cd.component.fullname", ctx) }}
  minReplicas: {{ a.minReplicas }}
  maxReplicas: {{ a.maxReplicas }}
  {%- if a.targetCPUUtilizationPercentage is number or a.targetMemoryUtilizationPercentage is number %}
  metrics:
  {%- endif %}
  {%- for resource, key in [["cpu", "targetCPUUtilizationPercentage"], ["memory", "targetMemoryUtilizationPercentage"]] %}
  {%- if a[key] is number %}
  - type: Resource
    resource:
      name: {{ resource }}
      target:
        type: Utilization
        averageUtilization: {{ a[key] }}
  {%- endif %}
  {%- endfor %}
{%- endif -%}
{%- enddefine -%}
