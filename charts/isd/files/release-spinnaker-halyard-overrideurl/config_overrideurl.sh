#!/bin/bash
# Points deck and gate at their external address: the load balancer's IP
# when it has one, else the node's IP and the Service's node port. The
# address goes into the halyard config (the *-gitops components) of the
# halyard home prepared by the init containers.
[ $# -eq 1 ] || { echo "usage: config_overrideurl.sh COMPONENT"; exit 1; }
component=$1
hal_config=/tmp/spinnaker/.hal/config

external_address() {  # SERVICE PORT
  ip=""
  for _ in $(seq 1 12); do
    ip=$(kubectl get svc "$1" -o jsonpath='{.status.loadBalancer.ingress[0].ip}' 2>/dev/null)
    [ -n "$ip" ] && { echo "http://$ip:$2"; return; }
    sleep 5
  done
  port=$(kubectl get svc "$1" -o jsonpath='{.spec.ports[0].nodePort}' 2>/dev/null)
  echo "http://${NODE_IP}:${port:-$2}"
}

case "$component" in
  spin-gate|spin-gate-overrideurl-gitops)
    url=$(external_address spin-gate-lb 8084)
    yq -i e ".deploymentConfigurations.[].security.apiSecurity.overrideBaseUrl = \"$url\"" "$hal_config" ;;
  spin-deck|spin-deck-overrideurl-gitops)
    url=$(external_address spin-deck-lb 9000)
    yq -i e ".deploymentConfigurations.[].security.uiSecurity.overrideBaseUrl = \"$url\"" "$hal_config" ;;
  *) echo "unknown component $component"; exit 1 ;;
esac
echo "$component: $url"
