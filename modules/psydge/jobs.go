package psydge

import (
	"context"
	"time"

	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/alorig/alorig/shared/jobs"
	"github.com/riverqueue/river"
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
	users, err := usersToScore(ctx, w.m.d.DB, start, end)
	if err != nil {
		return err
	}
	for _, u := range users {
		if _, err := w.m.storeScore(ctx, u, at); err != nil {
			return err
		}
	}
	return nil
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
	users, err := activeUsers(ctx, w.m.d.DB)
	if err != nil {
		return err
	}
	for _, u := range users {
		if _, err := w.m.weeklyReport(ctx, u, at); err != nil {
			return err
		}
	}
	return nil
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
	m.registerAIWorkers()
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
	return append([]*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(5*time.Second), func() (river.JobArgs, *river.InsertOpts) {
			return SyncPositionsArgs{}, nil
		}, nil),
		jobs.At(jobs.Schedule(sessionEnd), func() river.JobArgs { return CalculateScoreArgs{} }),
		jobs.At(jobs.Weekly(time.Sunday, 23, 0), func() river.JobArgs { return WeeklyReportArgs{} }),
		jobs.Every(time.Minute, func() river.JobArgs { return ReconcileIdempotencyArgs{} }, false),
		jobs.Every(5*time.Minute, func() river.JobArgs { return BillingSweepArgs{} }, false),
	}, m.aiPeriodicJobs()...)
}
