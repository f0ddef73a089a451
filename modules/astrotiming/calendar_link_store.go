package astrotiming

import (
	"context"
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

// setGoogleAccessToken keeps a refreshed (sealed) access token and its expiry.
func setGoogleAccessToken(ctx context.Context, db bun.IDB, userID int64, sealed []byte, expiry, now time.Time) error {
	_, err := db.NewRaw("UPDATE calendar_links SET google_access_token = ?, google_token_expiry = ?, updated_at = ? WHERE user_id = ?",
		sealed, expiry, now, userID).Exec(ctx)
	return err
}
