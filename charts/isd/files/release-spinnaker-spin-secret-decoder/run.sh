#!/bin/bash
# Replaces secret references in the halyard home with the secrets' values:
#   encrypted:SECRET:KEY       -> the value of key KEY of Secret SECRET
#   encryptedFile:SECRET:KEY   -> a file with that value, under kubeconfigdir
hal_home=/tmp/spinnaker/.hal
value_of() { kubectl get secret "$1" -o json | jq -r ".data.\"$2\"" | base64 -d; }

for file in $(grep -rl 'encrypted:' "$hal_home" | grep -v -e oes -e install -e upgrade -e values); do
  for ref in $(grep -o 'encrypted:[A-Za-z0-9._-]*:[A-Za-z0-9._-]*' "$file" | sort -u); do
    IFS=: read -r _ secret key <<<"$ref"
    value=$(value_of "$secret" "$key" | sed -e 's/[\/&|]/\\&/g')
    sed -i "s|$ref|$value|g" "$file"
    echo "replaced $secret/$key in $file"
  done
done

mkdir -p /tmp/spinnaker/kubeconfigdir
for ref in $(grep -o 'encryptedFile:[A-Za-z0-9._-]*:[A-Za-z0-9._-]*' "$hal_home/config" | sort -u); do
  IFS=: read -r _ secret key <<<"$ref"
  value_of "$secret" "$key" > "/tmp/spinnaker/kubeconfigdir/$key"
  sed -i "s|$ref|/home/spinnaker/kubeconfigdir/$key|g" "$hal_home/config"
  echo "wrote kubeconfig $key from $secret"
done
