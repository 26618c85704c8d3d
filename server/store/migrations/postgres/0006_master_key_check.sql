-- A value sealed with the master key at first start: a later start with
-- another key fails to open it and stops, before it could answer a 500 on
-- the first stored secret it reads.
CREATE TABLE master_key_check (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    sealed BYTEA NOT NULL
);
