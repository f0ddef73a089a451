package psydge

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/alorig/alorig/shared/database"
	"github.com/uptrace/bun"
)

// AISettings is an ai_settings row: the user's switches of the four roles.
type AISettings struct {
	bun.BaseModel       `bun:"table:ai_settings"`
	UserID              int64     `bun:"user_id,pk" json:"-"`
	TradeSupervisor     bool      `bun:"trade_supervisor" json:"trade_supervisor"`
	PreEntryValidator   bool      `bun:"pre_entry_validator" json:"pre_entry_validator"`
	BehavioralPredictor bool      `bun:"behavioral_predictor" json:"behavioral_predictor"`
	SessionDebrief      bool      `bun:"session_debrief" json:"session_debrief"`
	PreEntryFailure     string    `bun:"pre_entry_failure" json:"pre_entry_failure" enum:"fail_closed,fail_open"`
	UpdatedAt           time.Time `bun:"updated_at" json:"updated_at"`
}

// defaultAISettings are a user's switches until saved (the migration's defaults).
func defaultAISettings(userID int64, now time.Time) *AISettings {
	return &AISettings{UserID: userID, TradeSupervisor: true, BehavioralPredictor: true, SessionDebrief: true, PreEntryFailure: failClosed, UpdatedAt: now}
}

func aiSettingsOf(ctx context.Context, db bun.IDB, userID int64, now time.Time) (*AISettings, error) {
	s := &AISettings{}
	err := db.NewSelect().Model(s).Where("user_id = ?", userID).Scan(ctx)
	if isNotFound(database.NoRows(err)) {
		return defaultAISettings(userID, now), nil
	}
	if err != nil {
		return nil, fmt.Errorf("psydge: ai settings of user %d: %w", userID, err)
	}
	return s, nil
}

func saveAISettings(ctx context.Context, db bun.IDB, s *AISettings) error {
	_, err := db.NewInsert().Model(s).On("CONFLICT (user_id) DO UPDATE").
		Set("trade_supervisor = EXCLUDED.trade_supervisor, pre_entry_validator = EXCLUDED.pre_entry_validator").
		Set("behavioral_predictor = EXCLUDED.behavioral_predictor, session_debrief = EXCLUDED.session_debrief").
		Set("pre_entry_failure = EXCLUDED.pre_entry_failure, updated_at = EXCLUDED.updated_at").Exec(ctx)
	if err != nil {
		return fmt.Errorf("psydge: save ai settings of user %d: %w", s.UserID, err)
	}
	return nil
}

// usersWithRole lists the active users with role switched on (a user without a row has the
// defaults, so the column's default decides for them).
func usersWithRole(ctx context.Context, db bun.IDB, role string) ([]int64, error) {
	col, ok := roleColumns[role]
	if !ok {
		return nil, fmt.Errorf("psydge: no AI role %q", role)
	}
	var def bool
	switch role {
	case roleSupervisor, rolePredictor, roleDebrief:
		def = true
	}
	var users []int64
	err := db.NewRaw(`SELECT u.id FROM users u LEFT JOIN ai_settings s ON s.user_id = u.id
		WHERE u.disabled_at IS NULL AND COALESCE(s.`+col+`, ?) ORDER BY u.id`, def).Scan(ctx, &users)
	if err != nil {
		return nil, fmt.Errorf("psydge: users with %s on: %w", role, err)
	}
	return users, nil
}

var roleColumns = map[string]string{
	roleSupervisor: "trade_supervisor", rolePreEntry: "pre_entry_validator",
	rolePredictor: "behavioral_predictor", roleDebrief: "session_debrief",
}

