#!/usr/bin/env bash
# The InstaView documents' curl examples, as printed, against Herald: only
# the base URL (https://api.instaview.sk), the placeholder key and, for the
# PATCH, the placeholder webhook id are replaced. Each answer is printed on
# its own line for seed_examples.rs to check.
set -euo pipefail
BASE="$HERALD_URL"
KEY="$HERALD_API_KEY"

# instaview-create-webhook.txt
curl -s -X POST "$BASE"/webhooks \
-H "Authorization: Bearer $KEY" \
-H "Content-Type: application/json" \
-d '{
"url": "https://api.example.com/webhooks/instaview",
"name": "Production Webhook",
"description": "Receives interview completion notifications",
"events": ["interview.completed", "analysis.completed"],
"headers": [
{ "name": "Authorization", "value": "Bearer your-internal-token" }
]
}'
echo

# instaview-webhooks-guide.txt, "Basic Webhook"
curl -s -X POST "$BASE"/webhooks \
-H "Authorization: Bearer $KEY" \
-H "Content-Type: application/json" \
-d '{
"url": "https://api.example.com/webhooks/instaview",
"events": [3, 0]
}'
echo

# instaview-update-webhook.txt
curl -s -X PATCH "$BASE"/webhooks/"$WEBHOOK_ID" \
  -H "Authorization: Bearer $KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "url": "https://api.example.com/webhooks/instaview-v2",
    "events": ["analysis.completed", "analysis.failed", "interview.completed", "interview.failed"]
  }'
echo
