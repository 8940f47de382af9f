#!/bin/bash
# spin helpers for pipeline promotion: list, export and import pipelines.
spin="spin --gate-endpoint ${spinnaker_gate_url:-http://sapor-gate:8084}"
export_pipelines() {  # APP DIR
  mkdir -p "$2/$1"
  for name in $($spin pipeline list --application "$1" | jq -r '.[].name'); do
    $spin pipeline get --application "$1" --name "$name" | jq 'del(.updateTs, .lastModifiedBy)' > "$2/$1/$name.json"
  done
}
import_pipelines() {  # APP DIR
  for f in "$2/$1"/*.json; do [ -f "$f" ] && $spin pipeline save --file "$f"; done
}
