-- Pro plan payments through JazzCash and EasyPaisa. A checkout writes a pending payment with
-- the amount we asked for; a verified callback for that reference and amount marks it paid
-- (once: a row no longer pending is never changed by a callback again) and extends the store's
-- subscription by its months. Money is integer paisa.
CREATE TABLE payments (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    store_id        bigint NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
    user_id         bigint NOT NULL REFERENCES users (id),
    gateway         text NOT NULL CHECK (gateway IN ('jazzcash', 'easypaisa')),
    ref             text NOT NULL UNIQUE CHECK (ref ~ '^[A-Za-z0-9]{1,20}$'),
    plan            text NOT NULL DEFAULT 'pro' CHECK (plan = 'pro'),
    months          integer NOT NULL DEFAULT 1 CHECK (months BETWEEN 1 AND 12),
    amount_paisa    bigint NOT NULL CHECK (amount_paisa > 0),
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'failed')),
    gateway_code    text NOT NULL DEFAULT '',
    gateway_message text NOT NULL DEFAULT '',
    gateway_txn     text NOT NULL DEFAULT '',
    period_start    timestamptz,
    period_end      timestamptz,
    expires_at      timestamptz NOT NULL,
    paid_at         timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    CHECK (status <> 'paid' OR (paid_at IS NOT NULL AND period_end IS NOT NULL))
);
CREATE INDEX payments_store_idx ON payments (store_id, created_at DESC);

-- Every callback the webhooks received, accepted or refused, with why: the trail an operator
-- reads when a seller says "I paid". Secrets (pp_Password) are never stored.
CREATE TABLE payment_callbacks (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    gateway     text NOT NULL,
    ref         text NOT NULL DEFAULT '',
    payment_id  bigint REFERENCES payments (id) ON DELETE CASCADE,
    outcome     text NOT NULL CHECK (outcome IN ('paid', 'failed', 'pending', 'duplicate', 'refused', 'confirm')),
    reason      text NOT NULL DEFAULT '',
    fields      jsonb NOT NULL DEFAULT '{}',
    received_at timestamptz NOT NULL
);
CREATE INDEX payment_callbacks_ref_idx ON payment_callbacks (ref, received_at);

-- How the current Pro period was paid, and the grace the expiry job granted when it lapsed.
ALTER TABLE subscriptions ADD COLUMN payment_method text NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN grace_until timestamptz;

-- Where receipts and plan notices are emailed; '' sends them on WhatsApp only.
ALTER TABLE stores ADD COLUMN email text NOT NULL DEFAULT '' CHECK (length(email) <= 254);
