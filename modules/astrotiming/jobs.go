package astrotiming

import (
	"context"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/jobs"
	"github.com/riverqueue/river"
)

// PrecomputeArgs fills planetary_cache for every saved location (daily, 00:00 UTC).
type PrecomputeArgs struct{}

func (PrecomputeArgs) Kind() string { return "astrotiming.precompute_daily_planetary_data" }

// BriefingSweepArgs finds users whose briefing is due and schedules it (every 10 minutes).
type BriefingSweepArgs struct{}

func (BriefingSweepArgs) Kind() string { return "astrotiming.schedule_daily_briefings" }

// BriefingArgs makes one user's briefing for one local date, at sunrise − 30 min.
type BriefingArgs struct {
	UserID int64  `json:"user_id"`
	Date   string `json:"date"`
}

func (BriefingArgs) Kind() string { return "astrotiming.generate_daily_briefing" }

// SyncCalendarsArgs pushes premium users' schedules to Google Calendar (every 30 minutes).
type SyncCalendarsArgs struct{}

func (SyncCalendarsArgs) Kind() string { return "astrotiming.sync_user_calendars" }

// CleanupArgs deletes timing queries older than QueryRetention (weekly).
type CleanupArgs struct{}

func (CleanupArgs) Kind() string { return "astrotiming.cleanup_old_queries" }

// WebhookArgs delivers one optimal-window notification; it is scheduled for the window start.
type WebhookArgs struct {
	WebhookID int64         `json:"webhook_id"`
	Window    engine.Window `json:"window"`
}

func (WebhookArgs) Kind() string { return "astrotiming.deliver_webhook" }

func periodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{
		jobs.At(jobs.Daily(0, 0), func() river.JobArgs { return PrecomputeArgs{} }),
		jobs.Every(10*time.Minute, func() river.JobArgs { return BriefingSweepArgs{} }, true),
		jobs.Every(30*time.Minute, func() river.JobArgs { return SyncCalendarsArgs{} }, false),
		jobs.At(jobs.Weekly(time.Sunday, 3, 0), func() river.JobArgs { return CleanupArgs{} }),
	}
}

type workFunc[T river.JobArgs] struct {
	river.WorkerDefaults[T]
	fn func(context.Context, T) error
}

func (w *workFunc[T]) Work(ctx context.Context, j *river.Job[T]) error { return w.fn(ctx, j.Args) }

func (m *Module) registerWorkers() {
	river.AddWorker(m.d.Workers, &workFunc[PrecomputeArgs]{fn: func(ctx context.Context, _ PrecomputeArgs) error {
		_, err := m.Precompute(ctx)
		return err
	}})
	river.AddWorker(m.d.Workers, &workFunc[BriefingSweepArgs]{fn: func(ctx context.Context, _ BriefingSweepArgs) error {
		_, err := m.ScheduleBriefings(ctx)
		return err
	}})
	river.AddWorker(m.d.Workers, &workFunc[BriefingArgs]{fn: func(ctx context.Context, a BriefingArgs) error {
		return m.GenerateBriefing(ctx, a.UserID, a.Date)
	}})
	river.AddWorker(m.d.Workers, &workFunc[SyncCalendarsArgs]{fn: func(ctx context.Context, _ SyncCalendarsArgs) error {
		_, err := m.SyncCalendars(ctx)
		return err
	}})
	river.AddWorker(m.d.Workers, &workFunc[CleanupArgs]{fn: func(ctx context.Context, _ CleanupArgs) error {
		_, err := m.CleanupQueries(ctx)
		return err
	}})
	river.AddWorker(m.d.Workers, &workFunc[WebhookArgs]{fn: func(ctx context.Context, a WebhookArgs) error {
		return m.DeliverWebhook(ctx, a.WebhookID, a.Window)
	}})
}
