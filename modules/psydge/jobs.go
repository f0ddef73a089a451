package psydge

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/alorig/alorig/shared/jobs"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

// dayDate names a trading day by its New York end date.
func dayDate(t time.Time) time.Time {
	d := discipline.TradingDay(t)
	return time.Date(d/10000, time.Month(d/100%100), d%100, 0, 0, 0, 0, time.UTC)
}

// SyncPositionsArgs is the 5 s sweep of every connected MetaApi account.
type SyncPositionsArgs struct{}

func (SyncPositionsArgs) Kind() string { return "psydge.sync_positions" }

// InsertOpts: one sweep per 5 s period, never retried (the next period is the retry).
func (SyncPositionsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByPeriod: 5 * time.Second}}
}

type syncWorker struct {
	river.WorkerDefaults[SyncPositionsArgs]
	m *Module
}

func (w *syncWorker) Timeout(*river.Job[SyncPositionsArgs]) time.Duration { return 30 * time.Second }

func (w *syncWorker) Work(ctx context.Context, _ *river.Job[SyncPositionsArgs]) error {
	_, err := w.m.Sweep(ctx, "metaapi")
	return err
}

// CalculateScoreArgs scores the trading day that contains At (zero: the day that just ended).
type CalculateScoreArgs struct {
	At time.Time `json:"at,omitempty"`
}

func (CalculateScoreArgs) Kind() string { return "psydge.calculate_discipline_score" }

type scoreWorker struct {
	river.WorkerDefaults[CalculateScoreArgs]
	m *Module
}

func (w *scoreWorker) Work(ctx context.Context, job *river.Job[CalculateScoreArgs]) error {
	at := job.Args.At
	if at.IsZero() {
		at = w.m.d.Clock.Now().Add(-2 * time.Minute)
	}
	start, end := discipline.TradingDayBounds(at)
	var users []int64
	err := w.m.d.DB.NewRaw(`SELECT user_id FROM broker_connections WHERE connection_status <> 'disconnected'
		UNION SELECT user_id FROM trades WHERE opened_at < ? AND (closed_at IS NULL OR closed_at >= ?)
		UNION SELECT user_id FROM violations WHERE created_at >= ? AND created_at < ?`, end, start, start, end).Scan(ctx, &users)
	if err != nil {
		return fmt.Errorf("psydge: users to score: %w", err)
	}
	for _, u := range users {
		if _, err := w.m.storeScore(ctx, u, at); err != nil {
			return err
		}
	}
	return nil
}

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
	_, err = m.d.DB.NewInsert().Model(row).On("CONFLICT (user_id, date) DO UPDATE").
		Set("score = EXCLUDED.score, metric_breakdown = EXCLUDED.metric_breakdown, created_at = EXCLUDED.created_at").Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("psydge: store score of user %d: %w", userID, err)
	}
	m.pushUser(ctx, userID, "score", row)
	return row, nil
}

// DetectPatternsArgs runs after every violation, inserted in the violation's transaction.
type DetectPatternsArgs struct {
	UserID int64 `json:"user_id"`
}

func (DetectPatternsArgs) Kind() string { return "psydge.detect_behavioral_patterns" }

// PatternWindow is the detection window; trends compare it with the window before.
const PatternWindow = 7 * 24 * time.Hour

type patternWorker struct {
	river.WorkerDefaults[DetectPatternsArgs]
	m *Module
}

