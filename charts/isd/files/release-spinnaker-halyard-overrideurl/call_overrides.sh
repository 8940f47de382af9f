echo "namespace: $SPINNAKER_NAMESPACE"
for component in spin-gate-overrideurl-gitops spin-deck-overrideurl-gitops; do
  sh /tmp/autoconfig/config_overrideurl.sh "$component"
done
