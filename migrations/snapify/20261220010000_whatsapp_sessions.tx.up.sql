-- The WhatsApp bot (modules/snapify/bot, wa_*.go). A webhook delivery is stored as received
-- (the signature covers these bytes) before Meta gets its 200, and the job
-- snapify.process_whatsapp_webhook reads it. The same body delivered again is one row.
CREATE TABLE whatsapp_deliveries (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    body         bytea NOT NULL,
    body_sha256  text NOT NULL UNIQUE,
    received_at  timestamptz NOT NULL,
    processed_at timestamptz
);

-- Each inbound message handled, by its WhatsApp message id: inserted in the transaction that
-- saves the conversation's new state and queues the replies, so a message delivered twice (or a
-- job retried) is handled, and answered, once.
CREATE TABLE whatsapp_messages (
    message_id   text PRIMARY KEY,
    wa_id        text NOT NULL,
    delivery_id  bigint REFERENCES whatsapp_deliveries (id) ON DELETE SET NULL,
    kind         text NOT NULL,
    state_before text NOT NULL,
    state_after  text NOT NULL,
    handled_at   timestamptz NOT NULL
);
CREATE INDEX whatsapp_messages_wa_idx ON whatsapp_messages (wa_id, handled_at DESC);

-- Replies to send, oldest first per number (snapify.send_whatsapp_replies). sent_at and wamid
-- are set once Meta accepted one; error holds why one could never be sent; status follows
-- Meta's delivery receipts (sent, delivered, read, failed).
CREATE TABLE whatsapp_outbox (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    wa_id      text NOT NULL,
    message_id text NOT NULL REFERENCES whatsapp_messages (message_id) ON DELETE CASCADE,
    reply      jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    sent_at    timestamptz,
    wamid      text UNIQUE,
    status     text NOT NULL DEFAULT '',
    error      text NOT NULL DEFAULT ''
);
CREATE INDEX whatsapp_outbox_pending_idx ON whatsapp_outbox (wa_id, id) WHERE sent_at IS NULL AND error = '';
