package psydge

import (
	"context"
	"fmt"
	"time"

	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/alorig/alorig/shared/ai"
	"github.com/alorig/alorig/shared/jobs"
	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/web"
	"github.com/riverqueue/river"
)

// aiClient is the client main built for the process, or one from config (tests, tools).
func aiClient(d platform.Deps) *ai.Client {
	if d.Config == nil {
		return ai.New(ai.Options{Clock: d.Clock, Log: d.Log})
	}
	return ai.FromConfig(d.Config.AI, d.Clock, d.Log)
}

// aiCheck reports the AI provider in /readyz: optional, so the offline provider is reported
// (with its reason) without making the process unready.
func (m *Module) aiCheck() web.Check {
	note := fmt.Sprintf("%s (%s)", m.ai.Provider(), m.ai.Model())
	return web.Check{Module: "psydge", Name: "ai", Optional: true, Note: note, Run: func(context.Context) error { return m.ai.Check() }}
}

// TradeSupervisorArgs supervises one open trade at one trigger; unique by its arguments, so
// each trade is supervised once per trigger.
type TradeSupervisorArgs struct {
	UserID  int64  `json:"user_id"`
	TradeID int64  `json:"trade_id"`
	Trigger string `json:"trigger"`
}

func (TradeSupervisorArgs) Kind() string { return "psydge." + roleSupervisor }
func (TradeSupervisorArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 2, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

type supervisorWorker struct {
	river.WorkerDefaults[TradeSupervisorArgs]
	m *Module
}

func (w *supervisorWorker) Work(ctx context.Context, job *river.Job[TradeSupervisorArgs]) error {
	_, err := w.m.Supervise(ctx, job.Args.UserID, job.Args.TradeID, job.Args.Trigger)
	return err
}

// PreEntryValidatorArgs asks the validator about a direction ahead of a ticket (the panel's
// "ask first"); placement asks it synchronously on its own.
type PreEntryValidatorArgs struct {
	UserID    int64  `json:"user_id"`
	Symbol    string `json:"symbol"`
	Timeframe string `json:"timeframe"`
	Direction string `json:"direction"`
}

func (PreEntryValidatorArgs) Kind() string { return "psydge." + rolePreEntry }
func (PreEntryValidatorArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 1}
}

type preEntryWorker struct {
	river.WorkerDefaults[PreEntryValidatorArgs]
	m *Module
}

func (w *preEntryWorker) Work(ctx context.Context, job *river.Job[PreEntryValidatorArgs]) error {
	dir, ok := requestDirection(job.Args.Direction)
	if !ok {
		return fmt.Errorf("psydge: pre-entry job with direction %q", job.Args.Direction)
	}
	t := &ticket{req: discipline.Request{Symbol: job.Args.Symbol, Timeframe: discipline.Timeframe(job.Args.Timeframe), Direction: dir}}
	w.m.preEntry(ctx, job.Args.UserID, t)
	return nil
}

// BehavioralPredictorArgs assesses a user (UserID 0: every user with the role on) at session
// start or after a trade.
type BehavioralPredictorArgs struct {
	UserID  int64  `json:"user_id,omitempty"`
	TradeID int64  `json:"trade_id,omitempty"`
	Trigger string `json:"trigger"`
	// At names the session open a session_start run is for, so London's and New York's are
	// two runs.
	At time.Time `json:"at,omitzero"`
}

func (BehavioralPredictorArgs) Kind() string { return "psydge." + rolePredictor }
func (BehavioralPredictorArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 2, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

type predictorWorker struct {
	river.WorkerDefaults[BehavioralPredictorArgs]
	m *Module
}

func (w *predictorWorker) Work(ctx context.Context, job *river.Job[BehavioralPredictorArgs]) error {
	users := []int64{job.Args.UserID}
	if job.Args.UserID == 0 {
		var err error
		if users, err = usersWithRole(ctx, w.m.d.DB, rolePredictor); err != nil {
			return err
		}
	}
	var tradeID *int64
	if job.Args.TradeID != 0 {
		tradeID = &job.Args.TradeID
	}
	for _, u := range users {
		if _, err := w.m.Predict(ctx, u, tradeID, job.Args.Trigger); err != nil {
			return err
		}
	}
	return nil
}

// SessionDebriefArgs debriefs the trading day containing At (zero: the day that just ended)
// for every user with the role on and activity that day.
type SessionDebriefArgs struct {
	At time.Time `json:"at,omitempty"`
}

func (SessionDebriefArgs) Kind() string { return "psydge." + roleDebrief }

type debriefWorker struct {
	river.WorkerDefaults[SessionDebriefArgs]
	m *Module
}

func (w *debriefWorker) Work(ctx context.Context, job *river.Job[SessionDebriefArgs]) error {
	at := job.Args.At
	if at.IsZero() {
		at = w.m.d.Clock.Now().Add(-2 * time.Minute)
	}
	start, end := discipline.TradingDayBounds(at)
	active, err := usersToScore(ctx, w.m.d.DB, start, end)
	if err != nil {
		return err
	}
	on, err := usersWithRole(ctx, w.m.d.DB, roleDebrief)
	if err != nil {
		return err
	}
	want := map[int64]bool{}
	for _, u := range on {
		want[u] = true
	}
	for _, u := range active {
		if want[u] {
			if _, err := w.m.Debrief(ctx, u, at); err != nil {
				return err
			}
		}
	}
	return nil
}

// AIScanArgs is the 15 s look at open and just-closed trades that starts the supervisor at a
// trade's first target or +1R, and the predictor after each close.
type AIScanArgs struct{}

func (AIScanArgs) Kind() string { return "psydge.ai_scan" }
func (AIScanArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByPeriod: aiScanEvery}}
}

