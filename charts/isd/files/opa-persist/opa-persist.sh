#!/bin/bash
# OPA keeps policies in memory: once sapor and platform are ready, push
# every policy sapor stores back through sapor, so OPA has them again.
sapor=http://oes-sapor:8085
for _ in $(seq 1 200); do
  ready=$(kubectl get pods -n {{ Release.Namespace }} -o jsonpath='{range .items[*]}{.metadata.name}={.status.containerStatuses[*].ready}{"\n"}{end}')
  if echo "$ready" | grep -q '^oes-sapor.*=true' && echo "$ready" | grep -q '^oes-platform.*=true'; then
    for name in $(curl -s -H "x-spinnaker-user: $GATEUSER" "$sapor/oes/policy/list" | jq -r '.[].policyName'); do
      policy=$(curl -s -H "x-spinnaker-user: $GATEUSER" "$sapor/oes/policy/$name" | jq .response)
      id=$(echo "$policy" | jq .policyId)
      echo "$policy" | jq 'del(.policyId)' | curl -s -X PUT -H "x-spinnaker-user: $GATEUSER" \
        -H 'Content-Type: application/json' -d @- "$sapor/oes/v1/policy/$id"
      echo "policy $name restored"
    done
    exec sleep infinity
  fi
  echo "waiting for oes-sapor and oes-platform"
  sleep 10
done
echo "oes-sapor and oes-platform were not ready in time; policies not restored"