func (w *patternWorker) Work(ctx context.Context, job *river.Job[DetectPatternsArgs]) error {
	_, err := w.m.detectPatterns(ctx, job.Args.UserID)
	return err
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
			_, err := tx.NewInsert().Model(&row).On("CONFLICT (user_id, pattern_type) DO UPDATE").
				Set("occurrence_count = EXCLUDED.occurrence_count, recent_count = EXCLUDED.recent_count, prior_count = EXCLUDED.prior_count").
				Set("last_instance = EXCLUDED.last_instance, trend = EXCLUDED.trend, updated_at = EXCLUDED.updated_at").Exec(ctx)
			if err != nil {
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

// WeeklyReportArgs builds the rule-based weekly behavioural report (Sunday 23:00 UTC).
type WeeklyReportArgs struct {
	At time.Time `json:"at,omitempty"`
}

func (WeeklyReportArgs) Kind() string { return "psydge.weekly_behavioral_report" }

type weeklyWorker struct {
	river.WorkerDefaults[WeeklyReportArgs]
	m *Module
}

func (w *weeklyWorker) Work(ctx context.Context, job *river.Job[WeeklyReportArgs]) error {
	at := job.Args.At
	if at.IsZero() {
		at = w.m.d.Clock.Now()
	}
	var users []int64
	if err := w.m.d.DB.NewRaw("SELECT id FROM users WHERE disabled_at IS NULL").Scan(ctx, &users); err != nil {
		return fmt.Errorf("psydge: users for weekly report: %w", err)
	}
	for _, u := range users {
		if _, err := w.m.weeklyReport(ctx, u, at); err != nil {
			return err
		}
	}
	return nil
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
	var pats []PatternRow
	if err := m.d.DB.NewSelect().Model(&pats).Where("user_id = ?", userID).Where("last_instance >= ?", from).Order("occurrence_count DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("psydge: patterns for weekly report: %w", err)
	}
	var avg float64
	var n int
	var scores []ScoreRow
	if err := m.d.DB.NewSelect().Model(&scores).Where("user_id = ?", userID).Where("date >= ? AND date <= ?", dayDate(from), dayDate(at)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("psydge: scores for weekly report: %w", err)
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
	for _, p := range pats {
		fmt.Fprintf(&sb, " Pattern %s: %d times, %s.", p.Type, p.Count, p.Trend)
	}
	y, wk := at.UTC().ISOWeek()
	input, _ := json.Marshal(map[string]any{"week": fmt.Sprintf("%d-W%02d", y, wk), "from": from.UTC(), "to": at.UTC(),
		"closed": closed, "total_r_milli": totalR, "violations": codes})
	row := &AIInteraction{UserID: userID, Role: "weekly_report", InputContext: input, Output: sb.String(), CreatedAt: m.d.Clock.Now()}
	_, err = m.d.DB.NewInsert().Model(row).On("CONFLICT DO NOTHING").Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("psydge: store weekly report of user %d: %w", userID, err)
	}
	m.pushUser(ctx, userID, "ai_message", row)
	return row, nil
}

// ReconcileIdempotencyArgs settles Idempotency-Keys: answers past their expiry are deleted,
// and keys a crash left in flight are settled from their trade row or freed.
type ReconcileIdempotencyArgs struct{}

func (ReconcileIdempotencyArgs) Kind() string { return "psydge.reconcile_idempotency_keys" }

// InsertOpts: one run per minute; a failed run is simply the next minute's work.
func (ReconcileIdempotencyArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByPeriod: time.Minute}}
}

type idemWorker struct {
	river.WorkerDefaults[ReconcileIdempotencyArgs]
	m *Module
}

func (w *idemWorker) Work(ctx context.Context, _ *river.Job[ReconcileIdempotencyArgs]) error {
	_, err := w.m.reconcileIdempotency(ctx)
	return err
}

// registerWorkers adds the module's River workers.
func (m *Module) registerWorkers() {
	if m.d.Workers == nil {
		return
	}
	river.AddWorker(m.d.Workers, &syncWorker{m: m})
	river.AddWorker(m.d.Workers, &scoreWorker{m: m})
	river.AddWorker(m.d.Workers, &patternWorker{m: m})
	river.AddWorker(m.d.Workers, &weeklyWorker{m: m})
	river.AddWorker(m.d.Workers, &idemWorker{m: m})
}

// sessionEnd schedules the score at each trading day's end, 17:00 New York (after the New
// York session closes; DST-correct because it is computed in New York time).
// A start between 17:00 and 17:01 still gets today's run.
func sessionEnd(t time.Time) time.Time {
	return discipline.TradingDayEnd(t.Add(-time.Minute)).Add(time.Minute)
}

// PeriodicJobs: the 5 s sweep, the score at each session end, the weekly report, and the
// Idempotency-Key reconciliation every minute.
func (m *Module) PeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(5*time.Second), func() (river.JobArgs, *river.InsertOpts) {
			return SyncPositionsArgs{}, nil
		}, nil),
		jobs.At(jobs.Schedule(sessionEnd), func() river.JobArgs { return CalculateScoreArgs{} }),
		jobs.At(jobs.Weekly(time.Sunday, 23, 0), func() river.JobArgs { return WeeklyReportArgs{} }),
		jobs.Every(time.Minute, func() river.JobArgs { return ReconcileIdempotencyArgs{} }, false),
	}
}
