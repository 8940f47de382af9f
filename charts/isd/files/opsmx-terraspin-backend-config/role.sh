#!/bin/bash
# Assumes the AWS role given to the Terraform stage and exports its keys.
if [ -n "$AWS_ROLE_ARN" ]; then
  creds=$(aws sts assume-role --role-arn "$AWS_ROLE_ARN" --role-session-name terraspin)
  export AWS_ACCESS_KEY_ID=$(echo "$creds" | jq -r .Credentials.AccessKeyId)
  export AWS_SECRET_ACCESS_KEY=$(echo "$creds" | jq -r .Credentials.SecretAccessKey)
  export AWS_SESSION_TOKEN=$(echo "$creds" | jq -r .Credentials.SessionToken)
fi
