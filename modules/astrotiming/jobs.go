package astrotiming

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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

// QueryRetention is how long timing_queries are kept.
const QueryRetention = 90 * 24 * time.Hour

// BriefingLead is how long before sunrise the briefing is made.
const BriefingLead = 30 * time.Minute

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

// Precompute stores today's and tomorrow's hours and noon positions (UTC dates as local dates
// of each place) for every distinct saved location, and warms the Redis hours cache. It
// returns the number of rows written.
func (m *Module) Precompute(ctx context.Context) (int, error) {
	eng, err := m.engine()
	if err != nil {
		return 0, err
	}
	var locs []SavedLocation
	if err := m.d.DB.NewRaw(`SELECT DISTINCT ON (round(latitude::numeric, 3), round(longitude::numeric, 3), timezone) *
		FROM locations ORDER BY round(latitude::numeric, 3), round(longitude::numeric, 3), timezone, id`).Scan(ctx, &locs); err != nil {
		return 0, fmt.Errorf("astrotiming: precompute: list locations: %w", err)
	}
	now := m.d.Clock.Now()
	n := 0
	for _, l := range locs {
		p, err := l.Place()
		if err != nil {
			m.d.Log.Warn("astrotiming: precompute: bad saved location", "id", l.ID, "err", err)
			continue
		}
		p.Lat, p.Lng = RoundCoord(p.Lat), RoundCoord(p.Lng)
		today := engine.DateOf(now.In(p.Zone))
		for _, d := range []engine.Date{today, today.AddDays(1)} {
			day, err := eng.Day(p, d)
			var pe *engine.PolarError
			if errors.As(err, &pe) {
				continue // no hours to cache on a polar date
			}
			if err != nil {
				return n, fmt.Errorf("astrotiming: precompute %s for location %d: %w", d, l.ID, err)
			}
			hours, _ := json.Marshal(dayJSON(day, p))
			ps, err := eng.Positions(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, p.Zone).UTC())
			if err != nil {
				return n, fmt.Errorf("astrotiming: precompute positions %s: %w", d, err)
			}
			pos, _ := json.Marshal(positionsJSON(ps))
			_, err = m.d.DB.NewRaw(`INSERT INTO planetary_cache (date, location_hash, latitude, longitude, timezone, hours, positions, computed_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (date, location_hash) DO UPDATE
				SET hours = EXCLUDED.hours, positions = EXCLUDED.positions, computed_at = EXCLUDED.computed_at`,
				d.String(), LocationHash(p), p.Lat, p.Lng, p.Zone.String(), string(hours), string(pos), now).Exec(ctx)
			if err != nil {
				return n, fmt.Errorf("astrotiming: precompute: store %s: %w", d, err)
			}
			if err := m.d.KV.Set(ctx, hoursKey(HoursQuery{Place: p, Date: d}), hours, HoursTTL); err != nil {
				m.d.Log.Warn("astrotiming: precompute: warm hours cache", "err", err)
			}
			n++
		}
	}
	return n, nil
}

// CleanupQueries deletes timing queries older than QueryRetention.
func (m *Module) CleanupQueries(ctx context.Context) (int64, error) {
	res, err := m.d.DB.NewDelete().Model((*timingQuery)(nil)).Where("created_at < ?", m.d.Clock.Now().Add(-QueryRetention)).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("astrotiming: cleanup queries: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
