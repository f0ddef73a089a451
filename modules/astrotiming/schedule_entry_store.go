package astrotiming

import (
	"context"
	"fmt"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
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
	CreatedAt     time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt     time.Time  `bun:"updated_at" json:"-"`
}

func (m *Module) saveSchedule(ctx context.Context, userID int64, entries []engine.ScheduleEntry) ([]StoredEntry, error) {
	now := m.d.Clock.Now()
	out := []StoredEntry{}
	for _, e := range entries {
		if e.Assigned == nil {
			continue
		}
		out = append(out, StoredEntry{UserID: userID, Activity: e.Activity, Priority: e.Priority, StartsAt: e.Assigned.Start.UTC(),
			EndsAt: e.Assigned.End.UTC(), Score: e.Score, Band: e.Band, Unfavorable: e.Unfavorable, CreatedAt: now, UpdatedAt: now})
	}
	if len(out) == 0 {
		return out, nil
	}
	if _, err := m.d.DB.NewInsert().Model(&out).Returning("id").Exec(ctx); err != nil {
		return nil, fmt.Errorf("astrotiming: save schedule of user %d: %w", userID, err)
	}
	return out, nil
}
