-- AstroTiming's own tables: the activity vocabulary, the TQS query log, schedules, the daily
-- pre-computation cache, briefings, webhooks and calendar links. API key tiers and daily counts
-- live in the platform's api_keys table and in Redis.

CREATE TABLE activity_categories (
    key        text PRIMARY KEY,
    name       text NOT NULL,
    planet     text NOT NULL,
    also       text[] NOT NULL DEFAULT '{}',
    domain     text NOT NULL,
    synonyms   text[] NOT NULL DEFAULT '{}',
    updated_at timestamptz NOT NULL
);

-- One row per scored request (tqs, bulk item, search); cleanup_old_queries keeps 90 days.
CREATE TABLE timing_queries (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint REFERENCES users (id) ON DELETE SET NULL,
    api_key_id bigint REFERENCES api_keys (id) ON DELETE SET NULL,
    kind       text NOT NULL CHECK (kind IN ('tqs', 'bulk', 'search')),
    activity   text NOT NULL,
    latitude   double precision NOT NULL,
    longitude  double precision NOT NULL,
    timezone   text NOT NULL DEFAULT 'UTC',
    at         timestamptz NOT NULL,
    score      integer CHECK (score BETWEEN 0 AND 100),
    created_at timestamptz NOT NULL
);
CREATE INDEX timing_queries_created_idx ON timing_queries (created_at);

CREATE TABLE schedule_entries (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    activity        text NOT NULL,
    priority        integer NOT NULL DEFAULT 0,
    starts_at       timestamptz NOT NULL,
    ends_at         timestamptz NOT NULL CHECK (ends_at > starts_at),
    score           integer NOT NULL CHECK (score BETWEEN 0 AND 100),
    band            text NOT NULL,
    unfavorable     boolean NOT NULL DEFAULT false,
    google_event_id text,
    synced_at       timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX schedule_entries_user_idx ON schedule_entries (user_id, starts_at);

-- Keyed by the local date and a hash of the location rounded to 0.01° (about 1 km) and its zone.
CREATE TABLE planetary_cache (
    date          date NOT NULL,
    location_hash text NOT NULL,
    latitude      double precision NOT NULL,
    longitude     double precision NOT NULL,
    timezone      text NOT NULL,
    hours         jsonb NOT NULL,
    positions     jsonb NOT NULL,
    computed_at   timestamptz NOT NULL,
    PRIMARY KEY (date, location_hash)
);

CREATE TABLE briefings (
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    date       date NOT NULL,
    body       jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, date)
);

-- A developer key's request to be told when optimal windows start. The signing secret is
-- sealed with the keyring (rotate-keys re-encrypts it).
CREATE TABLE webhooks (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    api_key_id  bigint NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    url         text NOT NULL,
    secret      bytea,
    activity    text NOT NULL,
    latitude    double precision NOT NULL,
    longitude   double precision NOT NULL,
    timezone    text NOT NULL,
    min_score   integer NOT NULL,
    days        integer NOT NULL,
    created_at  timestamptz NOT NULL,
    disabled_at timestamptz
);
CREATE INDEX webhooks_key_idx ON webhooks (api_key_id);

CREATE TABLE webhook_deliveries (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    webhook_id   bigint NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    window_start timestamptz NOT NULL,
    status       integer,
    delivered_at timestamptz,
    UNIQUE (webhook_id, window_start)
);

-- The ICS feed's secret URL token is stored as SHA-256; the Google tokens are sealed.
CREATE TABLE calendar_links (
    user_id              bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    ics_token_hash       bytea UNIQUE,
    google_calendar_id   text,
    google_access_token  bytea,
    google_refresh_token bytea,
    google_token_expiry  timestamptz,
    google_synced_at     timestamptz,
    updated_at           timestamptz NOT NULL
);
