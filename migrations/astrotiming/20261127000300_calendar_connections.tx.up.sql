-- Calendars a user connects from the page: Google through the OAuth consent flow (when it was
-- connected and the scope Google granted), and any CalDAV calendar by URL with basic-auth
-- credentials (the password sealed with the keyring, like the Google tokens). The last sync
-- failure of each is kept so the page can say why nothing arrives. Each schedule entry
-- remembers the CalDAV object it became, so a change is written over the same object.
ALTER TABLE calendar_links
    ADD COLUMN google_scope        text,
    ADD COLUMN google_connected_at timestamptz,
    ADD COLUMN google_error        text,
    ADD COLUMN caldav_url          text,
    ADD COLUMN caldav_username     text,
    ADD COLUMN caldav_password     bytea,
    ADD COLUMN caldav_synced_at    timestamptz,
    ADD COLUMN caldav_error        text;

ALTER TABLE schedule_entries
    ADD COLUMN caldav_href      text,
    ADD COLUMN caldav_etag      text,
    ADD COLUMN caldav_synced_at timestamptz;
