-- The seed's AIInteraction for AstroTiming: every call of the optional AI layer (the question
-- answered from the forward search's windows, docs/astrotiming.md "Ask") is recorded with its
-- input context, output, model, tokens, cost, latency and outcome. An ephemeral call keeps only
-- the metadata (no input context, no output). decision is the answer AstroTiming accepted (the
-- window ids and reasons after its own checks); outcome says why an answer was not used.
CREATE TABLE ai_interactions (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id        bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    api_key_id     bigint REFERENCES api_keys (id) ON DELETE SET NULL,
    role           text NOT NULL,
    input_context  jsonb,
    output         text NOT NULL DEFAULT '',
    decision       jsonb,
    provider       text NOT NULL,
    model          text NOT NULL,
    input_tokens   bigint NOT NULL DEFAULT 0,
    output_tokens  bigint NOT NULL DEFAULT 0,
    -- Millionths of a US dollar; NULL when the model is not in the price table.
    cost_micro_usd bigint,
    latency_ms     integer NOT NULL DEFAULT 0,
    attempts       integer NOT NULL DEFAULT 0,
    outcome        text NOT NULL,
    error          text NOT NULL DEFAULT '',
    ephemeral      boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL
);
CREATE INDEX ai_interactions_user_idx ON ai_interactions (user_id, id DESC);
