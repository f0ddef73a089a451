-- A custom domain is a claim until DNS proves it: the seller publishes a TXT record
-- _alorig-verify.<domain> holding domain_token, and only then (domain_verified_at set) is the
-- domain served and given certificates. Pending claims do not block anyone: only verified
-- domains are unique, so a claim on someone else's domain holds nothing.
ALTER TABLE stores DROP CONSTRAINT stores_custom_domain_key;
ALTER TABLE stores
    ADD COLUMN domain_token       text NOT NULL DEFAULT '',
    ADD COLUMN domain_claimed_at  timestamptz,
    ADD COLUMN domain_verified_at timestamptz;

-- Claims made before this change were never proven. Claims of Free or suspended stores are
-- dropped; the others become pending with a fresh token, so their owners prove them once.
UPDATE stores SET custom_domain = NULL
    WHERE custom_domain IS NOT NULL AND (tier <> 'pro' OR suspended_at IS NOT NULL);
UPDATE stores SET domain_token = replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', ''),
    domain_claimed_at = updated_at
    WHERE custom_domain IS NOT NULL;

ALTER TABLE stores ADD CONSTRAINT stores_domain_claim CHECK (
    custom_domain IS NOT NULL OR (domain_token = '' AND domain_claimed_at IS NULL AND domain_verified_at IS NULL));
CREATE UNIQUE INDEX stores_verified_domain_key ON stores (custom_domain) WHERE domain_verified_at IS NOT NULL;
-- The re-check job walks the pending claims.
CREATE INDEX stores_pending_domain_idx ON stores (domain_claimed_at)
    WHERE custom_domain IS NOT NULL AND domain_verified_at IS NULL;
