#!/bin/bash
# Logs gcloud in with the service-account key given to the Terraform stage.
if [ -n "$GOOGLE_APPLICATION_CREDENTIALS" ] && [ -f "$GOOGLE_APPLICATION_CREDENTIALS" ]; then
  gcloud auth activate-service-account --key-file "$GOOGLE_APPLICATION_CREDENTIALS"
  gcloud config set project "$(jq -r .project_id "$GOOGLE_APPLICATION_CREDENTIALS")"
fi
