// Package jobs runs River on each module's own database. Web processes hold an insert-only
// client on bun's *sql.DB and enqueue inside bun transactions, so a row and the work that must
// follow it commit or roll back together. Worker processes run a pgx-backed client with queues
// and leader-elected periodic jobs, which replaces Celery worker and beat.
package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"
	"github.com/uptrace/bun"
)

// Inserter enqueues jobs on a module database.
type Inserter struct {
	client *river.Client[*sql.Tx]
}

// NewInserter returns an insert-only client. workers is used to refuse kinds nobody works.
func NewInserter(db *bun.DB, workers *river.Workers, log *slog.Logger) (*Inserter, error) {
	c, err := river.NewClient(riverdatabasesql.New(db.DB), &river.Config{Workers: workers, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("river insert client: %w", err)
	}
	return &Inserter{client: c}, nil
}

// InsertTx enqueues args inside tx: the job exists only if tx commits.
func (i *Inserter) InsertTx(ctx context.Context, tx bun.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	res, err := i.client.InsertTx(ctx, tx.Tx, args, opts)
	if err != nil {
		return nil, fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return res, nil
}

// Insert enqueues args on its own.
func (i *Inserter) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	res, err := i.client.Insert(ctx, args, opts)
	if err != nil {
		return nil, fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return res, nil
}

// Worker is a running River client for one module.
type Worker struct {
	Module string
	Client *river.Client[pgx.Tx]
	pool   *pgxpool.Pool
}

// WorkerConfig says what a module's worker runs.
type WorkerConfig struct {
	Module      string
	DatabaseURL string
	MaxConns    int
	Workers     *river.Workers
	Periodic    []*river.PeriodicJob
	MaxWorkers  int
	Log         *slog.Logger
	// FetchPollInterval is lowered in tests so jobs are picked up quickly.
	FetchPollInterval time.Duration
}

// NewWorker opens the module's River pool and client; Start runs it.
func NewWorker(ctx context.Context, wc WorkerConfig) (*Worker, error) {
	pc, err := pgxpool.ParseConfig(wc.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("%s worker: %w", wc.Module, err)
	}
	if wc.MaxConns <= 0 {
		wc.MaxConns = 4
	}
	pc.MaxConns = int32(wc.MaxConns)
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("%s worker pool: %w", wc.Module, err)
	}
	if wc.MaxWorkers <= 0 {
		wc.MaxWorkers = 10
	}
	cfg := &river.Config{
		Queues:       map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: wc.MaxWorkers}},
		Workers:      wc.Workers,
		PeriodicJobs: wc.Periodic,
		Logger:       wc.Log,
		// The worker's ID appears in River UI; naming the module makes it readable there.
		ID:                fmt.Sprintf("%s-%d", wc.Module, time.Now().UnixNano()),
		FetchPollInterval: wc.FetchPollInterval,
	}
	if wc.FetchPollInterval > 0 {
		cfg.FetchCooldown = wc.FetchPollInterval / 2
	}
	client, err := river.NewClient(riverpgxv5.New(pool), cfg)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("%s worker client: %w", wc.Module, err)
	}
	return &Worker{Module: wc.Module, Client: client, pool: pool}, nil
}

// Start begins fetching jobs and, when elected leader, scheduling periodic ones.
func (w *Worker) Start(ctx context.Context) error { return w.Client.Start(ctx) }

// Stop finishes running jobs (bounded by ctx) and closes the pool.
func (w *Worker) Stop(ctx context.Context) error {
	err := w.Client.Stop(ctx)
	w.pool.Close()
	return err
}

// Pool exposes the pgx pool (for River UI and gauges).
func (w *Worker) Pool() *pgxpool.Pool { return w.pool }

// Every builds a periodic job run at a fixed interval.
func Every(d time.Duration, args func() river.JobArgs, runOnStart bool) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(d), func() (river.JobArgs, *river.InsertOpts) {
		return args(), nil
	}, &river.PeriodicJobOpts{RunOnStart: runOnStart})
}

// Schedule is a periodic schedule computed from a function of the last run time, in UTC.
type Schedule func(time.Time) time.Time

// Next implements river.PeriodicSchedule.
func (s Schedule) Next(t time.Time) time.Time { return s(t) }

// Daily runs at hh:mm UTC every day.
func Daily(hour, minute int) Schedule {
	return func(t time.Time) time.Time {
		t = t.UTC()
		next := time.Date(t.Year(), t.Month(), t.Day(), hour, minute, 0, 0, time.UTC)
		if !next.After(t) {
			next = next.AddDate(0, 0, 1)
		}
		return next
	}
}

// Weekly runs on weekday at hh:mm UTC.
func Weekly(day time.Weekday, hour, minute int) Schedule {
	return func(t time.Time) time.Time {
		next := Daily(hour, minute)(t)
		for next.Weekday() != day {
			next = next.AddDate(0, 0, 1)
		}
		return next
	}
}

// At builds a periodic job on a schedule.
func At(s Schedule, args func() river.JobArgs) *river.PeriodicJob {
	return river.NewPeriodicJob(s, func() (river.JobArgs, *river.InsertOpts) { return args(), nil }, nil)
}
