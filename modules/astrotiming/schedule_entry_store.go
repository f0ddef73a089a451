package astrotiming

import (
	"context"
	"time"

	"github.com/alorig/alorig/shared/database"
	"github.com/uptrace/bun"
)

// StoredEntry is a row of schedule_entries.
type StoredEntry struct {
	bun.BaseModel `bun:"table:schedule_entries"`
	ID            int64      `bun:"id,pk,autoincrement" json:"id"`
	UserID        int64      `bun:"user_id" json:"-"`
	Activity      string     `bun:"activity" json:"activity"`
	Priority      int        `bun:"priority" json:"priority"`
	StartsAt      time.Time  `bun:"starts_at" json:"start"`
	EndsAt        time.Time  `bun:"ends_at" json:"end"`
	Score         int        `bun:"score" json:"tqs_score"`
	Band          string     `bun:"band" json:"band"`
	Unfavorable   bool       `bun:"unfavorable" json:"unfavorable"`
	GoogleEventID *string    `bun:"google_event_id" json:"google_event_id,omitempty"`
	SyncedAt      *time.Time `bun:"synced_at" json:"synced_at,omitempty"`
	CalDAVHref    *string    `bun:"caldav_href" json:"-"`
	CalDAVETag    *string    `bun:"caldav_etag" json:"-"`
	CalDAVSynced  *time.Time `bun:"caldav_synced_at" json:"caldav_synced_at,omitempty"`
	CreatedAt     time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt     time.Time  `bun:"updated_at" json:"-"`
}

// The queries of schedule_entries. Every one but the calendar sync's mark is scoped to the
// owning user; a missing row is database.ErrNotFound.

func insertEntries(ctx context.Context, db bun.IDB, entries []StoredEntry) error {
	_, err := db.NewInsert().Model(&entries).Returning("id").Exec(ctx)
	return err
}

// listEntries is the user's schedule in start order, at most limit entries.
func listEntries(ctx context.Context, db bun.IDB, userID int64, limit int) ([]StoredEntry, error) {
	out := []StoredEntry{}
	err := db.NewSelect().Model(&out).Where("user_id = ?", userID).Order("starts_at").Limit(limit).Scan(ctx)
	return out, err
}

// entriesEndingAfter is the user's entries still running or to come at after, in start order.
func entriesEndingAfter(ctx context.Context, db bun.IDB, userID int64, after time.Time, limit int) ([]StoredEntry, error) {
	var out []StoredEntry
	err := db.NewSelect().Model(&out).Where("user_id = ?", userID).Where("ends_at > ?", after).
		Order("starts_at").Limit(limit).Scan(ctx)
	return out, err
}

// entriesToSync is the user's entries still to come that Google Calendar has not seen as they
// are now: never synced, or changed since.
func entriesToSync(ctx context.Context, db bun.IDB, userID int64, now time.Time, limit int) ([]StoredEntry, error) {
	var out []StoredEntry
	err := db.NewSelect().Model(&out).Where("user_id = ?", userID).Where("ends_at > ?", now).
		Where("synced_at IS NULL OR updated_at > synced_at").Order("starts_at").Limit(limit).Scan(ctx)
	return out, err
}

// markEntrySynced records the Google event an entry became and when.
func markEntrySynced(ctx context.Context, db bun.IDB, id int64, eventID string, at time.Time) error {
	_, err := db.NewUpdate().Model((*StoredEntry)(nil)).Set("google_event_id = ?", eventID).Set("synced_at = ?", at).
		Where("id = ?", id).Exec(ctx)
	return err
}

// entriesToSyncCalDAV is entriesToSync for the user's CalDAV calendar.
func entriesToSyncCalDAV(ctx context.Context, db bun.IDB, userID int64, now time.Time, limit int) ([]StoredEntry, error) {
	var out []StoredEntry
	err := db.NewSelect().Model(&out).Where("user_id = ?", userID).Where("ends_at > ?", now).
		Where("caldav_synced_at IS NULL OR updated_at > caldav_synced_at").Order("starts_at").Limit(limit).Scan(ctx)
	return out, err
}

// markEntryCalDAV records the CalDAV object an entry became (its href and ETag) and when.
func markEntryCalDAV(ctx context.Context, db bun.IDB, id int64, href, etag string, at time.Time) error {
	_, err := db.NewUpdate().Model((*StoredEntry)(nil)).Set("caldav_href = ?", href).Set("caldav_etag = NULLIF(?, '')", etag).
		Set("caldav_synced_at = ?", at).Where("id = ?", id).Exec(ctx)
	return err
}

func deleteEntry(ctx context.Context, db bun.IDB, userID, id int64) error {
	res, err := db.NewDelete().Model((*StoredEntry)(nil)).Where("id = ?", id).Where("user_id = ?", userID).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return database.ErrNotFound
	}
	return nil
}
