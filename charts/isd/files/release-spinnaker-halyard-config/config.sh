# halyard settings of this release (sourced by install.sh with HAL_COMMAND set)
$HAL_COMMAND config version edit --version {{ Values.spinnaker.halyard.spinnakerVersion }}

# front50 storage: the release's minio
echo '{{ Values.global.minio.secretKey }}' | $HAL_COMMAND config storage s3 edit \
  --endpoint http://{{ Release.Name }}-minio:9000 --bucket spinnaker --path-style-access true \
  --access-key-id '{{ Values.global.minio.accessKey }}' --secret-access-key
$HAL_COMMAND config storage edit --type s3

add_or_edit() {  # PROVIDER ACCOUNT ARGS...
  provider=$1 account=$2; shift 2
  if $HAL_COMMAND config provider "$provider" account get "$account" >/dev/null 2>&1; then verb=edit; else verb=add; fi
  $HAL_COMMAND config provider "$provider" account $verb "$account" "$@"
}
$HAL_COMMAND config provider docker-registry enable
add_or_edit docker-registry dockerhub --address index.docker.io \
  --repositories library/alpine,library/ubuntu,library/centos,library/nginx
$HAL_COMMAND config provider kubernetes enable
add_or_edit kubernetes default --docker-registries dockerhub --context default --service-account true \
  --only-spinnaker-managed true --omit-namespaces=kube-system,kube-public --provider-version v2

$HAL_COMMAND config deploy edit --account-name default --type distributed --location {{ Release.Namespace }}
$HAL_COMMAND config deploy ha clouddriver enable
$HAL_COMMAND config deploy ha echo enable
$HAL_COMMAND config security authn ldap edit --url ldap://{{ Release.Name }}-openldap:389 --user-dn-pattern 'cn={0},dc=example,dc=org'
$HAL_COMMAND config security authn ldap enable
$HAL_COMMAND config security authz disable
