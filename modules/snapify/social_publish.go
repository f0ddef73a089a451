package snapify

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/alorig/alorig/modules/snapify/social"
	"github.com/alorig/alorig/shared/database"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// Publishing a post to Meta happens in steps, and each Graph id is written to the post's row as
// soon as Meta answers, before the next step. A publish job that dies at any point (or a
// network failure after Meta acted) therefore resumes from what Meta already has, and a post is
// never public twice:
//
//   - Facebook: the picture is uploaded unpublished (fb_photo_id), attached to an unpublished
//     Page post (fb_post_id), and that post is made public with is_published=true. Until the
//     last step nothing is visible; a retry reads the post's is_published before setting it,
//     and setting it on a public post changes nothing. A step whose answer was lost leaves an
//     invisible unpublished photo or post behind, never a second public one.
//   - Instagram: a media container is created (ig_container_id) and published once Meta reports
//     it FINISHED. A retry reads the container first: PUBLISHED means the lost answer was a
//     success, and the media id is found among the account's newest media by its caption.

// socialPlan is a publish job's view of one post: the post, its store's scope and token.
type socialPlan struct {
	store *Store
	conn  *SocialConnection
	token string
	post  *SocialPost
	image string
}

// errSocialWait is an Instagram container still processing: the job waits a minute.
var errSocialWait = errors.New("snapify: the Instagram container is still processing")

// errSocialGaveUp is the reason kept for a platform a post could not reach within socialMaxWait.
const errSocialGaveUp = "not published within a week of its time (Meta kept failing, or the Page was not reconnected); given up"

// socialProcessingLimit gives up on a container Meta has not finished processing in an hour.
const socialProcessingLimit = time.Hour

