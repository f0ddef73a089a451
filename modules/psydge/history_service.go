package psydge

import (
	"context"
	"time"
)

// Trades lists the user's trades, newest first, optionally of one status.
func (m *Module) Trades(ctx context.Context, userID int64, status string, limit int) ([]Trade, error) {
	return listTrades(ctx, m.d.DB, userID, status, limit)
}

// Trade is one of the user's trades.
func (m *Module) Trade(ctx context.Context, userID, id int64) (*Trade, error) {
	return tradeOf(ctx, m.d.DB, userID, id)
}

// Violations lists the user's violations, newest first.
func (m *Module) Violations(ctx context.Context, userID int64, limit int) ([]ViolationRow, error) {
	return violationsOf(ctx, m.d.DB, userID, limit)
}

// Scores lists the user's daily scores, newest first.
func (m *Module) Scores(ctx context.Context, userID int64, limit int) ([]ScoreRow, error) {
	return scoresOf(ctx, m.d.DB, userID, limit)
}

// Reflections lists the user's journal entries, newest first.
func (m *Module) Reflections(ctx context.Context, userID int64, limit int) ([]Reflection, error) {
	return reflectionsOf(ctx, m.d.DB, userID, limit)
}

// Reflect writes a journal entry for the current trading day.
func (m *Module) Reflect(ctx context.Context, userID int64, notes string) (*Reflection, error) {
	now := m.d.Clock.Now()
	d := dayDate(now)
	r := &Reflection{UserID: userID, Date: d, Day: d.Format(time.DateOnly), SessionNotes: notes,
		AIPrompt: "What did you feel before your first trade today, and did a rule stop you from something you wanted to do?", CreatedAt: now, UpdatedAt: now}
	if err := insertReflection(ctx, m.d.DB, r); err != nil {
		return nil, err
	}
	return r, nil
}

// Patterns lists the user's detected patterns, most frequent first.
func (m *Module) Patterns(ctx context.Context, userID int64) ([]PatternRow, error) {
	return patternsOf(ctx, m.d.DB, userID)
}
