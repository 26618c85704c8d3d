-- The customer portal (SPEC §8): links an account hands to one of its
-- companies, the sessions opened from them, and how the portal shows the account.
ALTER TABLE accounts ADD COLUMN display_name TEXT;
ALTER TABLE accounts ADD COLUMN accent_color TEXT;

CREATE TABLE portal_links (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    company_id TEXT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    -- The key that made the link: the webhooks created through it record it.
    api_key_id TEXT NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    read_only BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX portal_links_by_account ON portal_links (account_id, expires_at);

CREATE TABLE portal_sessions (
    token_hash TEXT PRIMARY KEY,
    link_id TEXT NOT NULL REFERENCES portal_links (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX portal_sessions_by_link ON portal_sessions (link_id);
-- Opening a link sweeps the ended sessions.
CREATE INDEX portal_sessions_by_end ON portal_sessions (expires_at);
