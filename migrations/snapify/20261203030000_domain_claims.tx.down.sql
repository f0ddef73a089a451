DROP INDEX stores_pending_domain_idx;
DROP INDEX stores_verified_domain_key;
ALTER TABLE stores DROP CONSTRAINT stores_domain_claim;
-- Only proven claims survive the way back, so the old unique constraint holds.
UPDATE stores SET custom_domain = NULL WHERE domain_verified_at IS NULL;
ALTER TABLE stores DROP COLUMN domain_verified_at, DROP COLUMN domain_claimed_at, DROP COLUMN domain_token;
ALTER TABLE stores ADD CONSTRAINT stores_custom_domain_key UNIQUE (custom_domain);
