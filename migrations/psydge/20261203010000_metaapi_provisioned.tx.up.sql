-- MetaApi accounts the platform provisioned under its own token, and for whom. A connection
-- without the trader's own MetaApi token may name only an account listed here for that trader:
-- the platform token never reaches an account id a user merely typed in.
CREATE TABLE metaapi_provisioned_accounts (
    account_id     text PRIMARY KEY,
    user_id        bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provisioned_at timestamptz NOT NULL
);
CREATE INDEX metaapi_provisioned_accounts_user_idx ON metaapi_provisioned_accounts (user_id);
