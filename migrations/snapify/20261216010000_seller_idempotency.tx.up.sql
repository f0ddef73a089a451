-- The first answer to a seller's request sent with an Idempotency-Key (the seller app's
-- offline queue sends one with each product it creates and each order status it changes), so
-- a request sent again after a lost answer is answered the same without being applied twice.
-- A row with status 0 is a request still being handled. Rows older than a day are deleted.
CREATE TABLE seller_idempotency (
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key          text NOT NULL CHECK (length(key) BETWEEN 8 AND 64),
    method       text NOT NULL,
    path         text NOT NULL,
    status       int NOT NULL DEFAULT 0,
    content_type text NOT NULL DEFAULT '',
    body         bytea NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX seller_idempotency_created_idx ON seller_idempotency (created_at);
