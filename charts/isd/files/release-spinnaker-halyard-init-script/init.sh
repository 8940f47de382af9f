#!/bin/bash
# Fills the halyard home (/tmp/spinnaker/.hal) from the git-ops repository
# before halyard starts: a git/stash clone, or a copy of the S3 bucket
# (repo.type s3). Placeholders in the repository's files become this
# release's names and settings.
set -u
{%- if Values.spinnaker.gitopsHalyard.enabled %}
hal_home=/tmp/spinnaker/.hal
work=/tmp/spinnaker/checkout
{%- if Values.spinnaker.gitopsHalyard.repo.type == "s3" %}
sub_path=/  # the bucket's root is the halyard home
{%- else %}
branch='{{ Values.spinnaker.gitopsHalyard.repo.halConfigBranch }}'
sub_path='{{ Values.spinnaker.gitopsHalyard.repo.halConfigPath }}'
{%- endif %}
rm -rf "$hal_home" "$work"

redact() { if [ -n "${GIT_TOKEN:-}" ]; then sed "s/${GIT_TOKEN}/<token>/g"; else cat; fi; }

{%- if Values.spinnaker.gitopsHalyard.repo.type == "s3" %}
export AWS_ACCESS_KEY_ID="$S3_ACCESSKEY" AWS_SECRET_ACCESS_KEY="$S3_SECRETKEY" AWS_DEFAULT_REGION="$S3_REGION"
if ! aws s3 cp --recursive "s3://${S3_BUCKET}/" "$work" >/tmp/fetch.log 2>&1; then
  echo "error: cannot copy the halyard configuration from s3://${S3_BUCKET}: check s3bucket, s3region and the keys in values"
  cat /tmp/fetch.log
  exit 4
fi
{%- else %}
GIT_USER=$(echo "$GIT_USER" | sed 's/ *$//')
GIT_TOKEN=$(echo "$GIT_TOKEN" | sed 's/ *$//')
# repo.configArgs: the git setting for the clone (http.sslVerify=false by default)
if ! git -c '{{ Values.spinnaker.gitopsHalyard.repo.configArgs | toString | replace("'", "'\\''") }}' clone $GIT_CLONE_PARAM -b "$branch" "$work" >/tmp/fetch.log 2>&1; then
  echo "error: cannot clone the git-ops repository (branch $branch):"
  redact </tmp/fetch.log
  echo "check baseUrlHostName, organization, repository, username and token under spinnaker.gitopsHalyard.repo,"
  echo "or set repo.type to stash for a Bitbucket server; then run helm upgrade again or delete the halyard pod"
  exit 4
fi
{%- endif %}

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
{%- if Values.spinnaker.gitopsHalyard.repo.type == "s3" %}
# An S3 halyard home keeps S3 variants (*.s3) of clouddriver's service
# settings and of spinnakerconfig.yml, with the bucket and keys as placeholders.
settings="$hal_home/default/service-settings"
for svc in clouddriver-caching clouddriver-ro clouddriver-rw clouddriver-ro-deck; do
  cp "$settings/$svc.yml.s3" "$settings/$svc.yml"
  sed -i -e "s/AWS_ACCESS_KEY_ID/${S3_ACCESSKEY}/g" -e "s%AWS_SECRET_ACCESS_KEY%${S3_SECRETKEY}%g" "$settings/$svc.yml"
done
cp "$profiles/spinnakerconfig.yml.s3" "$profiles/spinnakerconfig.yml"
sed -i -e "s/AWS_S3_BUCKET/${S3_BUCKET}/g" -e "s/AWS_S3_REGION/${S3_REGION}/g" "$profiles/spinnakerconfig.yml"
{%- else %}
if [ -f "$profiles/spinnakerconfig.yml" ]; then
  # the repository's spinnakerconfig.yml names the branch, the credentials,
  # the dynamic-accounts repository and sapor's encryption KEY as placeholders
  sed -i -e "s/BRANCH/$branch/" -e 's/KEY/{{ Values.global.sapor.config.encrypt.key }}/' \
    -e "s/GIT_USER/${GIT_USER:-}/g" -e "s/GIT_TOKEN/${GIT_TOKEN:-}/g" \
    -e "s|DYNAMIC_ACCOUNTS_REPO|$(echo "${DYNAMIC_ACCOUNTS_REPO:-}" | sed 's/ *$//')|" \
    -e 's|DYN_ACCNT_CONFG_PATH|{{ Values.spinnaker.gitopsHalyard.repo.dynAccntConfigPath }}|g' "$profiles/spinnakerconfig.yml"
