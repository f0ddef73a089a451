-- Psydge's record. Postgres is the truth: the Redis gate state (psydge:gate:{user_id}) is
-- rebuilt from trades, violations and discipline_configs.last_ack_at whenever it is lost.

-- MT4/MT5 connection state (the seed's BrokerConnection). Credentials live sealed in
-- users.broker_credentials; this row says which broker and whether it answers.
CREATE TABLE broker_connections (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id           bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    broker            text NOT NULL CHECK (broker IN ('paper', 'metaapi')),
    server            text NOT NULL DEFAULT '',
    account_number    text NOT NULL DEFAULT '',
    connection_status text NOT NULL DEFAULT 'connecting'
        CHECK (connection_status IN ('connecting', 'connected', 'failed', 'disconnected')),
    currency          text NOT NULL DEFAULT 'USD',
    -- The paper account's starting balance in minor units of currency.
    paper_balance     bigint NOT NULL DEFAULT 0,
    last_error        text NOT NULL DEFAULT '',
    last_sync_at      timestamptz,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
-- One live connection per user: the order flow must know which account a ticket goes to.
CREATE UNIQUE INDEX broker_connections_one_live ON broker_connections (user_id)
    WHERE connection_status <> 'disconnected';
CREATE INDEX broker_connections_status_idx ON broker_connections (connection_status, id);

-- Per-user discipline parameters (the seed's DisciplineConfig). The columns are the seed's
-- names; the engine's exact units are in config (JSON of discipline.Config).
CREATE TABLE discipline_configs (
    user_id          bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    loss_lock_r      numeric(6, 3) NOT NULL,
    profit_lock_r    numeric(6, 3) NOT NULL,
    cooldown_hours   numeric(6, 2) NOT NULL,
    max_risk_pct     numeric(6, 2) NOT NULL,
    session_hours    jsonb NOT NULL,
    symbol_whitelist jsonb NOT NULL,
    config           jsonb NOT NULL,
    -- When the trader last acknowledged an L2+ overlay; rebuild needs it for gate H.
    last_ack_at      timestamptz,
    updated_at       timestamptz NOT NULL
);

-- trade ids come from the sequence before the row exists: the id is the broker clientId
-- ("psy_<id>") and is reserved in the gate state before the order is sent.
CREATE SEQUENCE trades_id_seq;
CREATE TABLE trades (
    id             bigint PRIMARY KEY DEFAULT nextval('trades_id_seq'),
    user_id        bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    connection_id  bigint REFERENCES broker_connections (id) ON DELETE SET NULL,
    client_id      text NOT NULL UNIQUE,
    symbol         text NOT NULL,
    timeframe      text NOT NULL,
    direction      text NOT NULL CHECK (direction IN ('BUY', 'SELL')),
    digits         integer NOT NULL,
    -- Prices in points (price × 10^digits), lots in hundredths: the engine's exact units.
    entry          bigint NOT NULL,
    initial_sl     bigint NOT NULL,
    sl             bigint NOT NULL,
    tp             bigint NOT NULL DEFAULT 0,
    exit_price     bigint NOT NULL DEFAULT 0,
    lot            bigint NOT NULL,
    currency       text NOT NULL,
    risk_minor     bigint NOT NULL,
    risk_bp        bigint NOT NULL,
    r_result_milli bigint,
    profit_minor   bigint,
    strategy       text NOT NULL DEFAULT '',
    signal_id      text NOT NULL DEFAULT '',
    filled         boolean NOT NULL DEFAULT false,
    status         text NOT NULL
        CHECK (status IN ('pending', 'open', 'unknown', 'closed', 'rejected', 'failed')),
    position_id    text NOT NULL DEFAULT '',
    broker_code    text NOT NULL DEFAULT '',
    close_reason   text NOT NULL DEFAULT '',
    opened_at      timestamptz NOT NULL,
    closed_at      timestamptz,
    updated_at     timestamptz NOT NULL
);
ALTER SEQUENCE trades_id_seq OWNED BY trades.id;
CREATE INDEX trades_user_opened_idx ON trades (user_id, opened_at DESC);
CREATE INDEX trades_live_idx ON trades (user_id) WHERE status IN ('pending', 'open', 'unknown');
CREATE INDEX trades_user_closed_idx ON trades (user_id, closed_at) WHERE closed_at IS NOT NULL;

-- Every blocked attempt (the seed's Violation), with the gate state it was judged against.
CREATE TABLE violations (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id             bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    violation_code      text NOT NULL,
    gate                text NOT NULL DEFAULT '',
    level               smallint NOT NULL CHECK (level BETWEEN 1 AND 4),
    ref                 text NOT NULL DEFAULT '',
    attempted_action    jsonb NOT NULL,
    gates               jsonb NOT NULL,
    gate_state_snapshot jsonb NOT NULL,
    trading_day         integer NOT NULL,
    created_at          timestamptz NOT NULL
);
CREATE INDEX violations_user_created_idx ON violations (user_id, created_at DESC);
CREATE INDEX violations_external_idx ON violations (user_id) WHERE violation_code = 'EXTERNAL_EXECUTION';

-- Daily discipline score history (the seed's DisciplineScore), one row per trading day.
CREATE TABLE discipline_scores (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id          bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    date             date NOT NULL,
    score            smallint NOT NULL CHECK (score BETWEEN 0 AND 100),
    metric_breakdown jsonb NOT NULL,
    created_at       timestamptz NOT NULL,
    UNIQUE (user_id, date)
);

-- Session journal entries (the seed's ReflectionEntry).
CREATE TABLE reflection_entries (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    date          date NOT NULL,
    session_notes text NOT NULL,
    ai_prompt     text NOT NULL DEFAULT '',
    ai_summary    text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE INDEX reflection_entries_user_idx ON reflection_entries (user_id, date DESC);

-- AI call history for audit (the seed's AIInteraction); the rule-based weekly report is
-- stored here too, with role 'weekly_report'.
CREATE TABLE ai_interactions (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    trade_id      bigint REFERENCES trades (id) ON DELETE SET NULL,
    role          text NOT NULL,
    input_context jsonb NOT NULL,
    output        text NOT NULL,
    created_at    timestamptz NOT NULL
);
CREATE INDEX ai_interactions_user_idx ON ai_interactions (user_id, created_at DESC);
CREATE UNIQUE INDEX ai_interactions_weekly_once ON ai_interactions (user_id, role, ((input_context ->> 'week')))
    WHERE role = 'weekly_report';

-- Detected violation patterns (the seed's BehavioralPattern), one row per user and type.
CREATE TABLE behavioral_patterns (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id          bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    pattern_type     text NOT NULL,
    occurrence_count integer NOT NULL,
    recent_count     integer NOT NULL,
    prior_count      integer NOT NULL,
    last_instance    timestamptz NOT NULL,
    trend            text NOT NULL CHECK (trend IN ('rising', 'falling', 'stable')),
    updated_at       timestamptz NOT NULL,
    UNIQUE (user_id, pattern_type)
);

-- GO signals: Vista strategies' (user_id NULL, everyone's) and validator approvals (one user's).
CREATE TABLE signals (
    id          text PRIMARY KEY,
    user_id     bigint REFERENCES users (id) ON DELETE CASCADE,
    source      text NOT NULL,
    symbol      text NOT NULL,
    timeframe   text NOT NULL,
    direction   text NOT NULL CHECK (direction IN ('BUY', 'SELL')),
    entry       double precision NOT NULL DEFAULT 0,
    stop        double precision NOT NULL DEFAULT 0,
    target      double precision NOT NULL DEFAULT 0,
    r_multiple  double precision NOT NULL DEFAULT 0,
    indicators  jsonb NOT NULL DEFAULT '{}',
    issued_at   timestamptz NOT NULL,
    valid_until timestamptz NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX signals_live_idx ON signals (symbol, timeframe, valid_until);

-- Idempotency-Key of POST /api/v1/trades: a retried request replays the first answer.
CREATE TABLE idempotency_keys (
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key          text NOT NULL,
    request_hash bytea NOT NULL,
    status       integer NOT NULL DEFAULT 0,
    response     jsonb,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (user_id, key)
);
