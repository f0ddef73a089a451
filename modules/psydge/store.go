package psydge

import (
	"context"
	"encoding/json"
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

// Connection is a broker_connections row (the seed's BrokerConnection).
type Connection struct {
	bun.BaseModel `bun:"table:broker_connections"`
	ID            int64      `bun:"id,pk,autoincrement" json:"id"`
	UserID        int64      `bun:"user_id" json:"-"`
	Broker        string     `bun:"broker" json:"broker"`
	Server        string     `bun:"server" json:"server"`
	AccountNumber string     `bun:"account_number" json:"account_number"`
	Status        string     `bun:"connection_status" json:"connection_status"`
	Currency      string     `bun:"currency" json:"currency"`
	PaperBalance  int64      `bun:"paper_balance" json:"paper_balance,omitempty"`
	LastError     string     `bun:"last_error" json:"last_error,omitempty"`
	LastSyncAt    *time.Time `bun:"last_sync_at" json:"last_sync_at,omitempty"`
	CreatedAt     time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt     time.Time  `bun:"updated_at" json:"updated_at"`
}

// ConfigRow is a discipline_configs row.
type ConfigRow struct {
	bun.BaseModel   `bun:"table:discipline_configs"`
	UserID          int64             `bun:"user_id,pk"`
	LossLockR       float64           `bun:"loss_lock_r"`
	ProfitLockR     float64           `bun:"profit_lock_r"`
	CooldownHours   float64           `bun:"cooldown_hours"`
	MaxRiskPct      float64           `bun:"max_risk_pct"`
	SessionHours    json.RawMessage   `bun:"session_hours,type:jsonb"`
	SymbolWhitelist json.RawMessage   `bun:"symbol_whitelist,type:jsonb"`
	Config          discipline.Config `bun:"config,type:jsonb"`
	LastAckAt       *time.Time        `bun:"last_ack_at"`
	UpdatedAt       time.Time         `bun:"updated_at"`
}

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

// ViolationRow is a violations row (the seed's Violation).
type ViolationRow struct {
	bun.BaseModel   `bun:"table:violations"`
	ID              int64           `bun:"id,pk,autoincrement" json:"id"`
	UserID          int64           `bun:"user_id" json:"-"`
	Code            string          `bun:"violation_code" json:"violation_code"`
	Gate            string          `bun:"gate" json:"gate,omitempty"`
	Level           int             `bun:"level" json:"level_number"`
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
	return json.Marshal(struct {
		plain
		LevelName string `json:"level"`
	}{plain(v), discipline.Level(v.Level).String()})
}

func (v *ViolationRow) engine() discipline.Violation {
	return discipline.Violation{Code: v.Code, Gate: v.Gate, Level: discipline.Level(v.Level), At: v.CreatedAt, Ref: v.Ref}
}

// ScoreRow is a discipline_scores row.
type ScoreRow struct {
	bun.BaseModel `bun:"table:discipline_scores"`
	ID            int64                     `bun:"id,pk,autoincrement" json:"-"`
	UserID        int64                     `bun:"user_id" json:"-"`
	Date          time.Time                 `bun:"date,type:date" json:"-"`
	Day           string                    `bun:"-" json:"date"`
	Score         int                       `bun:"score" json:"score"`
	Breakdown     discipline.ScoreBreakdown `bun:"metric_breakdown,type:jsonb" json:"metric_breakdown"`
	CreatedAt     time.Time                 `bun:"created_at" json:"created_at"`
}

// Reflection is a reflection_entries row (the seed's ReflectionEntry).
type Reflection struct {
	bun.BaseModel `bun:"table:reflection_entries"`
	ID            int64     `bun:"id,pk,autoincrement" json:"id"`
	UserID        int64     `bun:"user_id" json:"-"`
	Date          time.Time `bun:"date,type:date" json:"-"`
	Day           string    `bun:"-" json:"date"`
	SessionNotes  string    `bun:"session_notes" json:"session_notes"`
	AIPrompt      string    `bun:"ai_prompt" json:"ai_prompt"`
	AISummary     string    `bun:"ai_summary" json:"ai_summary"`
	CreatedAt     time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at" json:"updated_at"`
}

// AIInteraction is an ai_interactions row.
type AIInteraction struct {
	bun.BaseModel `bun:"table:ai_interactions"`
	ID            int64           `bun:"id,pk,autoincrement" json:"id"`
	UserID        int64           `bun:"user_id" json:"-"`
	TradeID       *int64          `bun:"trade_id" json:"trade_id,omitempty"`
	Role          string          `bun:"role" json:"role"`
	InputContext  json.RawMessage `bun:"input_context,type:jsonb" json:"input_context"`
	Output        string          `bun:"output" json:"output"`
	CreatedAt     time.Time       `bun:"created_at" json:"created_at"`
}

// PatternRow is a behavioral_patterns row.
type PatternRow struct {
	bun.BaseModel `bun:"table:behavioral_patterns"`
	ID            int64     `bun:"id,pk,autoincrement" json:"-"`
	UserID        int64     `bun:"user_id" json:"-"`
	Type          string    `bun:"pattern_type" json:"pattern_type"`
	Count         int       `bun:"occurrence_count" json:"occurrence_count"`
	Recent        int       `bun:"recent_count" json:"recent_count"`
	Prior         int       `bun:"prior_count" json:"prior_count"`
	LastInstance  time.Time `bun:"last_instance" json:"last_instance"`
	Trend         string    `bun:"trend" json:"trend"`
	UpdatedAt     time.Time `bun:"updated_at" json:"updated_at"`
}

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

// ---- stores: each takes a bun.IDB and, for tenant data, the user id ----

func configOf(ctx context.Context, db bun.IDB, userID int64) (*ConfigRow, error) {
	row := new(ConfigRow)
	err := db.NewSelect().Model(row).Where("user_id = ?", userID).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("psydge: discipline config of user %d: %w", userID, database.NoRows(err))
	}
	return row, nil
}

