package astrotiming

import (
	"context"
	"errors"
	"time"

	"github.com/alorig/alorig/shared/database"
	"github.com/uptrace/bun"
)

// The queries of calendar_links: one row per user holding the hash of their feed token and
// their sealed Google Calendar tokens. A missing row is database.ErrNotFound.

// setFeedToken keeps the hash of the user's feed token, replacing the previous one.
func setFeedToken(ctx context.Context, db bun.IDB, userID int64, hash []byte, now time.Time) error {
	_, err := db.NewRaw(`INSERT INTO calendar_links (user_id, ics_token_hash, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET ics_token_hash = EXCLUDED.ics_token_hash, updated_at = EXCLUDED.updated_at`,
		userID, hash, now).Exec(ctx)
	return err
}

// userByFeedToken is the user whose feed token hashes to hash.
func userByFeedToken(ctx context.Context, db bun.IDB, hash []byte) (int64, error) {
	var userID int64
	err := db.NewRaw("SELECT user_id FROM calendar_links WHERE ics_token_hash = ?", hash).Scan(ctx, &userID)
	if err != nil {
		return 0, database.NoRows(err)
	}
	return userID, nil
}

// setGoogleLink keeps the user's Google calendar and sealed tokens (refresh and expiry may be
// nil).
func setGoogleLink(ctx context.Context, db bun.IDB, userID int64, calendarID string, access, refresh []byte, expiry *time.Time, now time.Time) error {
	_, err := db.NewRaw(`INSERT INTO calendar_links (user_id, google_calendar_id, google_access_token, google_refresh_token, google_token_expiry, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET google_calendar_id = EXCLUDED.google_calendar_id,
		google_access_token = EXCLUDED.google_access_token, google_refresh_token = EXCLUDED.google_refresh_token,
		google_token_expiry = EXCLUDED.google_token_expiry, updated_at = EXCLUDED.updated_at`,
		userID, calendarID, access, refresh, expiry, now).Exec(ctx)
	return err
}

// googleLinkRow is a linked Google calendar with its owner's time zone.
type googleLinkRow struct {
	UserID   int64      `bun:"user_id"`
	Calendar string     `bun:"google_calendar_id"`
	Access   []byte     `bun:"google_access_token"`
	Refresh  []byte     `bun:"google_refresh_token"`
	Expiry   *time.Time `bun:"google_token_expiry"`
	Zone     string     `bun:"timezone"`
}

// googleLinksToSync are the linked calendars of users holding a live premium key.
func googleLinksToSync(ctx context.Context, db bun.IDB) ([]googleLinkRow, error) {
	var links []googleLinkRow
	err := db.NewRaw(`SELECT l.user_id, l.google_calendar_id, l.google_access_token, l.google_refresh_token, l.google_token_expiry, u.timezone
		FROM calendar_links l JOIN users u ON u.id = l.user_id
		WHERE l.google_calendar_id IS NOT NULL AND l.google_access_token IS NOT NULL
		AND EXISTS (SELECT 1 FROM api_keys k WHERE k.user_id = l.user_id AND k.tier = 'premium' AND k.revoked_at IS NULL)`).Scan(ctx, &links)
	return links, err
}

func markGoogleSynced(ctx context.Context, db bun.IDB, userID int64, at time.Time) error {
	_, err := db.NewRaw("UPDATE calendar_links SET google_synced_at = ? WHERE user_id = ?", at, userID).Exec(ctx)
	return err
}

