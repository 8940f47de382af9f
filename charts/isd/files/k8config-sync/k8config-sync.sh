#!/bin/bash
# Copies the kubeconfig Secrets that the dynamic-accounts repository's
# clouddriver-local.yml names (paths under /opsmx/) into /opsmx.
GIT_CLONE_PARAM=$(cat /tmp/secret/gitcloneparam)
repo=$(cat /tmp/secret/dynamicAccRepository)
rm -rf "$repo"
mkdir -p /opsmx
git -c http.sslVerify=false clone $GIT_CLONE_PARAM
for name in $(grep -io '/opsmx/[A-Za-z0-9._-]*' "$repo/clouddriver-local.yml" | sed 's|.*/opsmx/||' | sort -u); do
  kubectl get secret "$name" -o jsonpath='{.data.*}' | base64 -d > "/opsmx/$name"
  echo "synced $name"
done
