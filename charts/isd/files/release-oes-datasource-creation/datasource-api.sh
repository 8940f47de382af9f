#!/bin/bash
# oes-config Job (post-install). Once Spinnaker's and ISD's pods are ready:
# log in through sapor-gate, register the OPA and Autopilot datasources,
# save the sample OPA policies and, with git-ops halyard, register the
# git-ops repository as a datasource and this Spinnaker as ISD's CD account.
# Request bodies are built with jq, so every body is valid JSON whatever the
# values hold.
ns='{{ Release.Namespace }}'
platform=http://oes-platform:8095
sapor=http://oes-sapor:8085
spin_user='{{ Values.spinnaker.spinCli.auth.basic.username | toString | replace("'", "'\\''") }}'
spin_password='{{ Values.spinnaker.spinCli.auth.basic.password | toString | replace("'", "'\\''") }}'

# --- wait for the pods -------------------------------------------------------
# Deployments whose pods must be ready (one pod of each is enough).
{%- if Values.global.stormdriver %}
wanted="spin-deck spin-clouddriver spin-front50 spin-orca spin-echo spin-igor oes-sapor oes-platform oes-autopilot"
{%- else %}
wanted="spin-deck spin-clouddriver-caching spin-clouddriver-ro spin-clouddriver-rw spin-clouddriver-ro-deck spin-front50 spin-orca spin-echo-worker spin-echo-scheduler spin-igor oes-sapor oes-platform oes-autopilot"
{%- endif %}
{%- if Values.global.commonGate.spinnakerRBAC %}
wanted="$wanted spin-fiat"
{%- endif %}

all_ready() {
  kubectl get pods -n "$ns" \
    -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{.status.containerStatuses[*].ready}{"\n"}{end}' >/tmp/pods.tsv || return 1
  for deployment in $wanted; do
    # a pod of Deployment D is named D-<template hash>-<suffix>
    awk -F'\t' -v d="$deployment" '
      $1 ~ ("^" d "-[a-z0-9]+-[a-z0-9]+$") && $2 != "" && $2 !~ /false/ { ok = 1 }
      END { exit !ok }' /tmp/pods.tsv || { echo "not ready yet: $deployment"; return 1; }
  done
}

tries=0
until all_ready; do
  tries=$((tries + 1))
  if [ "$tries" -gt 200 ]; then
    echo "giving up: Spinnaker and ISD are still not ready after 200 minutes"
    exit 0
  fi
  sleep 60
done
echo "Spinnaker and ISD are ready"
sleep 5

# --- API helpers ---------------------------------------------------------------
api() {  # URL BODY: POST BODY as user admin, print the response
  curl -s -X POST -H 'Content-Type: application/json' -H 'x-spinnaker-user: admin' --data "$2" "$1"
}
id_of() { jq -r '.id // empty' 2>/dev/null; }

# A session through sapor-gate (basic login form).
curl -s -X POST -G --data-urlencode "username=$spin_user" --data-urlencode "password=$spin_password" \
  --data-urlencode submit=Login http://sapor-gate:8084/login
echo

api "$platform/platformservice/v2/datasources" \
  '{"datasourceType":"OPA","name":"OPA","configurationFields":{"endPoint":"http://opa:8181"}}'
echo
api "$platform/platformservice/v2/datasources" \
  '{"datasourceType":"AUTOPILOT","name":"Autopilot","configurationFields":{"username":"admin"}}'
echo

# --- sample OPA policies (saved INACTIVE) ------------------------------------
save_policy() {  # NAME TYPE DESCRIPTION REGO
  api "$sapor/oes/v2/policy/save" "$(jq -nc --arg name "$1" --arg type "$2" --arg description "$3" --arg rego "$4" \
    '{name: $name, type: $type, accountType: "OPA", accountName: "OPA", description: $description,
      status: "INACTIVE", rego: $rego}')"
  echo
}
echo "saving the sample OPA policies"

save_policy AppMustHaveRbac Static "Enforce Application in Spinnakr to have Roles defined." "$(cat <<'REGO'
package opsmx.spinnaker.authorization

# Creating or updating an application requires WRITE roles, so that no
# application is left open to everyone by mistake.
changes_application { input.new.job[_].type == "createApp" }
changes_application { input.new.job[_].type == "updateApp" }
names_writers { count(input.new.job[0].application.permissions.WRITE) > 0 }

deny["Permissions must be specified"] {
  changes_application
  not names_writers
}
REGO
)"

save_policy StageLevelRBAC Static "Restrict a group of users from modifying certain stages" "$(cat <<'REGO'
package opsmx.spinnaker.stage_rbac

