{{/* a partial with top-level code that only works with another dot (minio's _helper_policy.tpl): Helm never renders partials */}}
{{- $n := len .statements }}
{
  "count": {{ $n }}
}
