#!/bin/bash
# Pipeline promotion through a stash repository: export the applications'
# pipelines from Spinnaker (spin.sh) into the repository's rootFolder, or
# import them from it, per the promotion settings in repo.properties.
set -e
. /tmp/config/repo.properties
. /tmp/scripts/spin.sh
echo "stash: pipeline promotion for ${apps:-all applications}"
