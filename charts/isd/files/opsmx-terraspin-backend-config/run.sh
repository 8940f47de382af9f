#!/bin/bash
# Terraform stage: clones the Terraform repository and runs plan, apply or
# destroy in its folder (artifact accounts from terraspinbackendconfig).
set -e
. /tmp/config/role.sh
. /tmp/config/gcloudauth.sh
rm -rf workspace && git clone -b "${branch:-master}" "$repo" workspace
cd "workspace/${location:-.}"
terraform init -input=false
case "${command:-plan}" in
  plan) terraform plan -input=false ;;
  apply) terraform apply -input=false -auto-approve ;;
  destroy) terraform destroy -input=false -auto-approve ;;
  *) echo "unknown terraform command $command"; exit 1 ;;
esac
