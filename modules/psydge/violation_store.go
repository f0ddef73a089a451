package psydge

import (
	"context"
	"encoding/json"
	"time"

	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/uptrace/bun"
)

// ViolationRow is a violations row (the seed's Violation).
type ViolationRow struct {
	bun.BaseModel `bun:"table:violations"`
	ID            int64  `bun:"id,pk,autoincrement" json:"id"`
	UserID        int64  `bun:"user_id" json:"-"`
	Code          string `bun:"violation_code" json:"violation_code"`
	Gate          string `bun:"gate" json:"gate,omitempty"`
	Level         int    `bun:"level" json:"level_number"`
	// LevelName is the level as L1..L4, filled in when the row is encoded.
	LevelName       string          `bun:"-" json:"level"`
	Ref             string          `bun:"ref" json:"ref,omitempty"`
	AttemptedAction json.RawMessage `bun:"attempted_action,type:jsonb" json:"attempted_action"`
	Gates           json.RawMessage `bun:"gates,type:jsonb" json:"gates"`
	Snapshot        json.RawMessage `bun:"gate_state_snapshot,type:jsonb" json:"gate_state_snapshot"`
	TradingDay      int             `bun:"trading_day" json:"trading_day"`
	CreatedAt       time.Time       `bun:"created_at" json:"created_at"`
}

// MarshalJSON adds the level as L1..L4.
func (v ViolationRow) MarshalJSON() ([]byte, error) {
	type plain ViolationRow
	v.LevelName = discipline.Level(v.Level).String()
	return json.Marshal(plain(v))
}

func (v *ViolationRow) engine() discipline.Violation {
	return discipline.Violation{Code: v.Code, Gate: v.Gate, Level: discipline.Level(v.Level), At: v.CreatedAt, Ref: v.Ref}
}

func insertViolationRow(ctx context.Context, db bun.IDB, v *ViolationRow) error {
	_, err := db.NewInsert().Model(v).Exec(ctx)
	return err
}
