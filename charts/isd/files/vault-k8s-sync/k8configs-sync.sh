#!/bin/bash
# oes-vault-sync's loop body (every 30 s): the kubeconfigs ISD keeps in Vault
# under secret/oes-sapor/kubernetes (one key per account, the file in the
# field of the same name) are fetched into /tmp/k8configs and copied into
# every clouddriver pod's /tmp/vault. VAULT_ADDR and VAULT_TOKEN come from the
# vaultsec Secret.
store=secret/oes-sapor/kubernetes
local_dir=/tmp/k8configs
if ! command -v vault >/dev/null 2>&1; then
  echo "no vault CLI in this image: nothing synced"
  exit 0
fi
mkdir -p "$local_dir"
accounts=$(vault kv list "$store" | tail -n +3)
pods=$(kubectl get pods -o name | sed -n 's|^pod/||; /clouddriver/p')
for account in $accounts; do
  if vault kv get -field="$account" "$store/$account" > "$local_dir/$account"; then
    echo "fetched the kubeconfig of account $account"
    for pod in $pods; do
      kubectl cp "$local_dir/$account" "$pod:/tmp/vault" && echo "  copied into $pod"
    done
  else
    echo "could not fetch the kubeconfig of account $account (exit $?)"
  fi
done
echo "kubeconfigs synced from vault"
