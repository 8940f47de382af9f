#!/bin/bash
# Fills the external addresses of gate and deck into the halyard config
# (/tmp/spinnaker/.hal/config), one COMPONENT a call:
#   spin-gate-overrideurl-gitops, spin-deck-overrideurl-gitops: the git-ops
#     config's PROTOCOL / OVERRIDE_API_URL / OVERRIDE_DECK_URL placeholders
#     become the ingress hosts;
#   spin-gate, spin-deck: the placeholders become the load balancer's
#     address (or the node's IP and the node port);
#   override-gate-url, override-deck-url: the same address set through hal.
if [ $# -gt 1 ]; then
  echo "expected one argument, the component"
  exit
fi
component=$1
hal_config=/tmp/spinnaker/.hal/config
lb_wait={{ Values.spinnaker.gitopsHalyard.spinnakerLBCheckDelay }}  # seconds to wait for a load balancer address
hal="hal --daemon-endpoint http://{{ Release.Name }}-spinnaker-halyard:8064"

address() {  # LB_SERVICE NODEPORT_SERVICE PORT: print HOST:PORT
  waited=0 ip=""
  for _ in $(seq 1 100); do
    ip=$(kubectl get svc "$1" -o jsonpath='{.status.loadBalancer.ingress[].ip}')
    [ -n "$ip" ] && { echo "load balancer address of $1: $ip" >&2; break; }
    sleep 5
    waited=$((waited + 5))
    if [ "$waited" -gt "$lb_wait" ]; then
      echo "no load balancer address for $1 after ${waited}s: using the node port" >&2
      break
    fi
  done
  if [ -n "$ip" ]; then
    echo "$ip:$3"
  else
    echo "$NODE_IP:$(kubectl get svc "$2" -o jsonpath='{.spec.ports[].nodePort}')"
  fi
}

case "$component" in
  spin-gate)
    sed -i "s/OVERRIDE_API_URL/$(address spin-gate-lb spin-gate-np 8084)/g" "$hal_config" ;;
  spin-deck)
    sed -i "s/OVERRIDE_DECK_URL/$(address spin-deck-lb spin-deck-np 9000)/g" "$hal_config" ;;
  override-gate-url)
    $hal config security api edit --no-validate --override-base-url "http://$(address spin-gate-np spin-gate-np 8084)" ;;
  override-deck-url)
    $hal config security ui edit --no-validate --override-base-url "http://$(address spin-deck-np spin-deck-np 9000)" ;;
  spin-gate-overrideurl-gitops)
    echo "gate's address: the ingress host"
{%- if Values.global.ssl.enabled %}
    sed -i 's,PROTOCOL,https,g' "$hal_config"
{%- else %}
    sed -i 's,PROTOCOL,http,g' "$hal_config"
{%- endif %}
{%- if Values.global.commonGate.enabled %}
    sed -i 's,OVERRIDE_API_URL,{{ Values.global.oesUI.host }}/gate,g' "$hal_config"
{%- else %}
    sed -i 's,OVERRIDE_API_URL,{{ Values.global.spinGate.host }},g' "$hal_config"
{%- endif %}
    ;;
  spin-deck-overrideurl-gitops)
    echo "deck's address: the ingress host"
    sed -i 's,OVERRIDE_DECK_URL,{{ Values.global.oesUI.host }}/deck,g' "$hal_config" ;;
  *)
    echo "unknown component: $component" ;;
esac
