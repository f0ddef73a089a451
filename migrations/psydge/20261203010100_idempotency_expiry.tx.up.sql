-- Idempotency keys name the trade they created (so a key left in flight by a crash can be
-- settled from the trade row) and expire 24 hours after their answer is stored.
ALTER TABLE idempotency_keys
    ADD COLUMN trade_id     bigint,
    ADD COLUMN completed_at timestamptz,
    ADD COLUMN expires_at   timestamptz;
CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX idempotency_keys_in_flight_idx ON idempotency_keys (created_at) WHERE status = 0;
-- Answers stored before this change expire 24 hours after they were first claimed.
UPDATE idempotency_keys SET completed_at = created_at, expires_at = created_at + interval '24 hours' WHERE status <> 0;
