#!/bin/bash
# Applies the promoted pipelines of one application to Spinnaker.
set -e
. /tmp/scripts/spin.sh
import_pipelines "$1" "${2:-/tmp/promotion}"
