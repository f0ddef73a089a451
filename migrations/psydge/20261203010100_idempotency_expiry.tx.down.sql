DROP INDEX idempotency_keys_in_flight_idx;
DROP INDEX idempotency_keys_expires_idx;
ALTER TABLE idempotency_keys DROP COLUMN expires_at, DROP COLUMN completed_at, DROP COLUMN trade_id;
