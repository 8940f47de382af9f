#!/bin/bash
# Fills the halyard home (/tmp/spinnaker/.hal) from the git-ops repository
# before halyard starts: a git/stash clone, or an S3 copy when S3_BUCKET is
# set. Placeholders in the repository's files become this release's names.
set -u
hal_home=/tmp/spinnaker/.hal
work=/tmp/spinnaker/checkout
branch='{{ Values.spinnaker.gitopsHalyard.repo.halConfigBranch }}'
sub_path='{{ Values.spinnaker.gitopsHalyard.repo.halConfigPath }}'
rm -rf "$hal_home" "$work"

redact() { if [ -n "${GIT_TOKEN:-}" ]; then sed "s/${GIT_TOKEN}/<token>/g"; else cat; fi; }

if [ -n "${S3_BUCKET:-}" ]; then
  export AWS_ACCESS_KEY_ID="$S3_ACCESSKEY" AWS_SECRET_ACCESS_KEY="$S3_SECRETKEY" AWS_DEFAULT_REGION="$S3_REGION"
  if ! aws s3 cp --recursive "s3://${S3_BUCKET}/" "$work" >/tmp/fetch.log 2>&1; then
    echo "error: cannot copy the halyard configuration from s3://${S3_BUCKET}: check s3bucket, s3region and the keys in values"
    cat /tmp/fetch.log
    exit 4
  fi
else
  GIT_USER=$(echo "$GIT_USER" | sed 's/ *$//')
  GIT_TOKEN=$(echo "$GIT_TOKEN" | sed 's/ *$//')
  if ! git -c http.sslVerify=false clone $GIT_CLONE_PARAM -b "$branch" "$work" >/tmp/fetch.log 2>&1; then
    echo "error: cannot clone the git-ops repository (branch $branch):"
    redact </tmp/fetch.log
    echo "check baseUrlHostName, organization, repository, username and token under spinnaker.gitopsHalyard.repo,"
    echo "or set repo.type to stash for a Bitbucket server; then run helm upgrade again or delete the halyard pod"
    exit 4
  fi
fi

mkdir -p "$hal_home"
cp -r "$work/${sub_path#/}/." "$hal_home/"
for dir in pipeline-promotion clusterconfig; do
  [ -d "$work/$dir" ] && cp -r "$work/$dir" "/tmp/spinnaker/$dir"
done

# A bom file in the repository pins every service's image.
if [ -r "$work/bom" ]; then
  cp "$work/bom" /tmp/spinnaker/bom
  version=$(yq e '.version' /tmp/spinnaker/bom)
  yq -i e ".deploymentConfigurations.[].version = \"$version\"" "$hal_home/config"
  for svc in $(yq e '.services | keys | .[]' /tmp/spinnaker/bom); do
    image=$(yq e ".services.$svc.image" /tmp/spinnaker/bom)
    for f in "$hal_home"/default/service-settings/"$svc"*; do
      [ -f "$f" ] && yq -i e ".artifactId = \"$image\"" "$f"
    done
  done
fi
rm -rf "$work"

profiles="$hal_home/default/profiles"
for f in "$hal_home/config" "$profiles"/*.yml "$hal_home"/default/service-settings/*.yml; do
  [ -f "$f" ] || continue
  sed -i -e "s/SPINNAKER_NAMESPACE/${SPINNAKER_NAMESPACE}/g" -e 's/RELEASE_NAME/{{ Release.Name }}/g' "$f"
done
if [ -f "$profiles/spinnakerconfig.yml" ]; then
  sed -i -e "s/BRANCH/$branch/" -e "s/GIT_USER/${GIT_USER:-}/g" -e "s/GIT_TOKEN/${GIT_TOKEN:-}/g" \
    -e "s|DYNAMIC_ACCOUNTS_REPO|$(echo "${DYNAMIC_ACCOUNTS_REPO:-}" | sed 's/ *$//')|" \
    -e 's|DYN_ACCNT_CONFG_PATH|{{ Values.spinnaker.gitopsHalyard.repo.dynAccntConfigPath }}|g' "$profiles/spinnakerconfig.yml"
fi
yq -i e '.deploymentConfigurations.[].security.authz.enabled = "false"' "$hal_home/config"
yq -i e '.deploymentConfigurations.[].security.authn.saml.enabled = "false"' "$hal_home/config"
rm -f "$profiles/orca-overrides.yml" "$profiles/fiat-overrides.yml" "$profiles/gate-overrides.yml" "$profiles/spinnaker.yml"

mkdir -p /tmp/config
echo 'server.address: 0.0.0.0' > /tmp/config/halyard-local.yml
[ -f "$hal_home/halyard.yaml" ] && cp "$hal_home/halyard.yaml" /tmp/config/
exit 0
