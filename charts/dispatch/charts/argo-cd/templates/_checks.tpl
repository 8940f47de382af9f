{#- Chart-level checks: the rules values.schema.json leaves to the chart
    (ranges, relations between values, the policy.csv grammar), so that
    every broken rule is reported at once, each with its values path, the
    bad value, the rule and a fix. One problem per line; checks.yaml fails
    with all of them. ctx is the root. -#}
{%- define "argo-cd.checks" -%}
{%- set p = "" if Chart.IsRoot else Chart.Name ~ "." -%}
{%- for key in ["server", "repoServer"] %}
{%- set c = Values[key] %}
{%- set a = c.autoscaling or {} %}
{%- if a.enabled %}
{%- if a.minReplicas is not integer or a.minReplicas < 1 %}
{{ p }}{{ key }}.autoscaling.minReplicas: {{ a.minReplicas | toJson }} breaks the rule "an HPA keeps at least 1 replica"; set {{ p }}{{ key }}.autoscaling.minReplicas to 1 or more
{%- elif a.maxReplicas is integer and a.minReplicas > a.maxReplicas %}
{{ p }}{{ key }}.autoscaling.minReplicas: {{ a.minReplicas }} breaks the rule "minReplicas <= maxReplicas" (maxReplicas is {{ a.maxReplicas }}); lower it or raise {{ p }}{{ key }}.autoscaling.maxReplicas to at least {{ a.minReplicas }}
{%- endif %}
{%- if a.maxReplicas is not integer or a.maxReplicas < 1 %}
{{ p }}{{ key }}.autoscaling.maxReplicas: {{ a.maxReplicas | toJson }} breaks the rule "an HPA allows at least 1 replica"; set {{ p }}{{ key }}.autoscaling.maxReplicas to 1 or more
{%- endif %}
{%- for t in ["targetCPUUtilizationPercentage", "targetMemoryUtilizationPercentage"] %}
{%- if a[t] is not none and a[t] is defined and (a[t] is not integer or a[t] < 1 or a[t] > 100) %}
{{ p }}{{ key }}.autoscaling.{{ t }}: {{ a[t] | toJson }} breaks the rule "a utilization target is a percentage from 1 to 100"; set it within 1-100, or to null for no {{ "CPU" if "CPU" in t else "memory" }} metric
{%- endif %}
{%- endfor %}
{%- endif %}
{%- if c.replicas is defined and c.replicas is not none and (c.replicas is not integer or c.replicas < 0) %}
{{ p }}{{ key }}.replicas: {{ c.replicas | toJson }} breaks the rule "replicas is a whole number >= 0"; set {{ p }}{{ key }}.replicas to 0 or more
{%- endif %}
{%- endfor %}
{%- set rbac = dict() %}
{{- include("argo-cd.flatten", dict("map", Values.server.rbacConfig or {}, "prefix", "", "level", 0, "out", rbac, "rank", dict())) }}
{%- set d = rbac | get("policy.default") %}
{%- if d and not (d | hasPrefix("role:")) %}
{{ p }}server.rbacConfig.policy.default: {{ d | toJson }} breaks the rule "the default role is empty or a role: name"; use "role:readonly", "role:admin", "" (no access) or a role of policy.csv
{%- endif %}
{%- for line in (rbac | get("policy.csv") or "") | splitList("\n") %}
{%- set l = line | trim %}
{%- if l and not (l | hasPrefix("#")) %}
{%- set f = l | splitList(",") %}
{%- set n = f | length %}
{%- set kind = f[0] | trim %}
{%- if not ((kind == "p" and n == 6 and (f[5] | trim) in ["allow", "deny"]) or (kind == "g" and n == 3)) or (l | regexMatch(",\\s*,|,\\s*$")) %}
{{ p }}server.rbacConfig.policy.csv: line {{ loop.index }} {{ l | toJson }} breaks the rule "each line is `p, subject, resource, action, object, allow|deny` or `g, subject, role`"; rewrite it in one of those forms, or comment it out with #
{%- endif %}
{%- endif %}
{%- endfor %}
{%- for k in ["nameOverride", "fullnameOverride"] %}
{%- if Values[k] and not (Values[k] | toString | regexMatch("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")) %}
{{ p }}{{ k }}: {{ Values[k] | toJson }} breaks the rule "names are DNS-1123 labels (a-z, 0-9, '-', at most 63)"; use lowercase letters, digits and dashes
{%- endif %}
{%- endfor %}
{%- enddefine -%}