// AICall is an ai_interactions row as the AI roles write and list it (the seed's
// AIInteraction with the audit's metadata).
type AICall struct {
	bun.BaseModel `bun:"table:ai_interactions"`
	ID            int64           `bun:"id,pk,autoincrement" json:"id"`
	UserID        int64           `bun:"user_id" json:"-"`
	TradeID       *int64          `bun:"trade_id" json:"trade_id,omitempty"`
	Role          string          `bun:"role" json:"role"`
	Trigger       string          `bun:"trigger" json:"trigger,omitempty"`
	InputContext  json.RawMessage `bun:"input_context,type:jsonb,nullzero" json:"input_context,omitempty"`
	Output        string          `bun:"output" json:"output"`
	Decision      json.RawMessage `bun:"decision,type:jsonb,nullzero" json:"decision,omitempty"`
	Provider      string          `bun:"provider" json:"provider"`
	Model         string          `bun:"model" json:"model"`
	InputTokens   int64           `bun:"input_tokens" json:"input_tokens"`
	OutputTokens  int64           `bun:"output_tokens" json:"output_tokens"`
	CostMicroUSD  *int64          `bun:"cost_micro_usd" json:"cost_micro_usd,omitempty"`
	LatencyMS     int64           `bun:"latency_ms" json:"latency_ms"`
	Attempts      int             `bun:"attempts" json:"attempts"`
	Outcome       string          `bun:"outcome" json:"outcome"`
	Error         string          `bun:"error" json:"error,omitempty"`
	Ephemeral     bool            `bun:"ephemeral" json:"ephemeral"`
	CreatedAt     time.Time       `bun:"created_at" json:"created_at"`
}

func insertAICall(ctx context.Context, db bun.IDB, row *AICall) error {
	if _, err := db.NewInsert().Model(row).Exec(ctx); err != nil {
		return fmt.Errorf("psydge: record %s call of user %d: %w", row.Role, row.UserID, err)
	}
	return nil
}

// aiCallsOf lists the user's AI interactions newest first, before the id beforeID (0: from
// the newest).
func aiCallsOf(ctx context.Context, db bun.IDB, userID, beforeID int64, role string, limit int) ([]AICall, error) {
	rows := []AICall{}
	q := db.NewSelect().Model(&rows).Where("user_id = ?", userID).Order("id DESC").Limit(limit)
	if beforeID > 0 {
		q = q.Where("id < ?", beforeID)
	}
	if role != "" {
		q = q.Where("role = ?", role)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("psydge: ai interactions of user %d: %w", userID, err)
	}
	return rows, nil
}

// debriefsBetween lists the user's successful session debriefs created in [from, to).
func debriefsBetween(ctx context.Context, db bun.IDB, userID int64, from, to time.Time) ([]AICall, error) {
	rows := []AICall{}
	err := db.NewSelect().Model(&rows).Where("user_id = ? AND role = ? AND outcome = 'ok'", userID, roleDebrief).
		Where("created_at >= ? AND created_at < ?", from, to).Order("id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("psydge: debriefs of user %d: %w", userID, err)
	}
	return rows, nil
}

// setDaySummary stores the debrief's summary on the day's latest reflection, or on a new one.
func setDaySummary(ctx context.Context, db bun.IDB, userID int64, day time.Time, summary string, now time.Time) error {
	res, err := db.NewRaw(`UPDATE reflection_entries SET ai_summary = ?, updated_at = ? WHERE id = (
		SELECT id FROM reflection_entries WHERE user_id = ? AND date = ? ORDER BY id DESC LIMIT 1)`, summary, now, userID, day).Exec(ctx)
	if err != nil {
		return fmt.Errorf("psydge: store debrief of user %d: %w", userID, err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	return insertReflection(ctx, db, &Reflection{UserID: userID, Date: day, AISummary: summary, CreatedAt: now, UpdatedAt: now})
}

// closedSince lists trades closed at or after from, for users with role on.
func closedSince(ctx context.Context, db bun.IDB, from time.Time) ([]Trade, error) {
	var ts []Trade
	if err := db.NewSelect().Model(&ts).Where("status = ? AND closed_at >= ?", StatusClosed, from).Order("closed_at").Scan(ctx); err != nil {
		return nil, fmt.Errorf("psydge: trades closed since %s: %w", from, err)
	}
	return ts, nil
}

// openTradesOf lists the open trades of the given users.
func openTradesOf(ctx context.Context, db bun.IDB, users []int64) ([]Trade, error) {
	var ts []Trade
	if len(users) == 0 {
		return ts, nil
	}
	if err := db.NewSelect().Model(&ts).Where("status = ? AND user_id IN (?)", StatusOpen, bun.In(users)).Order("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("psydge: open trades: %w", err)
	}
	return ts, nil
}
