package psydge

// The use cases the scheduled jobs run over the record (jobs.go): the trading day's score, the
// behavioural patterns and the weekly report. The rules are discipline's (Score,
// DetectPatterns); this file reads the record, calls them and stores what they found.

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/uptrace/bun"
)

// scoreOf computes the discipline score of the trading day containing at.
func (m *Module) scoreOf(ctx context.Context, userID int64, at time.Time) (*ScoreRow, error) {
	start, end := discipline.TradingDayBounds(at)
	act, err := dayActivity(ctx, m.d.DB, userID, start, end)
	if err != nil {
		return nil, err
	}
	b := discipline.Score(act)
	d := dayDate(at)
	return &ScoreRow{UserID: userID, Date: d, Day: d.Format(time.DateOnly), Score: b.Total, Breakdown: b, CreatedAt: m.d.Clock.Now()}, nil
}

func (m *Module) storeScore(ctx context.Context, userID int64, at time.Time) (*ScoreRow, error) {
	row, err := m.scoreOf(ctx, userID, at)
	if err != nil {
		return nil, err
	}
	if err := upsertScore(ctx, m.d.DB, row); err != nil {
		return nil, err
	}
	m.pushUser(ctx, userID, "score", row)
	return row, nil
}

func (m *Module) detectPatterns(ctx context.Context, userID int64) ([]PatternRow, error) {
	now := m.d.Clock.Now()
	act, err := dayActivity(ctx, m.d.DB, userID, now.Add(-2*PatternWindow-time.Hour), now.Add(time.Second))
	if err != nil {
		return nil, err
	}
	found := discipline.DetectPatterns(act.Trades, act.Violations, now.Add(time.Nanosecond), PatternWindow)
	rows := make([]PatternRow, 0, len(found))
	err = m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for _, p := range found {
			row := PatternRow{UserID: userID, Type: p.Type, Count: p.Count, Recent: p.Recent, Prior: p.Prior, LastInstance: p.LastAt, Trend: p.Trend, UpdatedAt: now}
			if err := upsertPattern(ctx, tx, &row); err != nil {
				return err
			}
			rows = append(rows, row)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("psydge: store patterns of user %d: %w", userID, err)
	}
	return rows, nil
}

// weeklyReport summarises the seven days before at: trades, R, violations by code, scores
// and patterns, in plain sentences. Stored once per user and ISO week as an AIInteraction
// with role "weekly_report" (the AI issue replaces the wording, not the facts).
func (m *Module) weeklyReport(ctx context.Context, userID int64, at time.Time) (*AIInteraction, error) {
	from := at.Add(-7 * 24 * time.Hour)
	act, err := dayActivity(ctx, m.d.DB, userID, from, at)
	if err != nil {
		return nil, err
	}
	closed, totalR, wins := 0, int64(0), 0
	for _, t := range act.Trades {
		if t.Closed() {
			if r, err := t.R(); err == nil {
				closed++
				totalR += r
				if r > 0 {
					wins++
				}
			}
		}
	}
	codes := map[string]int{}
	for _, v := range act.Violations {
		codes[v.Code]++
	}
	keys := make([]string, 0, len(codes))
	for k := range codes {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return codes[b] - codes[a] })
	pats, err := patternsSince(ctx, m.d.DB, userID, from)
	if err != nil {
		return nil, err
	}
	var avg float64
	var n int
	scores, err := scoresBetween(ctx, m.d.DB, userID, dayDate(from), dayDate(at))
	if err != nil {
		return nil, err
	}
	for _, s := range scores {
		avg += float64(s.Score)
		n++
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "Week ending %s: %d trades closed, %+.2fR in total, %d winners.", at.UTC().Format(time.DateOnly), closed, float64(totalR)/1000, wins)
	if n > 0 {
		fmt.Fprintf(&sb, " Average discipline score %.0f over %d days.", avg/float64(n), n)
	}
	if len(keys) == 0 {
		sb.WriteString(" No refused orders: every attempt respected the rules.")
	} else {
		fmt.Fprintf(&sb, " %d refused orders; most often %s (%d).", len(act.Violations), keys[0], codes[keys[0]])
	}
	sb.WriteString(m.weeklyDebriefs(ctx, userID, from, at))
	for _, p := range pats {
		fmt.Fprintf(&sb, " Pattern %s: %d times, %s.", p.Type, p.Count, p.Trend)
	}
	y, wk := at.UTC().ISOWeek()
	input, _ := json.Marshal(map[string]any{"week": fmt.Sprintf("%d-W%02d", y, wk), "from": from.UTC(), "to": at.UTC(),
		"closed": closed, "total_r_milli": totalR, "violations": codes})
	row := &AIInteraction{UserID: userID, Role: "weekly_report", InputContext: input, Output: sb.String(), CreatedAt: m.d.Clock.Now()}
	if err := insertAIInteractionOnce(ctx, m.d.DB, row); err != nil {
		return nil, fmt.Errorf("psydge: store weekly report of user %d: %w", userID, err)
	}
	m.pushUser(ctx, userID, "ai_message", row)
	return row, nil
}
