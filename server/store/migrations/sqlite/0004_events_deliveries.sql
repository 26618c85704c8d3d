-- Events, their deliveries (the durable queue) and every attempt (SPEC §4).
-- Times are Unix milliseconds.
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    company_id TEXT,
    event_type_id BIGINT NOT NULL,
    -- The exact bytes every attempt sends.
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX events_by_created ON events (created_at);

-- An idempotency key answers the same for 24 h within its account.
CREATE TABLE idempotency_keys (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    event_id TEXT NOT NULL,
    deliveries BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, idempotency_key)
);

-- status: pending | delivering | succeeded | failed | held | cancelled.
-- A claimed delivery carries the claiming process (locked_by) and a lease.
CREATE TABLE deliveries (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    is_test BOOLEAN NOT NULL,
    status TEXT NOT NULL,
    attempt_count BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    locked_by TEXT,
    locked_until BIGINT,
    last_http_status BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_by_webhook ON deliveries (webhook_id, created_at);
CREATE INDEX deliveries_by_created ON deliveries (created_at);

-- outcome: started | succeeded | failed | interrupted. The row is written as
-- `started` before the request goes out.
CREATE TABLE delivery_attempts (
    id TEXT PRIMARY KEY,
    delivery_id TEXT NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    number BIGINT NOT NULL,
    worker_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    finished_at BIGINT,
    duration_ms BIGINT,
    url TEXT,
    http_status BIGINT,
    error_kind TEXT,
    error_message TEXT,
    request_headers TEXT,
    response_headers TEXT,
    response_body TEXT
);
CREATE INDEX delivery_attempts_by_delivery ON delivery_attempts (delivery_id, number);

-- Every running process; a stale heartbeat frees its claimed deliveries.
CREATE TABLE workers (
    id TEXT PRIMARY KEY,
    started_at BIGINT NOT NULL,
    heartbeat_at BIGINT NOT NULL
);
