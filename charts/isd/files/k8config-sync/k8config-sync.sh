#!/bin/bash
# clouddriver's sidecar: copies the kubeconfig Secrets that the dynamic
# accounts' clouddriver-local.yml names (paths under /opsmx/) into /opsmx.
# The file is in the dynamic-accounts repository, under
# spinnaker.gitopsHalyard.repo.dynAccntConfigPath.
GIT_CLONE_PARAM=$(cat /tmp/secret/gitcloneparam)
repo=$(cat /tmp/secret/dynamicAccRepository)
config_path='{{ Values.spinnaker.gitopsHalyard.repo.dynAccntConfigPath | toString | replace("'", "'\\''") }}'
rm -rf "$repo"
mkdir -p /opsmx
echo "cloning the dynamic accounts repository $repo"
git clone -c http.sslVerify=false $GIT_CLONE_PARAM
accounts="$repo/${config_path#/}"
for name in $(grep -io '/opsmx/[A-Za-z0-9._-]*' "${accounts%/}/clouddriver-local.yml" | sed 's|.*/opsmx/||' | sort -u); do
  kubectl get secret "$name" -o jsonpath='{.data.*}' | base64 -d > "/opsmx/$name"
  echo "synced $name"
done
