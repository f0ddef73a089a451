package astrotiming

import (
	"context"
	"fmt"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"
)

type loggedQuery struct {
	Activity string
	Place    engine.Place
	At       time.Time
	Score    int // -1 for a search
}

// timingQuery is a row of timing_queries.
type timingQuery struct {
	bun.BaseModel `bun:"table:timing_queries"`
	ID            int64     `bun:"id,pk,autoincrement"`
	UserID        *int64    `bun:"user_id"`
	APIKeyID      *int64    `bun:"api_key_id"`
	Kind          string    `bun:"kind"`
	Activity      string    `bun:"activity"`
	Latitude      float64   `bun:"latitude"`
	Longitude     float64   `bun:"longitude"`
	Timezone      string    `bun:"timezone"`
	At            time.Time `bun:"at"`
	Score         *int      `bun:"score"`
	CreatedAt     time.Time `bun:"created_at"`
}

// logQueries records scored requests (the seed's TimingQuery) for usage statistics.
func (m *Module) logQueries(c echo.Context, kind string, qs []loggedQuery) error {
	cl := caller(c)
	now := m.d.Clock.Now()
	rows := make([]timingQuery, len(qs))
	for i, q := range qs {
		r := timingQuery{Kind: kind, Activity: q.Activity, Latitude: q.Place.Lat, Longitude: q.Place.Lng, Timezone: q.Place.Zone.String(), At: q.At.UTC(), CreatedAt: now}
		if cl.UserID != 0 {
			uid := cl.UserID
			r.UserID = &uid
		}
		if cl.Key != nil {
			kid := cl.Key.ID
			r.APIKeyID = &kid
		}
		if q.Score >= 0 {
			s := q.Score
			r.Score = &s
		}
		rows[i] = r
	}
	if _, err := m.d.DB.NewInsert().Model(&rows).Exec(c.Request().Context()); err != nil {
		return fmt.Errorf("astrotiming: log %s queries: %w", kind, err)
	}
	return nil
}

// QueryRetention is how long timing_queries are kept.
const QueryRetention = 90 * 24 * time.Hour

// CleanupQueries deletes timing queries older than QueryRetention.
func (m *Module) CleanupQueries(ctx context.Context) (int64, error) {
	res, err := m.d.DB.NewDelete().Model((*timingQuery)(nil)).Where("created_at < ?", m.d.Clock.Now().Add(-QueryRetention)).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("astrotiming: cleanup queries: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
