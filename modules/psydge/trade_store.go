package psydge

import (
	"context"
	"fmt"
	"time"

	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/alorig/alorig/shared/database"
	"github.com/uptrace/bun"
)

// Trade statuses. pending: reserved, order not yet answered; unknown: the broker did not say
// whether it executed (sync decides); open; closed; rejected: the broker refused; failed: sync
// found no trace of an unknown order.
const (
	StatusPending  = "pending"
	StatusOpen     = "open"
	StatusUnknown  = "unknown"
	StatusClosed   = "closed"
	StatusRejected = "rejected"
	StatusFailed   = "failed"
)

// liveStatuses hold risk in the gate state: a pending or unknown order may have executed.
var liveStatuses = []string{StatusPending, StatusOpen, StatusUnknown}

// Trade is a trades row (the seed's Trade). Prices are points, lots hundredths.
type Trade struct {
	bun.BaseModel `bun:"table:trades"`
	ID            int64      `bun:"id,pk" json:"id"`
	UserID        int64      `bun:"user_id" json:"-"`
	ConnectionID  *int64     `bun:"connection_id" json:"connection_id,omitempty"`
	ClientID      string     `bun:"client_id" json:"client_id"`
	Symbol        string     `bun:"symbol" json:"symbol"`
	Timeframe     string     `bun:"timeframe" json:"timeframe"`
	Direction     string     `bun:"direction" json:"direction"`
	Digits        int        `bun:"digits" json:"digits"`
	Entry         int64      `bun:"entry" json:"entry_points"`
	InitialSL     int64      `bun:"initial_sl" json:"initial_sl_points"`
	SL            int64      `bun:"sl" json:"sl_points"`
	TP            int64      `bun:"tp" json:"tp_points"`
	Exit          int64      `bun:"exit_price" json:"exit_points"`
	Lot           int64      `bun:"lot" json:"lot_hundredths"`
	Currency      string     `bun:"currency" json:"currency"`
	RiskMinor     int64      `bun:"risk_minor" json:"risk_minor"`
	RiskBP        int64      `bun:"risk_bp" json:"risk_bp"`
	RMilli        *int64     `bun:"r_result_milli" json:"r_result_milli,omitempty"`
	ProfitMinor   *int64     `bun:"profit_minor" json:"profit_minor,omitempty"`
	Strategy      string     `bun:"strategy" json:"strategy"`
	SignalID      string     `bun:"signal_id" json:"signal_id,omitempty"`
	Filled        bool       `bun:"filled" json:"filled"`
	Status        string     `bun:"status" json:"status"`
	PositionID    string     `bun:"position_id" json:"position_id,omitempty"`
	BrokerCode    string     `bun:"broker_code" json:"broker_code,omitempty"`
	CloseReason   string     `bun:"close_reason" json:"close_reason,omitempty"`
	OpenedAt      time.Time  `bun:"opened_at" json:"opened_at"`
	ClosedAt      *time.Time `bun:"closed_at" json:"closed_at,omitempty"`
	UpdatedAt     time.Time  `bun:"updated_at" json:"updated_at"`
}

// Record converts the row to the engine's record.
func (t *Trade) Record() discipline.TradeRecord {
	dir, _ := discipline.ParseDirection(t.Direction)
	r := discipline.TradeRecord{
		ClientID: t.ClientID, Symbol: t.Symbol, Timeframe: discipline.Timeframe(t.Timeframe), Direction: dir,
		Entry: t.Entry, InitialStop: t.InitialSL, Stop: t.SL, Exit: t.Exit, Lots: t.Lot, RiskMinor: t.RiskMinor,
		SignalID: t.SignalID, Filled: t.Filled, OpenedAt: t.OpenedAt,
	}
	if t.ClosedAt != nil {
		r.ClosedAt = *t.ClosedAt
	}
	return r
}

func tradeOf(ctx context.Context, db bun.IDB, userID, id int64) (*Trade, error) {
	t := new(Trade)
	err := db.NewSelect().Model(t).Where("user_id = ?", userID).Where("id = ?", id).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("psydge: trade %d: %w", id, database.NoRows(err))
	}
	return t, nil
}

func liveTrades(ctx context.Context, db bun.IDB, userID int64) ([]Trade, error) {
	var ts []Trade
	err := db.NewSelect().Model(&ts).Where("user_id = ?", userID).Where("status IN (?)", bun.In(liveStatuses)).Order("id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("psydge: live trades of user %d: %w", userID, err)
	}
	return ts, nil
}

func listTrades(ctx context.Context, db bun.IDB, userID int64, status string, limit int) ([]Trade, error) {
	ts := []Trade{}
	q := db.NewSelect().Model(&ts).Where("user_id = ?", userID).Order("id DESC").Limit(limit)
	if status != "" {
		q = q.Where("status = ?", status)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("psydge: trades of user %d: %w", userID, err)
	}
	return ts, nil
}

// nextTradeID takes the next trade id: the order's client id is derived from it before the
// row is written.
func nextTradeID(ctx context.Context, db bun.IDB) (int64, error) {
	var id int64
	if err := db.NewRaw("SELECT nextval('trades_id_seq')").Scan(ctx, &id); err != nil {
		return 0, fmt.Errorf("psydge: next trade id: %w", err)
	}
	return id, nil
}

func insertTrade(ctx context.Context, db bun.IDB, t *Trade) error {
	_, err := db.NewInsert().Model(t).Exec(ctx)
	return err
}

// updateTrade writes the named columns of the user's trade t.
func updateTrade(ctx context.Context, db bun.IDB, t *Trade, columns ...string) error {
	_, err := db.NewUpdate().Model(t).Column(columns...).WherePK().Where("user_id = ?", t.UserID).Exec(ctx)
	return err
}
