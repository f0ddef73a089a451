-- Snapify's catalogue, orders, analytics and SEO pages. Every store-owned table carries
-- store_id, and child rows reference (store_id, id) pairs so a row can never point across stores.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE stores (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id           bigint NOT NULL REFERENCES users (id),
    slug               text NOT NULL UNIQUE,
    name               text NOT NULL,
    tagline            text NOT NULL DEFAULT '',
    about              text NOT NULL DEFAULT '',
    city               text NOT NULL DEFAULT '',
    region             text NOT NULL DEFAULT '',
    address            text NOT NULL DEFAULT '',
    category           text NOT NULL DEFAULT '',
    theme              text NOT NULL DEFAULT 'bazaar',
    lang               text NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'ur')),
    tier               text NOT NULL DEFAULT 'free' CHECK (tier IN ('free', 'pro')),
    whatsapp_phone     text NOT NULL,
    logo               jsonb,
    banner             jsonb,
    custom_domain      text UNIQUE CHECK (custom_domain = lower(custom_domain)),
    delivery_note      text NOT NULL DEFAULT '',
    delivery_fee_paisa bigint NOT NULL DEFAULT 0 CHECK (delivery_fee_paisa >= 0),
    verified           boolean NOT NULL DEFAULT false,
    suspended_at       timestamptz,
    suspended_reason   text NOT NULL DEFAULT '',
    product_count      integer NOT NULL DEFAULT 0,
    order_seq          bigint NOT NULL DEFAULT 0,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);
CREATE INDEX stores_owner_idx ON stores (owner_id);

CREATE TABLE subscriptions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    store_id    bigint NOT NULL UNIQUE REFERENCES stores (id) ON DELETE CASCADE,
    plan        text NOT NULL DEFAULT 'free' CHECK (plan IN ('free', 'pro')),
    status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'past_due', 'cancelled')),
    price_paisa bigint NOT NULL DEFAULT 0,
    started_at  timestamptz NOT NULL,
    renews_at   timestamptz,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE categories (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    store_id      bigint NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
    slug          text NOT NULL,
    name          text NOT NULL,
    intro         text NOT NULL DEFAULT '',
    position      integer NOT NULL DEFAULT 0,
    product_count integer NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    UNIQUE (store_id, slug),
    UNIQUE (store_id, id)
);

CREATE TABLE products (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    store_id         bigint NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
    category_id      bigint,
    slug             text NOT NULL,
    title            text NOT NULL,
    description      text NOT NULL DEFAULT '',
    price_paisa      bigint NOT NULL CHECK (price_paisa >= 0),
    compare_at_paisa bigint NOT NULL DEFAULT 0 CHECK (compare_at_paisa >= 0),
    images           jsonb NOT NULL DEFAULT '[]',
    variants         jsonb NOT NULL DEFAULT '[]',
    stock            integer CHECK (stock IS NULL OR stock >= 0),
    sku              text NOT NULL DEFAULT '',
    seo_title        text NOT NULL DEFAULT '',
    seo_description  text NOT NULL DEFAULT '',
    status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'hidden', 'blocked')),
    moderation_note  text NOT NULL DEFAULT '',
    search           tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', description), 'B')) STORED,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    UNIQUE (store_id, slug),
    FOREIGN KEY (store_id, category_id) REFERENCES categories (store_id, id) ON DELETE SET NULL (category_id)
);
CREATE INDEX products_store_idx ON products (store_id, created_at DESC, id DESC);
CREATE INDEX products_category_idx ON products (store_id, category_id);
CREATE INDEX products_search_idx ON products USING gin (search);

-- Typo tolerance works on the vocabulary, not on every title: a misspelt query word is matched
-- by trigrams against this small table of distinct title words, and the corrections join the
-- full-text query. A trigram scan over 100,000 titles is two orders of magnitude slower.
CREATE TABLE search_words (word text PRIMARY KEY);
CREATE INDEX search_words_trgm_idx ON search_words USING gin (word gin_trgm_ops);

CREATE FUNCTION snapify_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_words (word)
    SELECT w FROM unnest(tsvector_to_array(to_tsvector('simple', NEW.title))) AS w
    WHERE length(w) BETWEEN 3 AND 40
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER products_search_words AFTER INSERT OR UPDATE OF title ON products
    FOR EACH ROW EXECUTE FUNCTION snapify_search_words();

