-- Observer OS is anonymous-first: users start as a token only and may attach an email later.
ALTER TABLE users ADD COLUMN current_module text NOT NULL DEFAULT '0'
    CHECK (current_module IN ('0', 'i', 'G', '8'));

-- Journal text is sealed with the platform keyring before it reaches this table.
CREATE TABLE journal_entries (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id        bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    text_sealed    bytea NOT NULL,
    emotion_tag    text NOT NULL DEFAULT '',
    module_at_time text NOT NULL CHECK (module_at_time IN ('0', 'i', 'G', '8')),
    created_at     timestamptz NOT NULL
);
CREATE INDEX journal_entries_user_idx ON journal_entries (user_id, created_at DESC);
