package astrotiming

import (
	"context"
	"encoding/json"
	"time"

	"github.com/alorig/alorig/shared/database"
	"github.com/uptrace/bun"
)

// Briefing is a row of briefings: the day's summary made 30 minutes before a user's sunrise.
type Briefing struct {
	bun.BaseModel `bun:"table:briefings"`
	UserID        int64           `bun:"user_id,pk" json:"-"`
	Date          time.Time       `bun:"date,pk,type:date" json:"-"`
	Body          json.RawMessage `bun:"body,type:jsonb" json:"briefing"`
	CreatedAt     time.Time       `bun:"created_at" json:"created_at"`
}

// latestBriefing is the user's most recent briefing; database.ErrNotFound before the first.
func latestBriefing(ctx context.Context, db bun.IDB, userID int64) (*Briefing, error) {
	b := new(Briefing)
	err := db.NewSelect().Model(b).Where("user_id = ?", userID).Order("date DESC").Limit(1).Scan(ctx)
	if err != nil {
		return nil, database.NoRows(err)
	}
	return b, nil
}

// upsertBriefing stores the briefing of its user and date, replacing one made before.
func upsertBriefing(ctx context.Context, db bun.IDB, b *Briefing) error {
	_, err := db.NewInsert().Model(b).On("CONFLICT (user_id, date) DO UPDATE").Set("body = EXCLUDED.body, created_at = EXCLUDED.created_at").Exec(ctx)
	return err
}