// setGoogleConnection keeps the tokens of a completed consent (refresh may be nil when Google
// sent none), the scope granted and when; it clears the last sync error.
func setGoogleConnection(ctx context.Context, db bun.IDB, userID int64, calendarID string, access, refresh []byte, expiry *time.Time, scope string, now time.Time) error {
	_, err := db.NewRaw(`INSERT INTO calendar_links (user_id, google_calendar_id, google_access_token, google_refresh_token, google_token_expiry,
		google_scope, google_connected_at, google_error, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?) ON CONFLICT (user_id) DO UPDATE SET google_calendar_id = EXCLUDED.google_calendar_id,
		google_access_token = EXCLUDED.google_access_token, google_refresh_token = EXCLUDED.google_refresh_token,
		google_token_expiry = EXCLUDED.google_token_expiry, google_scope = EXCLUDED.google_scope,
		google_connected_at = EXCLUDED.google_connected_at, google_error = NULL, google_synced_at = NULL, updated_at = EXCLUDED.updated_at`,
		userID, calendarID, access, refresh, expiry, scope, now, now).Exec(ctx)
	return err
}

// googleTokensOf is the user's linked Google calendar (database.ErrNotFound without one).
func googleTokensOf(ctx context.Context, db bun.IDB, userID int64) (googleLinkRow, error) {
	var l googleLinkRow
	err := db.NewRaw(`SELECT l.user_id, l.google_calendar_id, l.google_access_token, l.google_refresh_token, l.google_token_expiry, u.timezone
		FROM calendar_links l JOIN users u ON u.id = l.user_id
		WHERE l.user_id = ? AND l.google_access_token IS NOT NULL`, userID).Scan(ctx, &l)
	return l, database.NoRows(err)
}

// clearGoogle forgets the user's Google tokens; the entries forget their Google events, so a
// calendar connected later gets them again.
func clearGoogle(ctx context.Context, db bun.IDB, userID int64, now time.Time) error {
	if _, err := db.NewRaw(`UPDATE calendar_links SET google_calendar_id = NULL, google_access_token = NULL, google_refresh_token = NULL,
		google_token_expiry = NULL, google_scope = NULL, google_connected_at = NULL, google_synced_at = NULL, google_error = NULL, updated_at = ?
		WHERE user_id = ?`, now, userID).Exec(ctx); err != nil {
		return err
	}
	_, err := db.NewRaw("UPDATE schedule_entries SET google_event_id = NULL, synced_at = NULL WHERE user_id = ?", userID).Exec(ctx)
	return err
}

// setGoogleError records why the last sync failed ("" clears it).
func setGoogleError(ctx context.Context, db bun.IDB, userID int64, msg string) error {
	_, err := db.NewRaw("UPDATE calendar_links SET google_error = NULLIF(?, '') WHERE user_id = ?", msg, userID).Exec(ctx)
	return err
}

// setRefreshedGoogle keeps a refreshed access token with its expiry and, when Google rotated
// it, the new refresh token.
func setRefreshedGoogle(ctx context.Context, db bun.IDB, userID int64, access, refresh []byte, expiry, now time.Time) error {
	_, err := db.NewRaw(`UPDATE calendar_links SET google_access_token = ?, google_refresh_token = COALESCE(?, google_refresh_token),
		google_token_expiry = ?, updated_at = ? WHERE user_id = ?`, access, refresh, expiry, now, userID).Exec(ctx)
	return err
}

// setCalDAV keeps the user's CalDAV calendar and its sealed password; the entries forget the
// objects they became on a previous CalDAV calendar.
func setCalDAV(ctx context.Context, db bun.IDB, userID int64, url, username string, password []byte, now time.Time) error {
	if _, err := db.NewRaw(`INSERT INTO calendar_links (user_id, caldav_url, caldav_username, caldav_password, caldav_synced_at, caldav_error, updated_at)
		VALUES (?, ?, ?, ?, NULL, NULL, ?) ON CONFLICT (user_id) DO UPDATE SET caldav_url = EXCLUDED.caldav_url,
		caldav_username = EXCLUDED.caldav_username, caldav_password = EXCLUDED.caldav_password, caldav_synced_at = NULL,
		caldav_error = NULL, updated_at = EXCLUDED.updated_at`, userID, url, username, password, now).Exec(ctx); err != nil {
		return err
	}
	return forgetCalDAVObjects(ctx, db, userID)
}

