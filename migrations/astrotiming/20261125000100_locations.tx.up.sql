-- AstroTiming users have a home location and time zone; saved locations feed the nightly
-- pre-computation.
ALTER TABLE users
    ADD COLUMN latitude double precision CHECK (latitude BETWEEN -90 AND 90),
    ADD COLUMN longitude double precision CHECK (longitude BETWEEN -180 AND 180),
    ADD COLUMN timezone text NOT NULL DEFAULT 'UTC',
    ADD COLUMN preferences jsonb NOT NULL DEFAULT '{}';

CREATE TABLE locations (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       text NOT NULL,
    latitude   double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude  double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    timezone   text NOT NULL,
    created_at timestamptz NOT NULL,
    UNIQUE (user_id, name)
);
