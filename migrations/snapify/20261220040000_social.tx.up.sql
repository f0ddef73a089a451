-- Social auto-posting (Pro): a store's Facebook Page and Instagram account, and the posts the
-- content pipeline queues for them.
--
-- The Page access token is sealed with the platform keyring (AES-256-GCM, bound to this table,
-- the store id and the column), like Psydge's broker credentials; rotate-keys re-encrypts it.
CREATE TABLE social_connections (
    store_id          bigint PRIMARY KEY REFERENCES stores (id) ON DELETE CASCADE,
    page_id           text NOT NULL CHECK (page_id ~ '^[0-9]{1,32}$'),
    page_name         text NOT NULL DEFAULT '',
    ig_user_id        text NOT NULL DEFAULT '' CHECK (ig_user_id ~ '^[0-9]{0,32}$'),
    ig_username       text NOT NULL DEFAULT '',
    page_token_sealed bytea NOT NULL,
    status            text NOT NULL DEFAULT 'connected' CHECK (status IN ('connected', 'needs_reconnect')),
    last_error        text NOT NULL DEFAULT '',
    connected_at      timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);

-- One post of one product to the platforms the store had connected when it was sent. The Graph
-- ids are written as soon as Meta answers each step, before the next step, so a publish job that
-- dies anywhere resumes from what Meta already has and never publishes twice:
--   Facebook: an unpublished photo (fb_photo_id), an unpublished Page post carrying it
--   (fb_post_id), then that post made public (fb_published_at).
--   Instagram: a media container (ig_container_id), published once FINISHED (ig_media_id).
CREATE TABLE social_posts (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    store_id        bigint NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
    product_id      bigint REFERENCES products (id) ON DELETE SET NULL,
    caption         text NOT NULL CHECK (length(caption) <= 2200),
    image_key       text NOT NULL CHECK (image_key <> ''),
    status          text NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'publishing', 'published', 'partial', 'failed', 'cancelled', 'expired')),
    platforms       text[] NOT NULL DEFAULT '{}',
    scheduled_at    timestamptz NOT NULL,
    fb_photo_id     text NOT NULL DEFAULT '',
    fb_post_id      text NOT NULL DEFAULT '',
    fb_published_at timestamptz,
    fb_error        text NOT NULL DEFAULT '',
    ig_container_id text NOT NULL DEFAULT '',
    ig_container_at timestamptz,
    ig_media_id     text NOT NULL DEFAULT '',
    ig_published_at timestamptz,
    ig_error        text NOT NULL DEFAULT '',
    metrics         jsonb NOT NULL DEFAULT '{}',
    metrics_at      timestamptz,
    published_at    timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
-- A product has at most one post waiting: content generated again replaces its caption and image.
CREATE UNIQUE INDEX social_posts_one_queued_idx ON social_posts (store_id, product_id) WHERE status = 'queued';
CREATE INDEX social_posts_due_idx ON social_posts (scheduled_at) WHERE status = 'queued';
CREATE INDEX social_posts_store_idx ON social_posts (store_id, created_at DESC, id DESC);
CREATE INDEX social_posts_published_idx ON social_posts (published_at) WHERE published_at IS NOT NULL;
