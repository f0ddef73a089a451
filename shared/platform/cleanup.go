package platform

import (
	"context"
	"time"

	"github.com/alorig/alorig/shared/auth"
	"github.com/riverqueue/river"
)

// CleanupSessionsArgs is the periodic expired-session clean-up every module runs. Its kind is
// "<module>.cleanup_sessions": the module is part of the args, so one type serves all six, and
// River reads the kind from the registered instance.
type CleanupSessionsArgs struct {
	Module string `json:"module"`
}

func (a CleanupSessionsArgs) Kind() string { return a.Module + ".cleanup_sessions" }

type cleanupWorker struct {
	river.WorkerDefaults[CleanupSessionsArgs]
	accounts *auth.Service
}

func (w *cleanupWorker) Work(ctx context.Context, job *river.Job[CleanupSessionsArgs]) error {
	_, err := w.accounts.DeleteExpired(ctx)
	return err
}

func addCleanupWorker(workers *river.Workers, module string, accounts *auth.Service) {
	river.AddWorkerArgs(workers, CleanupSessionsArgs{Module: module}, &cleanupWorker{accounts: accounts})
}

func cleanupJob(module string) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(time.Hour), func() (river.JobArgs, *river.InsertOpts) {
		return CleanupSessionsArgs{Module: module}, nil
	}, &river.PeriodicJobOpts{RunOnStart: true, ID: module + ".cleanup_sessions"})
}
