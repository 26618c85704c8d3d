#!/usr/bin/env bash
# The Interactly document's curl example, as printed, against Herald: only
# the base URL (https://api-qa.interactly.ai), the <token> and the
# {webhook_id} placeholders are replaced. It runs twice: as printed (its
# "<string>" url is no URL, so Herald refuses it), then with the "<string>"
# placeholders filled in. Each answer is printed as a line of JSON and a line
# with the status, for seed_examples.rs to check.
set -euo pipefail
BASE="$HERALD_URL"
KEY="$HERALD_API_KEY"

# interactly-update-workflow-webhook.txt, as printed
curl --silent --write-out '\n%{http_code}\n' --request PATCH \
  --url "$BASE"/workflows/v1/workflow-webhooks/"$WEBHOOK_ID" \
  --header "Authorization: Bearer $KEY" \
  --header 'Content-Type: application/json' \
  --data '
{
  "name": "<string>",
  "url": "<string>",
  "actions": [
    "workflow_created"
  ],
  "enabled": true,
  "bearer_token": "<string>",
  "clear_bearer_token": false,
  "timeout_seconds": 30,
  "max_retries": 5,
  "retry_backoff_seconds": 150
}
'

# The same with its "<string>" placeholders filled in
curl --silent --write-out '\n%{http_code}\n' --request PATCH \
  --url "$BASE"/workflows/v1/workflow-webhooks/"$WEBHOOK_ID" \
  --header "Authorization: Bearer $KEY" \
  --header 'Content-Type: application/json' \
  --data '
{
  "name": "Workflow alerts",
  "url": "https://example.com/hooks/workflows",
  "actions": [
    "workflow_created"
  ],
  "enabled": true,
  "bearer_token": "wf-secret-token",
  "clear_bearer_token": false,
  "timeout_seconds": 30,
  "max_retries": 5,
  "retry_backoff_seconds": 150
}
'
