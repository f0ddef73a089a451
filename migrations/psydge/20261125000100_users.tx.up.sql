-- Psydge's users carry a trading time zone, a subscription tier and broker credentials sealed
-- with the platform keyring (AES-256-GCM, bound to this table, row and column).
ALTER TABLE users
    ADD COLUMN timezone text NOT NULL DEFAULT 'UTC',
    ADD COLUMN subscription_tier text NOT NULL DEFAULT 'core',
    ADD COLUMN broker_credentials bytea;