// QueueDueSocialPosts is the snapify.social_auto_post job: it expires queued posts that waited
// too long, then, for each live Pro store with a connected Page, moves its due posts to
// publishing within the store's allowance of postsPerDay in any 24 hours, and enqueues a
// publish job for each post that is publishing (again, for one whose job stopped, e.g. while
// the store reconnected). It answers how many publish jobs it enqueued.
func (m *Module) QueueDueSocialPosts(ctx context.Context) (int, error) {
	now := m.d.Clock.Now()
	if _, err := m.d.DB.NewUpdate().Model((*SocialPost)(nil)).
		Set("status = CASE WHEN product_id IS NULL THEN ? ELSE ? END", socialCancelled, socialExpired).Set("updated_at = ?", now).
		Where("status = ?", socialQueued).WhereGroup(" AND ", func(q *bun.UpdateQuery) *bun.UpdateQuery {
		return q.Where("scheduled_at < ?", now.Add(-socialMaxWait)).WhereOr("product_id IS NULL")
	}).Exec(ctx); err != nil {
		return 0, fmt.Errorf("snapify: expire social posts: %w", err)
	}
	// A post Meta kept failing for a week is given up: what went out stays, the rest is failed.
	if _, err := m.d.DB.NewRaw(`UPDATE social_posts SET
		status = CASE WHEN fb_published_at IS NOT NULL OR ig_published_at IS NOT NULL THEN ? ELSE ? END,
		published_at = LEAST(fb_published_at, ig_published_at),
		fb_error = CASE WHEN ? = ANY(platforms) AND fb_published_at IS NULL AND fb_error = '' THEN ? ELSE fb_error END,
		ig_error = CASE WHEN ? = ANY(platforms) AND ig_published_at IS NULL AND ig_error = '' THEN ? ELSE ig_error END,
		updated_at = ?
		WHERE status = ? AND scheduled_at < ?`, socialPartial, socialFailed, platformFacebook, errSocialGaveUp, platformInstagram,
		errSocialGaveUp, now, socialPublishing, now.Add(-socialMaxWait)).Exec(ctx); err != nil {
		return 0, fmt.Errorf("snapify: give up stalled social posts: %w", err)
	}
	if !m.socialImagesReady() {
		m.d.Log.WarnContext(ctx, "snapify: social posting paused", "reason", ErrSocialImageHost.Error())
		return 0, nil
	}
	type candidate struct {
		ID        int64     `bun:"id"`
		StoreID   int64     `bun:"store_id"`
		Status    string    `bun:"status"`
		IGUserID  string    `bun:"ig_user_id"`
		Scheduled time.Time `bun:"scheduled_at"`
	}
	var cands []candidate
	err := m.d.DB.NewRaw(`SELECT sp.id, sp.store_id, sp.status, c.ig_user_id, sp.scheduled_at
		FROM social_posts sp
		JOIN stores s ON s.id = sp.store_id AND s.tier = 'pro' AND s.suspended_at IS NULL
		JOIN social_connections c ON c.store_id = sp.store_id AND c.status = ?
		LEFT JOIN products p ON p.id = sp.product_id
		WHERE sp.status = ? OR (sp.status = ? AND sp.scheduled_at <= ? AND p.status = 'active')
		ORDER BY sp.store_id, sp.scheduled_at, sp.id`,
		socialConnected, socialPublishing, socialQueued, now).Scan(ctx, &cands)
	if err != nil {
		return 0, fmt.Errorf("snapify: due social posts: %w", err)
	}
	used := map[int64]int{} // posts of the last 24 hours and in flight, by store
	if len(cands) > 0 {
		var counts []struct {
			StoreID int64 `bun:"store_id"`
			N       int   `bun:"n"`
		}
		if err := m.d.DB.NewRaw(`SELECT store_id, count(*) AS n FROM social_posts
			WHERE status = ? OR published_at > ? GROUP BY store_id`, socialPublishing, now.Add(-24*time.Hour)).Scan(ctx, &counts); err != nil {
			return 0, fmt.Errorf("snapify: social posts of the last day: %w", err)
		}
		for _, c := range counts {
			used[c.StoreID] = c.N
		}
	}
	enqueued := 0
	for _, c := range cands {
		err := m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if c.Status == socialQueued {
				if used[c.StoreID] >= m.postsPerDay() {
					return nil
				}
				platforms := []string{platformFacebook}
				if c.IGUserID != "" {
					platforms = append(platforms, platformInstagram)
				}
				res, err := tx.NewUpdate().Model((*SocialPost)(nil)).Set("status = ?", socialPublishing).
					Set("platforms = ?", pgdialect.Array(platforms)).Set("updated_at = ?", now).
					Where("id = ? AND status = ?", c.ID, socialQueued).Exec(ctx)
				if err != nil {
					return err
				}
				if n, _ := res.RowsAffected(); n == 0 {
					return nil // cancelled or taken meanwhile
				}
				used[c.StoreID]++
			}
			res, err := m.d.Jobs.InsertTx(ctx, tx, SocialPublishArgs{PostID: c.ID, StoreID: c.StoreID}, nil)
			if err != nil {
				return err
			}
			if !res.UniqueSkippedAsDuplicate {
				enqueued++
			}
			return nil
		})
		if err != nil {
			return enqueued, fmt.Errorf("snapify: hand social post %d to publishing: %w", c.ID, err)
		}
	}
	return enqueued, nil
}

// PublishSocialPost is the snapify.social_publish_post job: it takes the post as far as Meta
// lets it now. Its error says what the job should do: nil (done, or nothing to do), a river
// cancel (the seller must reconnect; the post waits in publishing), a snooze (throttled, or a
// container still processing), or another error (River retries with backoff).
func (m *Module) PublishSocialPost(ctx context.Context, storeID, postID int64) error {
	plan, err := m.socialPlan(ctx, storeID, postID)
	if err != nil || plan == nil {
		return err
	}
	p := plan.post
	for _, platform := range p.Platforms {
		if p.done(platform) {
			continue
		}
		var err error
		if platform == platformFacebook {
			err = m.publishFacebook(ctx, plan)
		} else {
			err = m.publishInstagram(ctx, plan)
		}
		if err == nil {
			continue
		}
		var api *social.APIError
		switch {
		case errors.Is(err, errSocialWait):
			return river.JobSnooze(time.Minute)
		case social.NeedsReconnect(err):
			if err := m.markNeedsReconnect(ctx, plan.store.Scope(), err); err != nil {
				return err
			}
			return river.JobCancel(err)
		case errors.Is(err, social.ErrRateLimited):
			wait := 15 * time.Minute
			if errors.As(err, &api) && api.RetryAfter > 0 {
				wait = api.RetryAfter
			}
			return river.JobSnooze(wait)
		case social.Retryable(err):
			return err
		}
		// Refused for good: the platform keeps the reason and the other one goes on.
		if err := m.recordRefusal(ctx, plan, platform, err); err != nil {
			return err
		}
	}
	return m.finishSocialPost(ctx, plan)
}

