#!/bin/bash
# After install, registers the release's own services with ISD through the
# platform and autopilot APIs: Spinnaker (sapor-gate) as the CD integration
# and the git-ops repository as the source account.
platform=http://oes-platform:8095
until curl -fs "$platform/mgmt/health" >/dev/null; do echo "waiting for oes-platform"; sleep 10; done
user="${GATEUSER:-admin}"
post() {
  curl -s -X POST -H 'Content-Type: application/json' -H "x-spinnaker-user: $user" -d "$2" "$platform$1"
  echo
}
post /platformservice/v6/datasource '{"datasourceType":"SPINNAKER","name":"opsmx-spinnaker","configurationFields":{"endPoint":"http://sapor-gate:8084","authenticationType":"basic"}}'
post /platformservice/v6/datasource '{"datasourceType":"GITHUB","name":"opsmx-gitops","configurationFields":{"hostUrl":"https://{{ Values.spinnaker.gitopsHalyard.repo.baseUrlHostName }}"}}'
echo "datasources registered"