func newConfigRow(userID int64, cfg discipline.Config, now time.Time) *ConfigRow {
	sessions, _ := json.Marshal(map[string]any{"london": cfg.London, "new_york": cfg.NewYork})
	wl, _ := json.Marshal(cfg.Whitelist)
	return &ConfigRow{
		UserID: userID, LossLockR: float64(cfg.LossLockMilliR) / 1000, ProfitLockR: float64(cfg.ProfitLockMilliR) / 1000,
		CooldownHours: float64(cfg.CooldownMinutes) / 60, MaxRiskPct: float64(cfg.MaxRiskBasisPoints) / 100,
		SessionHours: sessions, SymbolWhitelist: wl, Config: cfg, UpdatedAt: now,
	}
}

func saveConfig(ctx context.Context, db bun.IDB, row *ConfigRow) error {
	_, err := db.NewInsert().Model(row).On("CONFLICT (user_id) DO UPDATE").
		Set("loss_lock_r = EXCLUDED.loss_lock_r, profit_lock_r = EXCLUDED.profit_lock_r, cooldown_hours = EXCLUDED.cooldown_hours").
		Set("max_risk_pct = EXCLUDED.max_risk_pct, session_hours = EXCLUDED.session_hours, symbol_whitelist = EXCLUDED.symbol_whitelist").
		Set("config = EXCLUDED.config, updated_at = EXCLUDED.updated_at").Exec(ctx)
	if err != nil {
		return fmt.Errorf("psydge: save discipline config of user %d: %w", row.UserID, err)
	}
	return nil
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

// recordOf loads what discipline.Rebuild needs: live trades, trades closed since the longest
// cooldown before now, the violations of the day plus every EXTERNAL_EXECUTION, the last ack.
func recordOf(ctx context.Context, db bun.IDB, userID int64, now time.Time) (discipline.Record, *ConfigRow, error) {
	var rec discipline.Record
	cfg, err := configOrDefault(ctx, db, userID, now)
	if err != nil {
		return rec, nil, err
	}
	since := now.Add(-discipline.MaxCooldownMinutes * time.Minute)
	dayStart, _ := discipline.TradingDayBounds(now)
	if dayStart.After(since) {
		dayStart = since
	}
	var ts []Trade
	err = db.NewSelect().Model(&ts).Where("user_id = ?", userID).
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("status IN (?)", bun.In(liveStatuses)).WhereOr("status = ? AND closed_at >= ?", StatusClosed, dayStart)
		}).Scan(ctx)
	if err != nil {
		return rec, nil, fmt.Errorf("psydge: rebuild trades of user %d: %w", userID, err)
	}
	for i := range ts {
		rec.Trades = append(rec.Trades, ts[i].Record())
	}
	var vs []ViolationRow
	err = db.NewSelect().Model(&vs).Where("user_id = ?", userID).
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("created_at >= ?", dayStart).WhereOr("violation_code = ?", discipline.CodeExternalExecution)
		}).Where("created_at <= ?", now).Order("created_at").Scan(ctx)
	if err != nil {
		return rec, nil, fmt.Errorf("psydge: rebuild violations of user %d: %w", userID, err)
	}
	for i := range vs {
		rec.Violations = append(rec.Violations, vs[i].engine())
	}
	if cfg.LastAckAt != nil {
		rec.LastAckAt = *cfg.LastAckAt
	}
	var sigs []SignalRow
	err = db.NewSelect().Model(&sigs).Where("user_id IS NULL OR user_id = ?", userID).
		Where("valid_until > ?", now).Where("issued_at <= ?", now).Order("issued_at").Limit(16).Scan(ctx)
	if err != nil {
		return rec, nil, fmt.Errorf("psydge: rebuild signals of user %d: %w", userID, err)
	}
	for i := range sigs {
		rec.Signals = append(rec.Signals, sigs[i].engine())
	}
	return rec, cfg, nil
}

// configOrDefault returns the user's config, or the locked rules when none was saved yet.
func configOrDefault(ctx context.Context, db bun.IDB, userID int64, now time.Time) (*ConfigRow, error) {
	row, err := configOf(ctx, db, userID)
	if err == nil {
		return row, nil
	}
	if !isNotFound(err) {
		return nil, err
	}
	return newConfigRow(userID, discipline.Defaults(), now), nil
}

func dayActivity(ctx context.Context, db bun.IDB, userID int64, from, to time.Time) (discipline.DayActivity, error) {
	var act discipline.DayActivity
	var ts []Trade
	err := db.NewSelect().Model(&ts).Where("user_id = ?", userID).
		Where("status NOT IN (?)", bun.In([]string{StatusRejected, StatusFailed})).
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("opened_at >= ? AND opened_at < ?", from, to).WhereOr("closed_at >= ? AND closed_at < ?", from, to)
		}).Order("opened_at").Scan(ctx)
	if err != nil {
		return act, fmt.Errorf("psydge: activity trades of user %d: %w", userID, err)
	}
	for i := range ts {
		act.Trades = append(act.Trades, ts[i].Record())
	}
	var vs []ViolationRow
	err = db.NewSelect().Model(&vs).Where("user_id = ?", userID).Where("created_at >= ? AND created_at < ?", from, to).Order("created_at").Scan(ctx)
	if err != nil {
		return act, fmt.Errorf("psydge: activity violations of user %d: %w", userID, err)
	}
	for i := range vs {
		act.Violations = append(act.Violations, vs[i].engine())
	}
	return act, nil
}
