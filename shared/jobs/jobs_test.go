package jobs_test

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alorig/alorig/shared/jobs"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"
)

type noteArgs struct {
	Text string `json:"text"`
}

func (noteArgs) Kind() string { return "asms.test_note" }

type noteWorker struct {
	river.WorkerDefaults[noteArgs]
	seen atomic.Int64
	db   *bun.DB
}

func (w *noteWorker) Work(ctx context.Context, job *river.Job[noteArgs]) error {
	w.seen.Add(1)
	_, err := w.db.ExecContext(ctx, "INSERT INTO head_offices (name, created_at) VALUES (?, now())", "done:"+job.Args.Text)
	return err
}

var errRollback = errors.New("roll back on purpose")

func TestRowAndJobCommitAndRollBackTogether(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testkit.DB(t, "asms")
	workers := river.NewWorkers()
	river.AddWorker(workers, &noteWorker{db: db})
	ins, err := jobs.NewInserter(db, workers, slog.New(slog.DiscardHandler))
	require.NoError(t, err)

	write := func(name string, fail bool) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.ExecContext(ctx, "INSERT INTO head_offices (name, created_at) VALUES (?, now())", name); err != nil {
				return err
			}
			if _, err := ins.InsertTx(ctx, tx, noteArgs{Text: name}, nil); err != nil {
				return err
			}
			if fail {
				return errRollback
			}
			return nil
		})
	}
	require.ErrorIs(t, write("rolled-back", true), errRollback)
	require.NoError(t, write("committed", false))

	count := func(q string, args ...any) int {
		var n int
		require.NoError(t, db.QueryRowContext(ctx, q, args...).Scan(&n))
		return n
	}
	require.Equal(t, 0, count("SELECT count(*) FROM head_offices WHERE name = 'rolled-back'"))
	require.Equal(t, 0, count("SELECT count(*) FROM river_job WHERE args->>'text' = 'rolled-back'"))
	require.Equal(t, 1, count("SELECT count(*) FROM head_offices WHERE name = 'committed'"))
	require.Equal(t, 1, count("SELECT count(*) FROM river_job WHERE kind = 'asms.test_note' AND args->>'text' = 'committed'"))

	_, err = ins.Insert(ctx, unknownArgs{}, nil)
	require.Error(t, err, "a kind nobody works is refused at insert time")
}

type unknownArgs struct{}

func (unknownArgs) Kind() string { return "asms.nobody_works_this" }

func TestWorkerRunsJob(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testkit.DatabaseURL(t, "asms")
	w := &noteWorker{}
	workers := river.NewWorkers()
	river.AddWorker(workers, w)
	runner, err := jobs.NewWorker(ctx, jobs.WorkerConfig{Module: "asms", DatabaseURL: url, MaxConns: 3, Workers: workers,
		Log: slog.New(slog.DiscardHandler), FetchPollInterval: 50 * time.Millisecond})
	require.NoError(t, err)
	w.db, err = openBun(url)
	require.NoError(t, err)
	defer w.db.Close()
	require.NoError(t, runner.Start(ctx))
	defer runner.Stop(context.Background())

	ins, err := jobs.NewInserter(w.db, workers, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	_, err = ins.Insert(ctx, noteArgs{Text: "hello"}, nil)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		var n int
		_ = w.db.QueryRowContext(ctx, "SELECT count(*) FROM head_offices WHERE name = 'done:hello'").Scan(&n)
		return n == 1
	}, 10*time.Second, 50*time.Millisecond)
	require.EqualValues(t, 1, w.seen.Load())
}

type tickArgs struct{}

func (tickArgs) Kind() string { return "asms.test_tick" }

type tickWorker struct {
	river.WorkerDefaults[tickArgs]
	n atomic.Int64
}

func (w *tickWorker) Work(context.Context, *river.Job[tickArgs]) error { w.n.Add(1); return nil }

func TestLeaderSchedulesPeriodicJob(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testkit.DatabaseURL(t, "asms")
	w := &tickWorker{}
	workers := river.NewWorkers()
	river.AddWorker(workers, w)
	runner, err := jobs.NewWorker(ctx, jobs.WorkerConfig{Module: "asms", DatabaseURL: url, MaxConns: 3, Workers: workers,
		Periodic:          []*river.PeriodicJob{jobs.Every(time.Hour, func() river.JobArgs { return tickArgs{} }, true)},
		Log:               slog.New(slog.DiscardHandler),
		FetchPollInterval: 50 * time.Millisecond})
	require.NoError(t, err)
	require.NoError(t, runner.Start(ctx))
	defer runner.Stop(context.Background())
	require.Eventually(t, func() bool { return w.n.Load() >= 1 }, 15*time.Second, 50*time.Millisecond,
		"the elected leader enqueues the periodic job on start and the worker runs it")
}

func TestSchedules(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 25, 23, 30, 0, 0, time.UTC) // a Wednesday
	require.Equal(t, time.Date(2026, 11, 26, 2, 0, 0, 0, time.UTC), jobs.Daily(2, 0).Next(at))
	require.Equal(t, time.Date(2026, 11, 25, 23, 45, 0, 0, time.UTC), jobs.Daily(23, 45).Next(at))
	require.Equal(t, time.Date(2026, 11, 29, 23, 0, 0, 0, time.UTC), jobs.Weekly(time.Sunday, 23, 0).Next(at))
	sunday := time.Date(2026, 11, 29, 23, 0, 0, 0, time.UTC)
	require.Equal(t, time.Date(2026, 12, 6, 23, 0, 0, 0, time.UTC), jobs.Weekly(time.Sunday, 23, 0).Next(sunday), "the run time itself schedules the next week")
}
