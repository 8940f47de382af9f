#!/bin/sh
# github-config Job (pre-install): when the git-ops repository does not exist
# on GitHub yet, create it (under the user's account, or the organization's)
# and fill it with OpsMx's standard-gitops-repo on the halyard config branch.
user='{{ Values.spinnaker.gitopsHalyard.repo.username | toString | replace("'", "'\\''") }}'
token='{{ Values.spinnaker.gitopsHalyard.repo.token | toString | replace("'", "'\\''") }}'
org='{{ Values.spinnaker.gitopsHalyard.repo.organization | toString | replace("'", "'\\''") }}'
repo='{{ Values.spinnaker.gitopsHalyard.repo.repository | toString | replace("'", "'\\''") }}'
host='{{ Values.spinnaker.gitopsHalyard.repo.baseUrlHostName | toString | replace("'", "'\\''") }}'
branch='{{ Values.spinnaker.gitopsHalyard.repo.halConfigBranch | toString | replace("'", "'\\''") }}'
standard_branch='{{ Values.global.gitea.standardrepoBranch | toString | replace("'", "'\\''") }}'

git config --global user.email '{{ Values.spinnaker.gitopsHalyard.repo.usermailid | toString | replace("'", "'\\''") }}'
git config --global user.name "$user"
auth="Authorization: token $token"

if [ "$(curl -s -X GET -H "$auth" "https://api.github.com/repos/$org/$repo" | jq -r '.name')" = "$repo" ]; then
  echo "repository $org/$repo exists"
  exit 0
fi

if [ "$user" = "$org" ]; then
  # a personal repository
  curl -s -H "$auth" --data "{\"name\":\"$repo\",\"private\":\"true\"}" https://api.github.com/user/repos
  owner=$user
else
  curl -s -X POST -H 'Accept: application/vnd.github.v3+json' -H "$auth" \
    -d "{\"name\":\"$repo\"}" "https://api.github.com/orgs/$org/repos"
  owner=$org
fi
git clone https://github.com/OpsMx/standard-gitops-repo.git -b "$standard_branch" standard-gitops-repo
git clone "https://$user:$token@$host/$owner/$repo.git" "$repo"
cp -pr standard-gitops-repo/* "$repo/"
cd "$repo" || exit 1
git checkout -b "$branch"
git add .
git commit -m "standard-gitops-repo content"
git push origin "$branch"
