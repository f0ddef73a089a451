package psydge

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/uptrace/bun"
)

// The user's record as the history endpoints list it: every query takes the user id.

func violationsOf(ctx context.Context, db bun.IDB, userID int64, limit int) ([]ViolationRow, error) {
	vs := []ViolationRow{}
	if err := db.NewSelect().Model(&vs).Where("user_id = ?", userID).Order("id DESC").Limit(limit).Scan(ctx); err != nil {
		return nil, fmt.Errorf("psydge: violations: %w", err)
	}
	return vs, nil
}

func scoresOf(ctx context.Context, db bun.IDB, userID int64, limit int) ([]ScoreRow, error) {
	ss := []ScoreRow{}
	if err := db.NewSelect().Model(&ss).Where("user_id = ?", userID).Order("date DESC").Limit(limit).Scan(ctx); err != nil {
		return nil, fmt.Errorf("psydge: scores: %w", err)
	}
	for i := range ss {
		ss[i].Day = ss[i].Date.Format(time.DateOnly)
	}
	return ss, nil
}

func reflectionsOf(ctx context.Context, db bun.IDB, userID int64, limit int) ([]Reflection, error) {
	rs := []Reflection{}
	if err := db.NewSelect().Model(&rs).Where("user_id = ?", userID).Order("date DESC", "id DESC").Limit(limit).Scan(ctx); err != nil {
		return nil, fmt.Errorf("psydge: reflections: %w", err)
	}
	for i := range rs {
		rs[i].Day = rs[i].Date.Format(time.DateOnly)
	}
	return rs, nil
}

func insertReflection(ctx context.Context, db bun.IDB, r *Reflection) error {
	if _, err := db.NewInsert().Model(r).Exec(ctx); err != nil {
		return fmt.Errorf("psydge: insert reflection: %w", err)
	}
	return nil
}

func patternsOf(ctx context.Context, db bun.IDB, userID int64) ([]PatternRow, error) {
	ps := []PatternRow{}
	if err := db.NewSelect().Model(&ps).Where("user_id = ?", userID).Order("occurrence_count DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("psydge: patterns: %w", err)
	}
	return ps, nil
}

// signalsFor lists the GO signals the user sees (everyone's and the user's own), newest first:
// live ones only unless all, of one symbol when symbol is not empty.
func signalsFor(ctx context.Context, db bun.IDB, userID int64, symbol string, all bool, now time.Time, limit int) ([]SignalRow, error) {
	rows := []SignalRow{}
	q := db.NewSelect().Model(&rows).Where("user_id IS NULL OR user_id = ?", userID).Order("issued_at DESC").Limit(limit)
	if !all {
		q = q.Where("valid_until > ?", now).Where("issued_at <= ?", now)
	}
	if symbol != "" {
		q = q.Where("symbol = ?", symbol)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("psydge: signals: %w", err)
	}
	return rows, nil
}

func insertSignal(ctx context.Context, db bun.IDB, row *SignalRow) error {
	if _, err := db.NewInsert().Model(row).Exec(ctx); err != nil {
		return fmt.Errorf("psydge: store signal %s: %w", row.ID, err)
	}
	return nil
}

func insertAIInteraction(ctx context.Context, db bun.IDB, row *AIInteraction) error {
	_, err := db.NewInsert().Model(row).Exec(ctx)
	return err
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

// usersToScore lists the users with a trading day to score between start and end: a live
// connection, a trade open during it, or a violation in it.
func usersToScore(ctx context.Context, db bun.IDB, start, end time.Time) ([]int64, error) {
	var users []int64
	err := db.NewRaw(`SELECT user_id FROM broker_connections WHERE connection_status <> 'disconnected'
		UNION SELECT user_id FROM trades WHERE opened_at < ? AND (closed_at IS NULL OR closed_at >= ?)
		UNION SELECT user_id FROM violations WHERE created_at >= ? AND created_at < ?`, end, start, start, end).Scan(ctx, &users)
	if err != nil {
		return nil, fmt.Errorf("psydge: users to score: %w", err)
	}
	return users, nil
}

// activeUsers lists every user not disabled.
func activeUsers(ctx context.Context, db bun.IDB) ([]int64, error) {
	var users []int64
	if err := db.NewRaw("SELECT id FROM users WHERE disabled_at IS NULL").Scan(ctx, &users); err != nil {
		return nil, fmt.Errorf("psydge: active users: %w", err)
	}
	return users, nil
}

func upsertScore(ctx context.Context, db bun.IDB, row *ScoreRow) error {
	_, err := db.NewInsert().Model(row).On("CONFLICT (user_id, date) DO UPDATE").
		Set("score = EXCLUDED.score, metric_breakdown = EXCLUDED.metric_breakdown, created_at = EXCLUDED.created_at").Exec(ctx)
	if err != nil {
		return fmt.Errorf("psydge: store score of user %d: %w", row.UserID, err)
	}
	return nil
}

// scoresBetween lists the user's scores from one date to another, both included.
func scoresBetween(ctx context.Context, db bun.IDB, userID int64, from, to time.Time) ([]ScoreRow, error) {
	var scores []ScoreRow
	if err := db.NewSelect().Model(&scores).Where("user_id = ?", userID).Where("date >= ? AND date <= ?", from, to).Scan(ctx); err != nil {
		return nil, fmt.Errorf("psydge: scores of user %d: %w", userID, err)
	}
	return scores, nil
}

func upsertPattern(ctx context.Context, db bun.IDB, row *PatternRow) error {
	_, err := db.NewInsert().Model(row).On("CONFLICT (user_id, pattern_type) DO UPDATE").
		Set("occurrence_count = EXCLUDED.occurrence_count, recent_count = EXCLUDED.recent_count, prior_count = EXCLUDED.prior_count").
		Set("last_instance = EXCLUDED.last_instance, trend = EXCLUDED.trend, updated_at = EXCLUDED.updated_at").Exec(ctx)
	return err
}

// patternsSince lists the user's patterns seen since from, most frequent first.
func patternsSince(ctx context.Context, db bun.IDB, userID int64, from time.Time) ([]PatternRow, error) {
	var pats []PatternRow
	if err := db.NewSelect().Model(&pats).Where("user_id = ?", userID).Where("last_instance >= ?", from).Order("occurrence_count DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("psydge: patterns of user %d: %w", userID, err)
	}
	return pats, nil
}

// insertAIInteractionOnce stores row unless its unique key (a weekly report's week) exists.
func insertAIInteractionOnce(ctx context.Context, db bun.IDB, row *AIInteraction) error {
	_, err := db.NewInsert().Model(row).On("CONFLICT DO NOTHING").Exec(ctx)
	return err
}
