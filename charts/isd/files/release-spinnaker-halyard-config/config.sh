# halyard settings of this release (sourced by install.sh with HAL_COMMAND set)
$HAL_COMMAND config version edit --version {{ Values.spinnaker.halyard.spinnakerVersion }}
{%- if Values.global.minio.enabled %}

# front50 storage: the release's MinIO, in bucket global.minio.defaultBucket.name
echo '{{ Values.global.minio.secretKey }}' | $HAL_COMMAND config storage s3 edit \
  --endpoint http://{{ Release.Name }}-minio:9000 --bucket '{{ Values.global.minio.defaultBucket.name }}' \
  --path-style-access true --access-key-id '{{ Values.global.minio.accessKey }}' --secret-access-key
$HAL_COMMAND config storage edit --type s3
{%- endif %}

add_or_edit() {  # PROVIDER ACCOUNT ARGS...: add the account, or edit it when halyard has it
  provider=$1 account=$2; shift 2
  if $HAL_COMMAND config provider "$provider" account get "$account" >/dev/null 2>&1; then verb=edit; else verb=add; fi
  $HAL_COMMAND config provider "$provider" account $verb "$account" "$@"
}
$HAL_COMMAND config provider docker-registry enable
{%- for registry in Values.spinnaker.dockerRegistries %}
add_or_edit docker-registry '{{ registry.name }}' --address '{{ registry.address }}'
{%- if registry.repositories %} \
  --repositories '{{ registry.repositories | join(",") }}'
{%- endif %}
{%- endfor %}

# one kubernetes account per context of spinnaker.kubeConfig.contexts
$HAL_COMMAND config provider kubernetes enable
{%- for context in Values.spinnaker.kubeConfig.contexts %}
add_or_edit kubernetes '{{ context }}' --docker-registries dockerhub --context '{{ context }}' \
{%- if Values.spinnaker.kubeConfig.enabled %}
  --kubeconfig-file /opt/kube/{{ Values.spinnaker.kubeConfig.secretKey }} \
{%- else %}
  --service-account true \
{%- endif %}
{%- if Values.spinnaker.kubeConfig.onlySpinnakerManaged.enabled %}
  --only-spinnaker-managed true \
{%- endif %}
  --omit-namespaces={{ Values.spinnaker.kubeConfig.omittedNameSpaces | join(",") }} --provider-version v2
{%- endfor %}

# Spinnaker is deployed into this namespace through the account of
# spinnaker.kubeConfig.deploymentContext
$HAL_COMMAND config deploy edit --account-name '{{ Values.spinnaker.kubeConfig.deploymentContext }}' --type distributed --location {{ Release.Namespace }}
{%- if Values.spinnaker.enableHA %}
$HAL_COMMAND config deploy ha clouddriver enable
$HAL_COMMAND config deploy ha echo enable
{%- endif %}

# LDAP login (the release's OpenLDAP unless global.installOpenLdap is off)
{%- if Values.global.ldap.enabled %}
{%- if Values.global.installOpenLdap %}
$HAL_COMMAND config security authn ldap edit --url ldap://{{ Release.Name }}-openldap:389 --user-dn-pattern 'cn={0},dc=example,dc=org'
{%- else %}
$HAL_COMMAND config security authn ldap edit --url '{{ Values.global.ldap.url }}' --user-dn-pattern '{{ Values.global.ldap.userDnPattern }}'
$HAL_COMMAND config security authn ldap edit --manager-dn '{{ Values.global.ldap.managerDn }}' --manager-password '{{ Values.global.ldap.managerPassword }}'
{%- endif %}
$HAL_COMMAND config security authn ldap enable
{%- else %}
$HAL_COMMAND config security authn ldap disable
{%- endif %}
{%- if Values.global.commonGate.spinnakerRBAC %}
$HAL_COMMAND config security authz enable
{%- else %}
$HAL_COMMAND config security authz disable
{%- endif %}
{%- if not Values.spinnaker.gitopsHalyard.enabled %}

# deck's and gate's external addresses (with git-ops the repository's
# config has them)
{%- if Values.global.autoConfiguration.enabled %}
deck_ip=$(kubectl get svc spin-deck-lb -o jsonpath='{.status.loadBalancer.ingress[].ip}')
[ -n "$deck_ip" ] && $HAL_COMMAND config security ui edit --no-validate --override-base-url "{{ Values.global.spinDeck.protocol }}://$deck_ip:9000"
gate_ip=$(kubectl get svc {{ "oes-gate" if Values.global.commonGate.enabled else "spin-gate-lb" }} -o jsonpath='{.status.loadBalancer.ingress[].ip}')
[ -n "$gate_ip" ] && $HAL_COMMAND config security api edit --no-validate --override-base-url "{{ Values.global.spinGate.protocol }}://$gate_ip:8084"
{%- else %}
$HAL_COMMAND config security ui edit --no-validate --override-base-url '{{ Values.global.spinDeck.protocol }}://{{ Values.global.spinDeck.host }}{{ (":" ~ Values.global.spinDeck.port) if Values.global.spinDeck.port else "" }}'
{%- if Values.global.commonGate.enabled %}
$HAL_COMMAND config security api edit --no-validate --override-base-url '{{ Values.global.oesGate.protocol }}://{{ Values.global.oesGate.host }}{{ (":" ~ Values.global.oesGate.port) if Values.global.oesGate.port else "" }}'
{%- else %}
$HAL_COMMAND config security api edit --no-validate --override-base-url '{{ Values.global.spinGate.protocol }}://{{ Values.global.spinGate.host }}{{ (":" ~ Values.global.spinGate.port) if Values.global.spinGate.port else "" }}'
{%- endif %}
{%- endif %}
{%- endif %}
{%- for feature in Values.spinnaker.spinnakerFeatureFlags %}
$HAL_COMMAND config features edit --{{ feature }} true
{%- endfor %}