-- Counts the buyer pages and the Free plan's cap read, kept by the database itself so no code
-- path can forget them.
CREATE FUNCTION snapify_product_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE stores SET product_count = product_count - 1 WHERE id = OLD.store_id;
        IF OLD.category_id IS NOT NULL AND OLD.status = 'active' THEN
            UPDATE categories SET product_count = product_count - 1 WHERE id = OLD.category_id;
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE stores SET product_count = product_count + 1 WHERE id = NEW.store_id;
        IF NEW.category_id IS NOT NULL AND NEW.status = 'active' THEN
            UPDATE categories SET product_count = product_count + 1 WHERE id = NEW.category_id;
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER products_counts AFTER INSERT OR DELETE OR UPDATE OF category_id, status, store_id ON products
    FOR EACH ROW EXECUTE FUNCTION snapify_product_counts();

CREATE TABLE orders (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    store_id           bigint NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
    number             text NOT NULL,
    idempotency_key    text NOT NULL,
    buyer_name         text NOT NULL,
    buyer_phone        text NOT NULL,
    address            text NOT NULL,
    city               text NOT NULL DEFAULT '',
    notes              text NOT NULL DEFAULT '',
    lines              jsonb NOT NULL,
    subtotal_paisa     bigint NOT NULL CHECK (subtotal_paisa >= 0),
    delivery_fee_paisa bigint NOT NULL DEFAULT 0 CHECK (delivery_fee_paisa >= 0),
    total_paisa        bigint NOT NULL CHECK (total_paisa = subtotal_paisa + delivery_fee_paisa),
    payment            text NOT NULL DEFAULT 'cod' CHECK (payment IN ('cod')),
    status             text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'confirmed', 'shipped', 'delivered', 'cancelled', 'returned')),
    tracking_number    text NOT NULL DEFAULT '',
    notified_at        timestamptz,
    notify_error       text NOT NULL DEFAULT '',
    status_changed_at  timestamptz NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    UNIQUE (store_id, idempotency_key),
    UNIQUE (store_id, number)
);
CREATE INDEX orders_store_idx ON orders (store_id, created_at DESC);

CREATE TABLE analytics_events (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    store_id     bigint NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
    product_id   bigint,
    page         text NOT NULL,
    path         text NOT NULL,
    visitor_hash bytea NOT NULL,
    referrer     text NOT NULL DEFAULT '',
    city         text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL
);
CREATE INDEX analytics_store_idx ON analytics_events (store_id, created_at);

CREATE TABLE posts (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    store_id     bigint NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
    product_id   bigint,
    channel      text NOT NULL DEFAULT 'whatsapp_status',
    body         text NOT NULL,
    image        jsonb,
    status       text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'scheduled', 'published', 'failed')),
    scheduled_at timestamptz,
    published_at timestamptz,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX posts_store_idx ON posts (store_id, created_at DESC);

-- The WhatsApp conversation with a seller (the bot itself is the next issue). last_inbound_at
-- decides whether free text may be sent (24-hour window) or a template is needed.
CREATE TABLE whatsapp_sessions (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    wa_id           text NOT NULL UNIQUE,
    user_id         bigint REFERENCES users (id) ON DELETE SET NULL,
    store_id        bigint REFERENCES stores (id) ON DELETE SET NULL,
    state           text NOT NULL DEFAULT 'idle',
    context         jsonb NOT NULL DEFAULT '{}',
    last_inbound_at timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);

CREATE TABLE city_pages (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    store_id           bigint NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
    city_slug          text NOT NULL,
    city               text NOT NULL,
    intro              text NOT NULL,
    delivery_days      text NOT NULL DEFAULT '2–4 days',
    delivery_fee_paisa bigint NOT NULL DEFAULT 0,
    generated_at       timestamptz NOT NULL,
    UNIQUE (store_id, city_slug)
);

CREATE TABLE hub_pages (
    slug         text PRIMARY KEY,
    heading      text NOT NULL,
    intro        text NOT NULL,
    category     text NOT NULL,
    region       text NOT NULL,
    store_ids    bigint[] NOT NULL,
    generated_at timestamptz NOT NULL
);

CREATE TABLE sitemap_files (
    name         text PRIMARY KEY,
    store_id     bigint REFERENCES stores (id) ON DELETE CASCADE,
    body         text NOT NULL,
    url_count    integer NOT NULL,
    generated_at timestamptz NOT NULL
);
