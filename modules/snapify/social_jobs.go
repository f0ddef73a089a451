package snapify

import (
	"context"
	"time"

	"github.com/alorig/alorig/shared/jobs"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Social posting runs as three River jobs:
//
//   - snapify.social_auto_post, every 15 minutes: hands due posts to publishing, at most
//     postsPerDay a store in any 24 hours (QueueDueSocialPosts).
//   - snapify.social_publish_post, one per post, unique while it is pending or running: publishes
//     it to the Page and Instagram (PublishSocialPost), snoozing while Meta throttles or
//     processes, retried with backoff on Meta's own failures, cancelled when the seller must
//     reconnect.
//   - snapify.social_refresh_metrics, every 6 hours: reads the engagement back.

// socialAutoPostEvery is how often due posts are looked for.
const socialAutoPostEvery = 15 * time.Minute

// SocialAutoPostArgs hands due social posts to publishing.
type SocialAutoPostArgs struct{}

func (SocialAutoPostArgs) Kind() string { return "snapify.social_auto_post" }

// InsertOpts keeps one run per period: a slow run is never joined by the next.
func (SocialAutoPostArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByPeriod: socialAutoPostEvery}}
}

// SocialPublishArgs publishes one social post.
type SocialPublishArgs struct {
	PostID  int64 `json:"post_id"`
	StoreID int64 `json:"store_id"`
}

func (SocialPublishArgs) Kind() string { return "snapify.social_publish_post" }

// InsertOpts: one job per post while one waits or runs; a finished, cancelled or discarded one
// does not block the next (QueueDueSocialPosts enqueues again a post still publishing).
func (SocialPublishArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 10, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled}}}
}

// SocialRefreshMetricsArgs reads published posts' engagement back from Meta.
type SocialRefreshMetricsArgs struct{}

func (SocialRefreshMetricsArgs) Kind() string { return "snapify.social_refresh_metrics" }

func (SocialRefreshMetricsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByPeriod: time.Hour}}
}

type socialAutoPostWorker struct {
	river.WorkerDefaults[SocialAutoPostArgs]
	m *Module
}

func (w *socialAutoPostWorker) Work(ctx context.Context, _ *river.Job[SocialAutoPostArgs]) error {
	_, err := w.m.QueueDueSocialPosts(ctx)
	return err
}

type socialPublishWorker struct {
	river.WorkerDefaults[SocialPublishArgs]
	m *Module
}

func (w *socialPublishWorker) Work(ctx context.Context, j *river.Job[SocialPublishArgs]) error {
	return w.m.PublishSocialPost(ctx, j.Args.StoreID, j.Args.PostID)
}

// Timeout covers a few Graph calls of 30 s at most each.
func (w *socialPublishWorker) Timeout(*river.Job[SocialPublishArgs]) time.Duration {
	return 3 * time.Minute
}

type socialMetricsWorker struct {
	river.WorkerDefaults[SocialRefreshMetricsArgs]
	m *Module
}

func (w *socialMetricsWorker) Work(ctx context.Context, _ *river.Job[SocialRefreshMetricsArgs]) error {
	_, err := w.m.RefreshSocialMetrics(ctx)
	return err
}

// Timeout covers 200 posts of two reads each.
func (w *socialMetricsWorker) Timeout(*river.Job[SocialRefreshMetricsArgs]) time.Duration {
	return 30 * time.Minute
}

// registerSocialWorkers adds the social jobs' workers (called from registerWorkers).
func (m *Module) registerSocialWorkers() {
	river.AddWorker(m.d.Workers, &socialAutoPostWorker{m: m})
	river.AddWorker(m.d.Workers, &socialPublishWorker{m: m})
	river.AddWorker(m.d.Workers, &socialMetricsWorker{m: m})
}

// socialPeriodicJobs schedules the social jobs (added to PeriodicJobs).
func socialPeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{
		jobs.Every(socialAutoPostEvery, func() river.JobArgs { return SocialAutoPostArgs{} }, false),
		jobs.Every(6*time.Hour, func() river.JobArgs { return SocialRefreshMetricsArgs{} }, false),
	}
}
