-- The AI roles (docs/psydge-ai.md): every call is audited in ai_interactions with its model,
-- tokens, cost, latency and outcome; an ephemeral call keeps only that metadata (no input
-- context, no output). decision is the role's structured answer after the tighten-only filter.
ALTER TABLE ai_interactions
    ALTER COLUMN input_context DROP NOT NULL,
    ADD COLUMN provider       text NOT NULL DEFAULT '',
    ADD COLUMN model          text NOT NULL DEFAULT '',
    ADD COLUMN input_tokens   bigint NOT NULL DEFAULT 0,
    ADD COLUMN output_tokens  bigint NOT NULL DEFAULT 0,
    -- Millionths of a US dollar; NULL when the model is not in the price table.
    ADD COLUMN cost_micro_usd bigint,
    ADD COLUMN latency_ms     integer NOT NULL DEFAULT 0,
    ADD COLUMN attempts       integer NOT NULL DEFAULT 0,
    ADD COLUMN outcome        text NOT NULL DEFAULT 'ok',
    ADD COLUMN error          text NOT NULL DEFAULT '',
    ADD COLUMN ephemeral      boolean NOT NULL DEFAULT false,
    ADD COLUMN trigger        text NOT NULL DEFAULT '',
    ADD COLUMN decision       jsonb;
CREATE INDEX ai_interactions_user_id_idx ON ai_interactions (user_id, id DESC);

-- Per-user switches of the four roles and what placement does when the pre-entry validator
-- cannot answer. The three advisory roles start on (they only propose); the validator, which
-- can hold a placement back, starts off.
CREATE TABLE ai_settings (
    user_id              bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    trade_supervisor     boolean NOT NULL DEFAULT true,
    pre_entry_validator  boolean NOT NULL DEFAULT false,
    behavioral_predictor boolean NOT NULL DEFAULT true,
    session_debrief      boolean NOT NULL DEFAULT true,
    pre_entry_failure    text NOT NULL DEFAULT 'fail_closed' CHECK (pre_entry_failure IN ('fail_closed', 'fail_open')),
    updated_at           timestamptz NOT NULL
);