fi
# echo's profile names this Spinnaker as ISD knows it (global.CDName)
[ -f "$profiles/echo-local.yml" ] && sed -i 's/CDName/{{ Values.global.CDName }}/' "$profiles/echo-local.yml"
{%- endif %}
{%- if Values.spinnaker.gitopsHalyard.repo.type != "s3" %}
# The release's switches, applied to a git or stash halyard home.
cfg="$hal_home/config"
{%- if Values.spinnaker.gitopsHalyard.environment %}
sed -i 's/ENVIRONMENT/{{ Values.spinnaker.gitopsHalyard.environment }}/g' "$cfg"
{%- endif %}
{%- if not Values.global.ldap.enabled %}
yq -i e '.deploymentConfigurations.[].security.authn.ldap.enabled = "false"' "$cfg"
{%- endif %}
{%- if Values.global.commonGate.spinnakerRBAC %}
# Spinnaker's own authorization (fiat), with managed service accounts
yq -i e '.deploymentConfigurations.[].security.authz.enabled = "true"' "$cfg"
yq -i e '.tasks.useManagedServiceAccounts = "true"' "$profiles/orca-local.yml"
sed -i 's/false/true/' "$profiles/settings-local.js"
yq -i e '.migrations.migrateToManagedServiceAccounts = "true"' "$profiles/front50-local.yml"
{%- if Values.global.auth.saml %}
if [ "$(yq e '.fiat' "$profiles/fiat-local.yml")" = null ]; then
  yq -i e '.fiat.admin.roles += ["{{ Values.global.saporgate.config.adminGroups }}"]' "$profiles/fiat-local.yml"
else
  echo "fiat-local.yml names its admin roles already"
fi
{%- endif %}
{%- if Values.global.ldap.enabled %}
yq -i e '.fiat.admin.roles += ["{{ Values.global.saporgate.config.adminGroups }}"]' "$profiles/fiat-local.yml"
{%- endif %}
{%- else %}
yq -i e '.deploymentConfigurations.[].security.authz.enabled = "false"' "$cfg"
{%- endif %}
{%- if Values.global.commonGate.spinnakerpipelineRBAC %}
for profile in orca-local front50-local fiat-local; do
  yq -i e '.pipeline.rbac = true' "$profiles/$profile.yml"
done
{%- endif %}
{%- if Values.global.auth.saml and Values.global.commonGate.enabled and not Values.global.spinnakerUrl %}
# SAML through ISD's gate: gate and halyard take the UI's address, and
# halyard's SAML settings are gate's (less the gate-only keys) with the
# encrypted metadata and keystore references.
kubectl get secret oes-gate-config -n "$SPINNAKER_NAMESPACE" -o jsonpath='{.data.*}' | base64 -d > /tmp/gate.yml
ui_url="{{ Values.global.oesUI.protocol }}://$(yq e '.saml.redirectHostname' /tmp/gate.yml)"
echo "ISD's address: $ui_url"
yq -i e ".services.gate.baseUrl = \"$ui_url\"" /tmp/gate.yml
yq -i e ".deploymentConfigurations.[].security.apiSecurity.overrideBaseUrl = \"$ui_url\"" "$cfg"
yq e -j '.saml' /tmp/gate.yml | jq -c --arg url "$ui_url" '
  del(.enabled, .userSource, .jksSecretName, .metadataSecretName, .metadataUrl,
      .redirectBasePath, .redirectHostname, .redirectProtocol)
  + {metadataLocal: "encryptedFile:oesmetadataxml:oesmetadata.xml", serviceAddress: $url,
     keyStore: "encryptedFile:oessamljks:oessaml.jks", keyStorePassword: "encrypted:samljks-password:password"}' > /tmp/saml.json