func forgetCalDAVObjects(ctx context.Context, db bun.IDB, userID int64) error {
	_, err := db.NewRaw("UPDATE schedule_entries SET caldav_href = NULL, caldav_etag = NULL, caldav_synced_at = NULL WHERE user_id = ?", userID).Exec(ctx)
	return err
}

// clearCalDAV forgets the user's CalDAV calendar.
func clearCalDAV(ctx context.Context, db bun.IDB, userID int64, now time.Time) error {
	if _, err := db.NewRaw(`UPDATE calendar_links SET caldav_url = NULL, caldav_username = NULL, caldav_password = NULL,
		caldav_synced_at = NULL, caldav_error = NULL, updated_at = ? WHERE user_id = ?`, now, userID).Exec(ctx); err != nil {
		return err
	}
	return forgetCalDAVObjects(ctx, db, userID)
}

// calDAVLinkRow is a connected CalDAV calendar.
type calDAVLinkRow struct {
	UserID   int64  `bun:"user_id"`
	URL      string `bun:"caldav_url"`
	Username string `bun:"caldav_username"`
	Password []byte `bun:"caldav_password"`
}

// calDAVLinksToSync are the CalDAV calendars of users holding a live premium key.
func calDAVLinksToSync(ctx context.Context, db bun.IDB) ([]calDAVLinkRow, error) {
	var links []calDAVLinkRow
	err := db.NewRaw(`SELECT l.user_id, l.caldav_url, l.caldav_username, l.caldav_password FROM calendar_links l
		WHERE l.caldav_url IS NOT NULL AND l.caldav_password IS NOT NULL
		AND EXISTS (SELECT 1 FROM api_keys k WHERE k.user_id = l.user_id AND k.tier = 'premium' AND k.revoked_at IS NULL)`).Scan(ctx, &links)
	return links, err
}

// markCalDAVSynced records the end of a sync and its error ("" for none).
func markCalDAVSynced(ctx context.Context, db bun.IDB, userID int64, at time.Time, msg string) error {
	_, err := db.NewRaw("UPDATE calendar_links SET caldav_synced_at = ?, caldav_error = NULLIF(?, '') WHERE user_id = ?", at, msg, userID).Exec(ctx)
	return err
}

// CalendarStatus is what the user has connected, for the page and GET /api/v1/calendar.
type CalendarStatus struct {
	GoogleCalendar    *string    `bun:"google_calendar_id" json:"google_calendar_id"`
	GoogleConnectedAt *time.Time `bun:"google_connected_at" json:"google_connected_at,omitempty"`
	GoogleSyncedAt    *time.Time `bun:"google_synced_at" json:"google_synced_at,omitempty"`
	GoogleError       *string    `bun:"google_error" json:"google_error,omitempty"`
	CalDAVURL         *string    `bun:"caldav_url" json:"caldav_url"`
	CalDAVUsername    *string    `bun:"caldav_username" json:"caldav_username,omitempty"`
	CalDAVSyncedAt    *time.Time `bun:"caldav_synced_at" json:"caldav_synced_at,omitempty"`
	CalDAVError       *string    `bun:"caldav_error" json:"caldav_error,omitempty"`
	ICSFeed           bool       `bun:"ics_feed" json:"ics_feed"`
}

// calendarStatusOf is the user's connections; a user with none gets the zero status.
func calendarStatusOf(ctx context.Context, db bun.IDB, userID int64) (CalendarStatus, error) {
	var s CalendarStatus
	err := db.NewRaw(`SELECT CASE WHEN google_access_token IS NULL THEN NULL ELSE google_calendar_id END AS google_calendar_id,
		google_connected_at, google_synced_at, google_error, caldav_url, caldav_username, caldav_synced_at, caldav_error,
		ics_token_hash IS NOT NULL AS ics_feed FROM calendar_links WHERE user_id = ?`, userID).Scan(ctx, &s)
	if err := database.NoRows(err); errors.Is(err, database.ErrNotFound) {
		return CalendarStatus{}, nil
	} else if err != nil {
		return s, err
	}
	return s, nil
}
