#!/bin/bash
# Creates the sample application and its pipelines in Spinnaker with spin,
# once gate answers, from the pipeline files of the git-ops repository.
spin="spin --config /tmp/spinnaker/config"
until $spin application list >/dev/null 2>&1; do echo "waiting for spinnaker gate"; sleep 15; done
dir=/tmp/samples
git -c http.sslVerify=false clone "$(cat /tmp/secret/gitcloneparam 2>/dev/null || echo https://github.com/OpsMx/sample-pipelines.git)" "$dir" || exit 0
for app in "$dir"/applications/*.json; do
  [ -f "$app" ] && $spin application save --file "$app"
done
for pipe in "$dir"/pipelines/*.json; do
  [ -f "$pipe" ] && $spin pipeline save --file "$pipe"
done
echo "sample applications imported"
