#!/bin/bash
# Waits for the halyard daemon, then configures and deploys Spinnaker
# unless the halyard home comes from git-ops (then halyard's own start-up
# applies it).
hal="hal --daemon-endpoint http://{{ Release.Name }}-spinnaker-halyard:8064"
until curl -fs http://{{ Release.Name }}-spinnaker-halyard:8064/health; do sleep 10; done
{%- if not Values.spinnaker.gitopsHalyard.enabled %}
HAL_COMMAND="$hal" . /opt/halyard/scripts/config.sh
$hal deploy apply
{%- endif %}
