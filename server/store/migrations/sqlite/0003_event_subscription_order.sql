-- A webhook's event types come back in the order they were given.
ALTER TABLE webhook_event_types ADD COLUMN position BIGINT NOT NULL DEFAULT 0;