yq e -j '.' "$cfg" | jq --slurpfile saml /tmp/saml.json '.deploymentConfigurations[].security.authn.saml += $saml[0]' > /tmp/config.json
yq e -P /tmp/config.json > "$cfg"
yq -i e '.deploymentConfigurations.[].security.authn.saml.enabled = "true"' "$cfg"
sleep 30
kubectl delete secret oes-gate-config -n "$SPINNAKER_NAMESPACE"
kubectl create secret generic oes-gate-config --from-file=/tmp/gate.yml -n "$SPINNAKER_NAMESPACE"
kubectl delete pod -l component=gate -n "$SPINNAKER_NAMESPACE"
{%- elif Values.global.auth.saml and Values.global.commonGate.enabled and Values.global.spinnakerUrl %}
yq -i e '.deploymentConfigurations.[].security.authn.saml.enabled = "true"' "$cfg"
{%- else %}
yq -i e '.deploymentConfigurations.[].security.authn.saml.enabled = "false"' "$cfg"
{%- endif %}
{%- if Values.global.spinnakerUrl %}
# Spinnaker behind ISD's host: gate under /gate, deck on its own host
yq -i e '.deploymentConfigurations.[].security.apiSecurity.overrideBaseUrl = "{{ Values.global.oesUI.protocol }}://{{ Values.global.oesUI.host }}/gate"' "$cfg"
yq -i e '.deploymentConfigurations.[].security.uiSecurity.overrideBaseUrl = "{{ Values.global.spinDeck.protocol }}://{{ Values.global.spinDeck.host }}"' "$cfg"
touch "$profiles/settings-local.js"
if ! grep -q uiUrl "$profiles/settings-local.js"; then
  echo "deck's settings-local.js: ISD's address"
  echo 'var uiUrl = "{{ Values.global.oesUI.protocol }}://{{ Values.global.oesUI.host }}";' >> "$profiles/settings-local.js"
fi
{%- endif %}
{%- if Values.global.stormdriver %}
# stormdriver routes to deck and gate under ISD's host
yq -i e '.services.deck.baseUrl = "{{ Values.global.oesUI.protocol }}://{{ Values.global.oesUI.host }}/deck"' "$profiles/stormdriver-spinnaker.yml"
yq -i e '.services.gate.baseUrl = "{{ Values.global.oesUI.protocol }}://{{ Values.global.oesUI.host }}/gate"' "$profiles/stormdriver-spinnaker.yml"
{%- if Values.global.commonGate.spinnakerRBAC %}
yq -i e '.services.fiat.enabled = true' "$profiles/spinnaker.yml"
{%- endif %}
{%- else %}
# without stormdriver the repository's override profiles are not used
rm -f "$profiles/orca-overrides.yml" "$profiles/fiat-overrides.yml" "$profiles/gate-overrides.yml" "$profiles/spinnaker.yml"
{%- endif %}
{%- endif %}

mkdir -p /tmp/config
echo 'server.address: 0.0.0.0' > /tmp/config/halyard-local.yml
[ -f "$hal_home/halyard.yaml" ] && cp "$hal_home/halyard.yaml" /tmp/config/
{%- else %}
# No git-ops: halyard's own config, and the service settings and profiles
# of this release's ConfigMaps (mounted by the StatefulSet).
hal_home=/tmp/spinnaker/.hal
mkdir -p /tmp/config "$hal_home/default"
cp /opt/halyard/config/* /tmp/config/
echo 'server.address: 0.0.0.0' > /tmp/config/halyard-local.yml
for dir in service-settings:service-settings additionalProfileConfigMaps:profiles; do
  rm -rf "$hal_home/default/${dir#*:}"
  mkdir -p "$hal_home/default/${dir#*:}"
  cp "/tmp/${dir%%:*}"/* "$hal_home/default/${dir#*:}/"
done
rm -rf "$hal_home/.boms"
{%- endif %}

# Files the repository keeps encrypted (pipeline promotion, cluster config,
# *.enc integrations) are decrypted with the jasypt key of Secret bootstrap.
key=$(kubectl get secret bootstrap -n "$SPINNAKER_NAMESPACE" -o jsonpath='{.data.bootstrap\.yml}' | base64 -d | yq e '.jasypt.encryptor.password' -)
decrypt() { java -cp "Decryptor.jar:/home/spinnaker/java-lib/*" Decryptor "$key" "$@"; }
if [ -n "$key" ] && [ "$key" != null ]; then
  for dir in pipeline-promotion clusterconfig; do
    [ -d "/tmp/spinnaker/$dir" ] || continue
    for f in /tmp/spinnaker/"$dir"/*; do decrypt "$f"; done
    mkdir -p "/tmp/spinnaker/$dir-decrypted"
    mv /tmp/spinnaker/"$dir"/*decrypted.yaml "/tmp/spinnaker/$dir-decrypted/" 2>/dev/null
    kubectl apply -n "$SPINNAKER_NAMESPACE" -f "/tmp/spinnaker/$dir-decrypted/"
  done
  for f in "$hal_home"/*.enc; do
    [ -f "$f" ] && decrypt "$f" json
  done
  if [ -d "$hal_home/decrypted" ]; then
    cp "$hal_home"/decrypted/* "$hal_home/" && rm -rf "$hal_home/decrypted" "$hal_home"/*.enc
  fi
fi
exit 0