const aiScanEvery = 15 * time.Second

type aiScanWorker struct {
	river.WorkerDefaults[AIScanArgs]
	m *Module
}

func (w *aiScanWorker) Work(ctx context.Context, _ *river.Job[AIScanArgs]) error {
	return w.m.scanForAI(ctx)
}

// scanForAI queues the supervisor for open trades at a trigger and the predictor for trades
// closed since the last scan (twice the period back, so a late scan misses nothing; the jobs
// are unique, so a trade seen twice is handled once).
func (m *Module) scanForAI(ctx context.Context) error {
	sup, err := usersWithRole(ctx, m.d.DB, roleSupervisor)
	if err != nil {
		return err
	}
	open, err := openTradesOf(ctx, m.d.DB, sup)
	if err != nil {
		return err
	}
	for i := range open {
		t := &open[i]
		q, err := m.quote(ctx, t.Symbol)
		if err != nil {
			continue
		}
		if trig := supervisorTrigger(t, supervisorViewOf(t, q).Price); trig != "" {
			if _, err := m.d.Jobs.Insert(ctx, TradeSupervisorArgs{UserID: t.UserID, TradeID: t.ID, Trigger: trig}, nil); err != nil {
				return err
			}
		}
	}
	pred, err := usersWithRole(ctx, m.d.DB, rolePredictor)
	if err != nil {
		return err
	}
	on := map[int64]bool{}
	for _, u := range pred {
		on[u] = true
	}
	closed, err := closedSince(ctx, m.d.DB, m.d.Clock.Now().Add(-2*aiScanEvery))
	if err != nil {
		return err
	}
	for _, t := range closed {
		if on[t.UserID] {
			if _, err := m.d.Jobs.Insert(ctx, BehavioralPredictorArgs{UserID: t.UserID, TradeID: t.ID, Trigger: "after_trade"}, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// sessionStart is the next London or New York session open (08:00 local, Monday to Friday)
// after t: the predictor's session-start run.
func sessionStart(t time.Time) time.Time {
	var next time.Time
	for _, zone := range []string{"Europe/London", "America/New_York"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			continue
		}
		l := t.In(loc)
		c := time.Date(l.Year(), l.Month(), l.Day(), 8, 0, 0, 0, loc)
		for !c.After(t) || c.Weekday() == time.Saturday || c.Weekday() == time.Sunday {
			c = c.AddDate(0, 0, 1)
		}
		if next.IsZero() || c.Before(next) {
			next = c
		}
	}
	return next
}

func (m *Module) registerAIWorkers() {
	river.AddWorker(m.d.Workers, &supervisorWorker{m: m})
	river.AddWorker(m.d.Workers, &preEntryWorker{m: m})
	river.AddWorker(m.d.Workers, &predictorWorker{m: m})
	river.AddWorker(m.d.Workers, &debriefWorker{m: m})
	river.AddWorker(m.d.Workers, &aiScanWorker{m: m})
}

// aiPeriodicJobs: the scan every 15 s, the predictor at each session open, the debrief at
// each session end (with the score).
func (m *Module) aiPeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{
		jobs.Every(aiScanEvery, func() river.JobArgs { return AIScanArgs{} }, false),
		jobs.At(jobs.Schedule(sessionStart), func() river.JobArgs {
			return BehavioralPredictorArgs{Trigger: "session_start", At: m.d.Clock.Now().Truncate(time.Minute)}
		}),
		jobs.At(jobs.Schedule(sessionEnd), func() river.JobArgs { return SessionDebriefArgs{} }),
	}
}