# Stages each role may not add, change or remove (edit to suit).
restricted := {"demo-users": [
  {"name": "Build", "type": "jenkins"},
  {"name": "Deploy", "type": "deployManifest"},
  {"name": "Manual Judgment", "type": "manualJudgment"},
  {"name": "Wait", "type": "wait"}
]}

touched[stage] {
  stage := input.pipeline.stages[_]
  stage.stageStatus != "unmodified"
}

deny["No modified stages found"] {
  count(input.pipeline.stages) > 0
  count(touched) == 0
}

deny[msg] {
  stage := touched[_]
  role := input.pipeline.user.groups[_]
  rule := restricted[role][_]
  rule.name == stage.name
  rule.type == stage.type
  msg := sprintf("Denied for stages: %v", [stage.name])
}
REGO
)"

save_policy BlackOutWindow Runtime "Policy to Prevent deployment during a specified date/time range." "$(cat <<'REGO'
package opsmx.blackoutwindow

# Runtime policy: no deployments in the year-end window (Los Angeles time).
deny["No deploys between 25th - 31st Dec 2020"] {
  [year, month, day] := time.date([time.now_ns(), "America/Los_Angeles"])
  year == 2020
  month == 12
  day >= 25
  day <= 31
}
REGO
)"

{%- if Values.spinnaker.gitopsHalyard.enabled %}

# --- git-ops repository and the Spinnaker account -----------------------------
cd_name='{{ Values.global.CDName | toString | replace("'", "'\\''") }}'
gate_url='{{ Values.spinnaker.spinCli.gate.endpoint | toString | replace("'", "'\\''") }}'
repo_type='{{ Values.spinnaker.gitopsHalyard.repo.type | toString | replace("'", "'\\''") }}'
repo_host='{{ Values.spinnaker.gitopsHalyard.repo.baseUrlHostName | toString | replace("'", "'\\''") }}'
repo_org='{{ Values.spinnaker.gitopsHalyard.repo.organization | toString | replace("'", "'\\''") }}'
repo_name='{{ Values.spinnaker.gitopsHalyard.repo.repository | toString | replace("'", "'\\''") }}'
repo_project='{{ Values.spinnaker.gitopsHalyard.repo.projectName | toString | replace("'", "'\\''") }}'
repo_user='{{ Values.spinnaker.gitopsHalyard.repo.username | toString | replace("'", "'\\''") }}'
repo_token='{{ Values.spinnaker.gitopsHalyard.repo.token | toString | replace("'", "'\\''") }}'
s3_access_key='{{ Values.spinnaker.gitopsHalyard.repo.s3accesskey | toString | replace("'", "'\\''") }}'
s3_secret_key='{{ Values.spinnaker.gitopsHalyard.repo.s3secretkey | toString | replace("'", "'\\''") }}'
s3_bucket='{{ Values.spinnaker.gitopsHalyard.repo.s3bucket | toString | replace("'", "'\\''") }}'
s3_region='{{ Values.spinnaker.gitopsHalyard.repo.s3region | toString | replace("'", "'\\''") }}'
basic_token=$(printf '%s:%s' "$spin_user" "$spin_password" | base64 | tr -d '\n')

if [ -n "$(curl -s "$sapor/oes/accountsConfig/v3/spinnaker" | jq -r '.[].name' 2>/dev/null)" ]; then
  echo "Spinnaker is already integrated"
  exit 0
fi

# The account body of the v4 API: an external account (the git-ops
# datasource ID PROVIDER ENDPOINT) and, optionally, the same for pipeline
# promotion.
account_v4() {  # ID ACCOUNT_NAME PROVIDER ENDPOINT PROMOTION(true|false)
  jq -nc --arg name "$cd_name" --arg url "$gate_url" --arg id "$1" --arg account "$2" --arg provider "$3" \
    --arg endpoint "$4" --argjson promotion "$5" --arg user "$spin_user" --arg password "$spin_password" '
    {accountId: $id, accountName: $account, provider: $provider,
     config: {bucketName: "", region: "", endPoint: $endpoint, sourcePath: ""}} as $external
    | {name: $name, url: $url, authenticationType: "LDAP", externalAccountFlag: true,
       pipelinePromotionFlag: $promotion, syncAccountFlag: false,
       externalAccountConfiguration: $external,
       pipelinePromotionConfiguration: (if $promotion then $external else null end),
       password: $password, userName: $user}'
}
# The account body of the v3 API (flags as strings, the basic token).
account_v3() {  # EXTERNAL_ACCOUNT_CONFIGURATION_JSON
  jq -nc --arg name "$cd_name" --arg url "$gate_url" --arg token "$basic_token" --argjson external "$1" '
    {name: $name, url: $url, authenticationType: "LDAP", token: $token, externalAccountFlag: "true",
     pipelinePromotionFlag: "false", syncAccountFlag: "false", externalAccountConfiguration: $external}'
}
{%- if Values.global.gitea.enabled %}

