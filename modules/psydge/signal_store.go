package psydge

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/uptrace/bun"
)

// SignalRow is a signals row.
type SignalRow struct {
	bun.BaseModel `bun:"table:signals"`
	ID            string          `bun:"id,pk" json:"id"`
	UserID        *int64          `bun:"user_id" json:"-"`
	Source        string          `bun:"source" json:"source"`
	Symbol        string          `bun:"symbol" json:"symbol"`
	Timeframe     string          `bun:"timeframe" json:"timeframe"`
	Direction     string          `bun:"direction" json:"direction"`
	Entry         float64         `bun:"entry" json:"entry"`
	Stop          float64         `bun:"stop" json:"stop"`
	Target        float64         `bun:"target" json:"target"`
	RMultiple     float64         `bun:"r_multiple" json:"r_multiple"`
	Indicators    json.RawMessage `bun:"indicators,type:jsonb" json:"indicators"`
	IssuedAt      time.Time       `bun:"issued_at" json:"issued_at"`
	ValidUntil    time.Time       `bun:"valid_until" json:"valid_until"`
	CreatedAt     time.Time       `bun:"created_at" json:"created_at"`
}

func (s *SignalRow) engine() discipline.Signal {
	dir, _ := discipline.ParseDirection(s.Direction)
	return discipline.Signal{ID: s.ID, Source: s.Source, Symbol: s.Symbol, Timeframe: discipline.Timeframe(s.Timeframe), Direction: dir, IssuedAt: s.IssuedAt}
}

// insertSignalOnce stores a Vista signal unless one with its id exists.
func insertSignalOnce(ctx context.Context, db bun.IDB, row *SignalRow) error {
	if _, err := db.NewInsert().Model(row).On("CONFLICT (id) DO NOTHING").Exec(ctx); err != nil {
		return fmt.Errorf("psydge: store signal %s: %w", row.ID, err)
	}
	return nil
}
