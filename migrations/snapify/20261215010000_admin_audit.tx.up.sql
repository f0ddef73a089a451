-- What platform admins did, one row per action, written in the action's own transaction: who
-- (actor_id and the name they signed in with, kept even if the account goes), what (action),
-- to what (target_type, target_id and a label such as the store's slug), why (reason), when,
-- what came of it (outcome), and whether the seller was told on WhatsApp (notice).
CREATE TABLE admin_audit (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor_id      bigint REFERENCES users (id) ON DELETE SET NULL,
    actor         text NOT NULL,
    action        text NOT NULL CHECK (action IN ('sign_in', 'verify', 'unverify', 'suspend', 'unsuspend', 'set_plan', 'approve_product', 'block_product')),
    target_type   text NOT NULL CHECK (target_type IN ('account', 'store', 'product')),
    target_id     bigint NOT NULL,
    target_label  text NOT NULL DEFAULT '',
    store_id      bigint REFERENCES stores (id) ON DELETE SET NULL,
    reason        text NOT NULL DEFAULT '',
    outcome       text NOT NULL,
    notice        text NOT NULL DEFAULT 'none' CHECK (notice IN ('none', 'queued', 'sent', 'failed', 'not_sent')),
    notice_detail text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL
);
CREATE INDEX admin_audit_recent_idx ON admin_audit (id DESC);
CREATE INDEX admin_audit_store_idx ON admin_audit (store_id, id DESC);
-- The moderation queue asks, per product, whether an admin looked at it since it last changed.
CREATE INDEX admin_audit_product_idx ON admin_audit (target_id, created_at) WHERE target_type = 'product';