# The release's Gitea holds the repository: a token for its admin, the
# datasource, the account (also for pipeline promotion), then halyard restarts
# to read it.
gitea_user='{{ Values.global.gitea.admin.username | toString | replace("'", "'\\''") }}'
gitea_password='{{ Values.global.gitea.admin.password | toString | replace("'", "'\\''") }}'
gitea=http://{{ Release.Name }}-gitea-http:3000
gitea_token=$(curl -s -k -X POST -H 'Content-Type: application/json' -u "$gitea_user:$gitea_password" \
  --data "$(jq -nc --arg n "$gitea_user" '{name: $n}')" \
  "http://{{ Release.Name }}-gitea-http.$ns:3000/api/v1/users/$gitea_user/tokens" | jq -r '.sha1')
id=$(api "$platform/platformservice/v6/datasource" "$(jq -nc --arg token "$gitea_token" --arg host "$gitea" --arg user "$gitea_user" \
  '{datasourceType: "GITHUB", name: "gitops", spinEnabled: "false",
    configurationFields: {token: $token, username: "", hostUrl: $host, url: "\($host)/api/v1/users/\($user)"}}')" | id_of)
api "$sapor/oes/accountsConfig/v4/spinnaker" "$(account_v4 "$id" gitops GITHUB "$gitea/$gitea_user/gitea-standard-repo.git" true)"
echo
sleep 5
kubectl delete pod {{ Release.Name }}-spinnaker-halyard-0 -n "$ns"
exit 0
{%- endif %}

case "$repo_type:$repo_host" in
  git:github.com)
    id=$(api "$platform/platformservice/v6/datasource" "$(jq -nc --arg token "$repo_token" --arg user "$repo_user" \
      '{datasourceType: "GITHUB", name: "gitops", spinEnabled: "false",
        configurationFields: {token: $token, username: $user, hostUrl: "https://github.com/", url: "https://api.github.com"}}')" | id_of)
    api "$sapor/oes/accountsConfig/v4/spinnaker" "$(account_v4 "$id" gitops GITHUB "https://github.com/$repo_org/$repo_name.git" false)"
    ;;
  git:gitlab.com)
    id=$(api "$platform/platformservice/v6/datasource" "$(jq -nc --arg token "$repo_token" \
      '{datasourceType: "GITLAB", name: "gitops", spinEnabled: "false",
        configurationFields: {token: $token, hostUrl: "https://gitlab.com/"}}')" | id_of)
    api "$sapor/oes/accountsConfig/v4/spinnaker" "$(account_v4 "$id" gitops GITLAB "https://gitlab.com/$repo_org/$repo_name.git" false)"
    ;;
  stash:*)
    # Bitbucket server: the repository path has the project when one is set.
    path="$repo_org/$repo_name"
    [ -n "$repo_project" ] && path="$repo_org/$repo_project/$repo_name"
    id=$(api "$platform/platformservice/v2/datasources" "$(jq -nc --arg user "$repo_user" --arg token "$repo_token" \
      --arg host "https://github.com/$path.git" \
      '{datasourceType: "BITBUCKET", name: "gitops-bitbucket", spinEnabled: "false",
        configurationFields: {authType: "bearer", username: $user, token: $token, read: "", write: "",
                              hostUrl: $host, url: "https://api.bitbucket.org/2.0/"}}')" | id_of)
    api "$sapor/oes/accountsConfig/v3/spinnaker" "$(account_v3 "$(jq -nc --arg id "$id" --arg endpoint "https://$repo_host/$path.git" \
      '{accountId: $id, accountName: "gitops-bitbucket", provider: "BITBUCKET",
        config: {bucketName: "", region: "", endPoint: $endpoint, sourcePath: ""}}')")"
    ;;
  s3:*)
    api "$platform/platformservice/v2/datasources" "$(jq -nc --arg key "$s3_access_key" --arg secret "$s3_secret_key" \
      '{datasourceType: "AMAZONS3", name: "gitops-s3", configurationFields: {access_id: $key, secret_key: $secret},
        spinnakerNames: [""], spinEnabled: "false"}')"
    echo
    api "$sapor/oes/accountsConfig/v3/spinnaker" "$(account_v3 "$(jq -nc --arg bucket "$s3_bucket" --arg region "$s3_region" \
      '{accountName: "gitops-s3", config: {bucketName: $bucket, region: $region, endPoint: ""}, provider: "AMAZONS3"}')")"
    ;;
  *)
    echo "no datasource for a $repo_type repository on $repo_host (git on github.com or gitlab.com, stash, s3): register it in ISD's UI"
    ;;
esac
echo
{%- endif %}
