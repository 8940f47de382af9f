#!/bin/bash
status=0
"$(dirname "$0")/ping_liveness_local.sh" "$1" || status=$?
"$(dirname "$0")/ping_liveness_master.sh" "$1" || status=$?
exit $status
