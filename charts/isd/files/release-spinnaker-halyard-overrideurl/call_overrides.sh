echo "namespace: $SPINNAKER_NAMESPACE"
{%- if Values.spinnaker.gitopsHalyard.enabled and not Values.global.autoConfiguration.enabled %}
# git-ops: the repository's halyard config gets the ingress hosts
for component in spin-gate-overrideurl-gitops spin-deck-overrideurl-gitops; do
  sh /tmp/autoconfig/config_overrideurl.sh "$component"
done
{%- elif Values.global.autoConfiguration.enabled %}
# auto-configuration: the load balancers' (or nodes') addresses
for component in spin-gate spin-deck; do
  sh /tmp/autoconfig/config_overrideurl.sh "$component"
done
{%- endif %}
