#!/bin/sh
# Creates the git-ops repository on GitHub from OpsMx's standard-gitops-repo
# when it does not exist yet.
user='{{ Values.spinnaker.gitopsHalyard.repo.username }}'
token='{{ Values.spinnaker.gitopsHalyard.repo.token }}'
org='{{ Values.spinnaker.gitopsHalyard.repo.organization }}'
repo='{{ Values.spinnaker.gitopsHalyard.repo.repository }}'
git config --global user.email '{{ Values.spinnaker.gitopsHalyard.repo.usermailid }}'
git config --global user.name "$user"
auth="Authorization: token $token"
if [ "$(curl -s -H "$auth" "https://api.github.com/repos/$org/$repo" | jq -r .name)" = "$repo" ]; then
  echo "repository $org/$repo exists"
  exit 0
fi
if [ "$user" = "$org" ]; then
  curl -s -H "$auth" -d '{"name":"'"$repo"'","private":"true"}' https://api.github.com/user/repos
else
  curl -s -X POST -H "$auth" -H 'Accept: application/vnd.github.v3+json' -d '{"name":"'"$repo"'"}' "https://api.github.com/orgs/$org/repos"
fi
git clone https://github.com/OpsMx/standard-gitops-repo.git -b {{ Chart.AppVersion }} template
git clone "https://$user:$token@github.com/$org/$repo.git" target
cp -pr template/* target/
cd target && git checkout -b master && git add . && git commit -m "standard-gitops-repo content" && git push origin master
