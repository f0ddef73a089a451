ALTER TABLE schedule_entries
    DROP COLUMN caldav_synced_at,
    DROP COLUMN caldav_etag,
    DROP COLUMN caldav_href;

ALTER TABLE calendar_links
    DROP COLUMN caldav_error,
    DROP COLUMN caldav_synced_at,
    DROP COLUMN caldav_password,
    DROP COLUMN caldav_username,
    DROP COLUMN caldav_url,
    DROP COLUMN google_error,
    DROP COLUMN google_connected_at,
    DROP COLUMN google_scope;