// socialPlan loads what a publish job needs, or nil when there is nothing to do now.
func (m *Module) socialPlan(ctx context.Context, storeID, postID int64) (*socialPlan, error) {
	s, err := platformStore(ctx, m.d.DB, storeID) // the job's arguments were written by QueueDueSocialPosts
	if err != nil {
		return nil, err
	}
	p, err := socialPostByID(ctx, m.d.DB, s.Scope(), postID)
	if err != nil {
		return nil, err
	}
	if p.Status != socialPublishing {
		return nil, nil
	}
	if s.Tier != "pro" || !s.Live() {
		return nil, nil // waits in publishing; QueueDueSocialPosts hands it back if the store returns
	}
	c, err := socialConnection(ctx, m.d.DB, s.Scope())
	if errors.Is(err, database.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if c.Status != socialConnected {
		return nil, nil
	}
	token, err := m.pageToken(c)
	if err != nil {
		return nil, river.JobCancel(err) // a keyring without the token's key: an operator must act
	}
	image, err := m.socialImageURL(p.ImageKey)
	if err != nil {
		return nil, river.JobCancel(err)
	}
	return &socialPlan{store: s, conn: c, token: token, post: p, image: image}, nil
}

func (m *Module) publishFacebook(ctx context.Context, pl *socialPlan) error {
	p, c, t := pl.post, pl.conn, pl.store.Scope()
	if p.FBPostID == "" {
		fresh := p.FBPhotoID == ""
		if fresh {
			photo, err := m.social.UploadPhoto(ctx, pl.token, c.PageID, pl.image, "", false)
			if err != nil {
				return err
			}
			p.FBPhotoID = photo.ID
			if err := updateSocialPost(ctx, m.d.DB, t, p.touch(m), "fb_photo_id"); err != nil {
				return err
			}
		}
		postID, err := m.social.CreatePost(ctx, pl.token, c.PageID, p.Caption, []string{p.FBPhotoID}, false)
		if errors.Is(err, social.ErrRefused) && !fresh {
			// A photo of an earlier try may be attached to a post whose answer was lost: upload
			// a fresh one on the next try (the lost post stays unpublished, seen by nobody).
			p.FBPhotoID = ""
			if err := updateSocialPost(ctx, m.d.DB, t, p.touch(m), "fb_photo_id"); err != nil {
				return err
			}
			return fmt.Errorf("snapify: Page post of social post %d, photo to upload again: %w", p.ID, social.ErrTemporary)
		}
		if err != nil {
			return err
		}
		p.FBPostID = postID
		if err := updateSocialPost(ctx, m.d.DB, t, p.touch(m), "fb_post_id"); err != nil {
			return err
		}
	}
	state, err := m.social.Post(ctx, pl.token, p.FBPostID)
	if err != nil {
		return err
	}
	if !state.IsPublished {
		if err := m.social.PublishPost(ctx, pl.token, p.FBPostID); err != nil {
			return err
		}
	}
	now := m.d.Clock.Now()
	p.FBPublishedAt = &now
	return updateSocialPost(ctx, m.d.DB, t, p.touch(m), "fb_published_at")
}

func (m *Module) publishInstagram(ctx context.Context, pl *socialPlan) error {
	p, c, t := pl.post, pl.conn, pl.store.Scope()
	for range 2 { // a second round only after an expired container is dropped
		if p.IGContainerID == "" {
			id, err := m.social.CreateContainer(ctx, pl.token, c.IGUserID, pl.image, p.Caption)
			if err != nil {
				return err
			}
			now := m.d.Clock.Now()
			p.IGContainerID, p.IGContainerAt = id, &now
			if err := updateSocialPost(ctx, m.d.DB, t, p.touch(m), "ig_container_id", "ig_container_at"); err != nil {
				return err
			}
		}
		k, err := m.social.Container(ctx, pl.token, p.IGContainerID)
		if err != nil {
			return err
		}
		switch k.StatusCode {
		case social.ContainerInProgress:
			if p.IGContainerAt != nil && m.d.Clock.Now().Sub(*p.IGContainerAt) > socialProcessingLimit {
				return fmt.Errorf("%w: Instagram did not finish processing the picture within an hour", social.ErrRefused)
			}
			return errSocialWait
		case social.ContainerError:
			return fmt.Errorf("%w: Instagram could not process the picture (%s)", social.ErrRefused, k.Status)
		case social.ContainerExpired:
			p.IGContainerID, p.IGContainerAt = "", nil
			if err := updateSocialPost(ctx, m.d.DB, t, p.touch(m), "ig_container_id", "ig_container_at"); err != nil {
				return err
			}
			continue
		case social.ContainerPublished:
			// A publish whose answer was lost: find the media it made.
			p.IGMediaID = m.findPublishedMedia(ctx, pl)
		case social.ContainerFinished:
			id, err := m.social.PublishContainer(ctx, pl.token, c.IGUserID, p.IGContainerID)
			if err != nil {
				return err
			}
			p.IGMediaID = id
		default:
			return fmt.Errorf("%w: container status %q", social.ErrTemporary, k.StatusCode)
		}
		now := m.d.Clock.Now()
		p.IGPublishedAt = &now
		return updateSocialPost(ctx, m.d.DB, t, p.touch(m), "ig_media_id", "ig_published_at")
	}
	return fmt.Errorf("%w: the Instagram container expired twice", social.ErrTemporary)
}

// findPublishedMedia finds the media a container became among the account's newest, by its
// caption and time; "" when Meta no longer lists it (the post is published all the same, only
// its insights cannot be read).
func (m *Module) findPublishedMedia(ctx context.Context, pl *socialPlan) string {
	media, err := m.social.RecentMedia(ctx, pl.token, pl.conn.IGUserID, 25)
	if err != nil {
		m.d.Log.WarnContext(ctx, "snapify: recover Instagram media id", "post", pl.post.ID, "err", err)
		return ""
	}
	for _, md := range media {
		if md.Caption == pl.post.Caption && (pl.post.IGContainerAt == nil || !md.Timestamp.Before(pl.post.IGContainerAt.Add(-time.Minute))) {
			return md.ID
		}
	}
	return ""
}

// recordRefusal keeps why a platform refused the post for good.
func (m *Module) recordRefusal(ctx context.Context, pl *socialPlan, platform string, cause error) error {
	reason := cause.Error()
	var api *social.APIError
	if errors.As(cause, &api) {
		reason = api.Message
		if api.UserMsg != "" {
			reason += ": " + api.UserMsg
		}
	}
	if len(reason) > 500 {
		reason = reason[:500]
	}
	m.d.Log.WarnContext(ctx, "snapify: social post refused", "post", pl.post.ID, "platform", platform, "err", cause)
	if platform == platformFacebook {
		pl.post.FBError = reason
		return updateSocialPost(ctx, m.d.DB, pl.store.Scope(), pl.post.touch(m), "fb_error")
	}
	pl.post.IGError = reason
	return updateSocialPost(ctx, m.d.DB, pl.store.Scope(), pl.post.touch(m), "ig_error")
}

// finishSocialPost sets the post's outcome once every platform has one.
func (m *Module) finishSocialPost(ctx context.Context, pl *socialPlan) error {
	p := pl.post
	ok := 0
	var first *time.Time
	for _, platform := range p.Platforms {
		at := p.FBPublishedAt
		if platform == platformInstagram {
			at = p.IGPublishedAt
		}
		if at != nil {
			ok++
			if first == nil || at.Before(*first) {
				first = at
			}
		}
	}
	switch {
	case ok == len(p.Platforms):
		p.Status = socialPublished
	case ok > 0:
		p.Status = socialPartial
	default:
		p.Status = socialFailed
	}
	p.PublishedAt = first
	return updateSocialPost(ctx, m.d.DB, pl.store.Scope(), p.touch(m), "status", "published_at")
}

// touch sets updated_at before a write.
func (p *SocialPost) touch(m *Module) *SocialPost {
	p.UpdatedAt = m.d.Clock.Now()
	return p
}

// socialMetricsWindow is how long after publishing a post's engagement keeps being read.
const socialMetricsWindow = 30 * 24 * time.Hour

// RefreshSocialMetrics is the snapify.social_refresh_metrics job: it reads the engagement of
// posts published in the last 30 days (least recently read first, at most 200 a run) of live
// Pro stores whose Page is connected. A refused token marks the connection and skips the
// store; throttling ends the run (the next one goes on). It answers how many posts it updated.
func (m *Module) RefreshSocialMetrics(ctx context.Context) (int, error) {
	now := m.d.Clock.Now()
	var ids []struct {
		ID      int64 `bun:"id"`
		StoreID int64 `bun:"store_id"`
	}
	err := m.d.DB.NewRaw(`SELECT sp.id, sp.store_id FROM social_posts sp
		JOIN stores s ON s.id = sp.store_id AND s.tier = 'pro' AND s.suspended_at IS NULL
		JOIN social_connections c ON c.store_id = sp.store_id AND c.status = ?
		WHERE sp.published_at > ? ORDER BY sp.metrics_at ASC NULLS FIRST, sp.id LIMIT 200`,
		socialConnected, now.Add(-socialMetricsWindow)).Scan(ctx, &ids)
	if err != nil {
		return 0, fmt.Errorf("snapify: social posts to read metrics of: %w", err)
	}
	updated := 0
	skip := map[int64]bool{}
	for _, row := range ids {
		if skip[row.StoreID] {
			continue
		}
		err := m.refreshOne(ctx, row.StoreID, row.ID)
		switch {
		case err == nil:
			updated++
		case social.NeedsReconnect(err):
			skip[row.StoreID] = true
			s, lerr := platformStore(ctx, m.d.DB, row.StoreID)
			if lerr != nil {
				return updated, lerr
			}
			if err := m.markNeedsReconnect(ctx, s.Scope(), err); err != nil {
				return updated, err
			}
		case errors.Is(err, social.ErrRateLimited):
			return updated, nil
		default:
			m.d.Log.WarnContext(ctx, "snapify: read social metrics", "post", row.ID, "err", err)
		}
	}
	return updated, nil
}

func (m *Module) refreshOne(ctx context.Context, storeID, postID int64) error {
	s, err := platformStore(ctx, m.d.DB, storeID)
	if err != nil {
		return err
	}
	p, err := socialPostByID(ctx, m.d.DB, s.Scope(), postID)
	if err != nil {
		return err
	}
	c, err := socialConnection(ctx, m.d.DB, s.Scope())
	if err != nil {
		return err
	}
	token, err := m.pageToken(c)
	if err != nil {
		return err
	}
	metrics := p.Metrics
	if p.FBPublishedAt != nil && p.FBPostID != "" {
		e, err := m.social.PostEngagement(ctx, token, p.FBPostID)
		if err != nil {
			return err
		}
		metrics.Facebook = &e
	}
	if p.IGPublishedAt != nil && p.IGMediaID != "" && slices.Contains(p.Platforms, platformInstagram) {
		got, err := m.social.MediaInsights(ctx, token, p.IGMediaID, social.ImageMetrics)
		if err != nil {
			return err
		}
		metrics.Instagram = got
	}
	now := m.d.Clock.Now()
	p.Metrics, p.MetricsAt = metrics, &now
	return updateSocialPost(ctx, m.d.DB, s.Scope(), p.touch(m), "metrics", "metrics_at")
}
