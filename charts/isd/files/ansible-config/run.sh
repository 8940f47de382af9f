#!/bin/bash
# Custom stage: runs an Ansible playbook from a git repository against the
# given inventory (git and node credentials from the ansible-secrets Secret).
set -e
git clone "https://$(cat /secrets/gitusername):$(cat /secrets/gitpassword)@${repo#https://}" /work
cd /work
ansible-playbook -i "${inventory:-hosts}" -u "$(cat /secrets/nodeuser)" \
  --extra-vars "ansible_password=$(cat /secrets/userpassword)" "${playbook:-site.yml}"
