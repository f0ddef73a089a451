-- Billing (shared/billing): which plan each user holds, as Stripe last reported it or as
-- `alorig billing grant` gave it, and the Stripe events already handled. Entitlements are read
-- from these rows, never from what a client sends. Every module database has them, as it has
-- users; only the modules that sell write to them.
CREATE TABLE billing_customers (
    user_id            bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    stripe_customer_id text NOT NULL UNIQUE,
    created_at         timestamptz NOT NULL
);

CREATE TABLE billing_plans (
    user_id                bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    plan                   text NOT NULL,
    -- Stripe's subscription status (active, trialing, past_due, unpaid, canceled, …) or granted.
    status                 text NOT NULL,
    source                 text NOT NULL CHECK (source IN ('stripe', 'grant')),
    stripe_subscription_id text UNIQUE,
    current_period_end     timestamptz,
    cancel_at_period_end   boolean NOT NULL DEFAULT false,
    -- Past due since Stripe first said so: the plan holds until grace_until, then lapses.
    grace_until            timestamptz,
    -- A grant's end; null holds until revoked.
    granted_until          timestamptz,
    -- The plan the module's own state (Psydge's tier, AstroTiming's keys) was last moved to.
    applied_plan           text NOT NULL,
    updated_at             timestamptz NOT NULL
);
CREATE INDEX billing_plans_lapse_idx ON billing_plans (grace_until, granted_until)
    WHERE grace_until IS NOT NULL OR granted_until IS NOT NULL;

CREATE TABLE billing_events (
    id          text PRIMARY KEY,
    type        text NOT NULL,
    created_at  timestamptz NOT NULL,
    received_at timestamptz NOT NULL,
    outcome     text NOT NULL
);
