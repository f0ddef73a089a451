-- A site is a tenant: it answers on <slug>.alorig.site and, once verified, on a custom domain.
CREATE TABLE sites (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    slug          text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$'),
    name          text NOT NULL,
    custom_domain text UNIQUE CHECK (custom_domain = lower(custom_domain)),
    published     boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);

-- Pages are ordered lists of typed blocks (the native replacement for Payload's block fields).
CREATE TABLE pages (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id    bigint NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    path       text NOT NULL CHECK (path LIKE '/%'),
    title      text NOT NULL,
    blocks     jsonb NOT NULL DEFAULT '[]',
    published  boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    UNIQUE (site_id, path)
);
