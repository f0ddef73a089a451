package psydge

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/uptrace/bun"
)

// recordViolation stores a violation and, in the same transaction, the pattern detection job.
func (m *Module) recordViolation(ctx context.Context, userID int64, v discipline.Violation, t *ticket, d *discipline.Decision, snapshot json.RawMessage) (*ViolationRow, error) {
	attempt := json.RawMessage(`{}`)
	gates := json.RawMessage(`[]`)
	if t != nil {
		attempt, _ = json.Marshal(map[string]any{"action": "place", "symbol": t.req.Symbol, "timeframe": t.req.Timeframe,
			"direction": t.req.Direction, "lots": t.req.Lots, "entry": t.req.Entry, "stop": t.req.Stop, "signal_id": t.req.SignalID})
	}
	if d != nil {
		gates, _ = json.Marshal(d.Gates)
	}
	return m.insertViolation(ctx, userID, v, attempt, gates, snapshot)
}

func (m *Module) insertViolation(ctx context.Context, userID int64, v discipline.Violation, attempt, gates, snapshot json.RawMessage) (*ViolationRow, error) {
	row := &ViolationRow{UserID: userID, Code: v.Code, Gate: v.Gate, Level: int(v.Level), Ref: v.Ref, AttemptedAction: attempt,
		Gates: gates, Snapshot: snapshot, TradingDay: discipline.TradingDay(v.At), CreatedAt: v.At}
	if row.Level < 1 {
		row.Level = 1
	}
	err := m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := insertViolationRow(ctx, tx, row); err != nil {
			return err
		}
		_, err := m.d.Jobs.InsertTx(ctx, tx, DetectPatternsArgs{UserID: userID}, nil)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("psydge: record violation %s of user %d: %w", v.Code, userID, err)
	}
	return row, nil
}
