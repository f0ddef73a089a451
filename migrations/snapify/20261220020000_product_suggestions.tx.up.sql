-- The AI content pipeline's output (docs/snapify.md, "AI content pipeline"). Each run of
-- snapify.generate_product_content works from one source (a hash of the product's first photo
-- and its voice note) and writes one row per field it suggests; a retried run of the same
-- source inserts nothing twice (UNIQUE product_id, source, field). The seller's own fields are
-- never overwritten: a suggestion is applied only by the seller's accept, or, for a field that
-- was empty when the run finished (status applied), by the run itself. base keeps the
-- product's field as it was when the suggestion was made, so an edit the seller made since is
-- seen and never overwritten.
CREATE TABLE product_suggestions (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    store_id       bigint NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
    product_id     bigint NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    source         text NOT NULL,
    stage          text NOT NULL CHECK (stage IN ('analysis', 'voice', 'content', 'seo', 'social')),
    field          text NOT NULL CHECK (field IN ('attributes', 'transcript', 'title', 'description', 'bullets',
                       'seo_title', 'seo_description', 'seo', 'social')),
    value          text NOT NULL DEFAULT '',
    base           text NOT NULL DEFAULT '',
    data           jsonb NOT NULL DEFAULT '{}',
    status         text NOT NULL CHECK (status IN ('pending', 'applied', 'accepted', 'dismissed', 'failed', 'superseded', 'info')),
    error          text NOT NULL DEFAULT '',
    provider       text NOT NULL DEFAULT '',
    model          text NOT NULL DEFAULT '',
    offline        boolean NOT NULL DEFAULT false,
    cost_micro_usd bigint NOT NULL DEFAULT 0,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    decided_at     timestamptz,
    UNIQUE (product_id, source, field)
);
CREATE INDEX product_suggestions_product_idx ON product_suggestions (store_id, product_id, id DESC);

-- A voice note the seller attached to a product (from WhatsApp, or uploaded in the app): the
-- audio in storage and, once known, its transcript. Stage 2 reads the newest.
CREATE TABLE product_voice_notes (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    store_id    bigint NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
    product_id  bigint NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    audio_key   text NOT NULL DEFAULT '',
    mime        text NOT NULL DEFAULT '',
    language    text NOT NULL DEFAULT '',
    transcript  text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    CHECK (audio_key <> '' OR transcript <> '')
);
CREATE INDEX product_voice_notes_product_idx ON product_voice_notes (product_id, id DESC);

-- Every AI call the pipeline made (shared/ai's audit record): task, provider, model, tokens,
-- cost, latency, outcome; input and output unless the call was ephemeral.
CREATE TABLE content_ai_calls (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    store_id       bigint NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
    product_id     bigint,
    task           text NOT NULL,
    provider       text NOT NULL,
    model          text NOT NULL,
    input          jsonb,
    output         text NOT NULL DEFAULT '',
    input_tokens   bigint NOT NULL DEFAULT 0,
    output_tokens  bigint NOT NULL DEFAULT 0,
    cost_micro_usd bigint NOT NULL DEFAULT 0,
    priced         boolean NOT NULL DEFAULT false,
    latency_ms     integer NOT NULL DEFAULT 0,
    attempts       integer NOT NULL DEFAULT 0,
    outcome        text NOT NULL,
    error          text NOT NULL DEFAULT '',
    ephemeral      boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL
);
CREATE INDEX content_ai_calls_store_idx ON content_ai_calls (store_id, created_at DESC);
