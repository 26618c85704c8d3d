-- The event-type catalog and webhook configurations (SPEC §3).
CREATE TABLE event_types (
    id BIGINT PRIMARY KEY,
    label TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    example_payload TEXT,
    retired_at BIGINT,
    created_at BIGINT NOT NULL
);
INSERT INTO event_types (id, label, description, created_at) VALUES
    (0, 'analysis.completed', 'Analysis finished successfully', 0),
    (1, 'analysis.failed', 'Analysis processing failed', 0),
    (2, 'ping', 'Test event for connectivity', 0),
    (3, 'interview.completed', 'Interview finished with analysis', 0),
    (4, 'interview.failed', 'Technical failure during interview', 0),
    (5, 'interview.started', 'Interview session began', 0);

-- Secrets (custom headers as one JSON list, signing secrets) are AES-256-GCM
-- sealed; a deleted webhook keeps its row (deleted_at) for its delivery log.
CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    api_key_id TEXT NOT NULL REFERENCES api_keys (id),
    company_id TEXT REFERENCES companies (id),
    url TEXT NOT NULL,
    name TEXT,
    description TEXT,
    headers BLOB NOT NULL,
    all_events BOOLEAN NOT NULL,
    is_active BOOLEAN NOT NULL,
    disabled_reason TEXT,
    max_retries BIGINT NOT NULL,
    timeout_ms BIGINT NOT NULL,
    retry_backoff_seconds BIGINT NOT NULL,
    rate_limit_per_second BIGINT,
    consecutive_failures BIGINT NOT NULL,
    circuit_opened_at BIGINT,
    signing_secret BLOB NOT NULL,
    previous_signing_secret BLOB,
    previous_secret_expires_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    deleted_at BIGINT
);
CREATE INDEX webhooks_by_account ON webhooks (account_id, created_at);

CREATE TABLE webhook_event_types (
    webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_type_id BIGINT NOT NULL REFERENCES event_types (id),
    PRIMARY KEY (webhook_id, event_type_id)
);
CREATE INDEX webhook_event_types_by_type ON webhook_event_types (event_type_id);
