#!/usr/bin/env bash
# The Konpro document's curl example, as printed, against Herald: only the
# base URL (https://api.konpro.ai) and <your-api-key> are replaced. It runs
# twice: as printed (its "endpoint123" is no endpoint of Herald's, so the
# answer is a 404), then with the id of a real endpoint. Each answer is
# printed as a line of JSON and a line with the status, for seed_examples.rs.
set -euo pipefail
BASE="$HERALD_URL"

# konpro-update-webhook-endpoint.txt, as printed
curl --silent --write-out '\n%{http_code}\n' --request PATCH \
--url "$BASE"/v1/webhook/endpoint.update \
--header 'accept: application/json' \
--header 'content-type: application/json' \
--header "x-api-key: $HERALD_API_KEY" \
--data '{
  "endpoint_id": "endpoint123",
  "url": "https://example.com/new-webhook-url",
  "events": ["video.updated", "avatar.deleted"]
}'

# The same for a real endpoint
curl --silent --write-out '\n%{http_code}\n' --request PATCH \
--url "$BASE"/v1/webhook/endpoint.update \
--header 'accept: application/json' \
--header 'content-type: application/json' \
--header "x-api-key: $HERALD_API_KEY" \
--data '{
  "endpoint_id": "'"$ENDPOINT_ID"'",
  "url": "https://example.com/new-webhook-url",
  "events": ["video.updated", "avatar.deleted"]
}'
