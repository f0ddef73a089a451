package snapify_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/alorig/alorig/modules/snapify"
	"github.com/alorig/alorig/modules/snapify/social"
	"github.com/alorig/alorig/modules/snapify/social/socialtest"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"
)

const (
	proPhone    = "+923211112222" // owns karachi-gadgets (Pro) in the seed
	freePhone   = "+923001234567" // owns ali-fabrics (Free)
	pageID      = "104857600000001"
	igUserID    = "17841400000000001"
	pageToken   = "EAAGkarachiPageToken0123456789abcdef"
	metaSecret  = "meta-app-secret-for-tests"
	socialPath  = "/api/v1/stores/karachi-gadgets/social"
	connectBody = `{"page_id":"` + pageID + `","page_access_token":"` + pageToken + `","instagram_user_id":"` + igUserID + `"}`
)

// nowClock lets the fake Graph server read the test environment's clock, which exists only
// once the environment (configured with the fake's URL) has started.
type nowClock struct{ env **testkit.Env }

func (c nowClock) Now() time.Time { return (*c.env).Clock.Now() }

// socialEnv starts Snapify (seeded) against a fake Graph API that requires appsecret_proof and
// downloads each image URL through Snapify's own /media handler, as Meta would over the internet.
func socialEnv(t *testing.T, opts socialtest.Options) (*testkit.Env, *snapify.Module, *socialtest.Server) {
	t.Helper()
	var env *testkit.Env
	opts.AppSecret, opts.Clock = metaSecret, nowClock{&env}
	opts.FetchImage = func(raw string) (string, error) {
		u, err := url.Parse(raw)
		if err != nil {
			return "", err
		}
		res, _ := env.Do("GET", u.Host, u.Path, nil, "")
		if res.StatusCode != http.StatusOK {
			return "", fmt.Errorf("HTTP %d", res.StatusCode)
		}
		return res.Header.Get("Content-Type"), nil
	}
	fake := socialtest.Start(opts)
	t.Cleanup(fake.Close)
	fake.AddAccount(socialtest.Account{PageID: pageID, PageName: "Karachi Gadgets", IGUserID: igUserID, IGUsername: "karachigadgets", Token: pageToken})
	cfg := fake.Config()
	env, m := seeded(t,
		testkit.WithEnv("ALORIG_SNAPIFY_META_GRAPH_BASE", cfg.APIBase),
		testkit.WithEnv("ALORIG_SNAPIFY_META_APP_SECRET", metaSecret),
		testkit.WithEnv("ALORIG_SNAPIFY_PUBLIC_URL", "http://snapify.localhost"))
	return env, m, fake
}

// connect connects karachi-gadgets' Page through the seller API.
func connect(t *testing.T, env *testkit.Env, tok string) {
	t.Helper()
	res, body := env.Do("PUT", host, socialPath, bearer(tok), connectBody)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
}

// queuePost queues a post for the first product of karachi-gadgets, as the content pipeline
// does after stage 5, and returns the store id, the post id and the product's image URL.
func queuePost(t *testing.T, env *testkit.Env, m *snapify.Module, caption string) (storeID, postID int64, imageURL string) {
	t.Helper()
	ctx := context.Background()
	s, err := m.StoreBySlug(ctx, "karachi-gadgets")
	require.NoError(t, err)
	db := env.Mounted("snapify").DB
	var p snapify.Product
	require.NoError(t, db.NewSelect().Model(&p).Where("store_id = ? AND status = 'active'", s.ID).Where("jsonb_array_length(images) > 0").
		Order("id").Limit(1).Scan(ctx))
	key := p.Images[0].FullKey()
	require.NoError(t, db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return m.QueueSocialPost(ctx, tx, s.ID, p.ID, caption, key)
	}))
	require.NoError(t, db.NewRaw("SELECT id FROM social_posts WHERE store_id = ? AND product_id = ? AND status = 'queued'", s.ID, p.ID).Scan(ctx, &postID))
	return s.ID, postID, "http://snapify.localhost/media/" + key
}

func socialPost(t *testing.T, env *testkit.Env, id int64) snapify.SocialPost {
	t.Helper()
	var p snapify.SocialPost
	require.NoError(t, env.Mounted("snapify").DB.NewSelect().Model(&p).Where("id = ?", id).Scan(context.Background()))
	return p
}

// startWorkers runs River and waits until the seed's queued jobs (the content pipeline's, for
// every seeded product) are worked, then cancels the posts that pipeline queued for the Pro
// store, so a test counts only its own post.
func startWorkers(t *testing.T, env *testkit.Env) {
	t.Helper()
	env.StartWorkers()
	db := env.Mounted("snapify").DB
	waitFor(t, 120*time.Second, func() bool {
		var n int
		err := db.NewRaw("SELECT count(*) FROM river_job WHERE state IN ('available', 'running', 'retryable')").Scan(context.Background(), &n)
		return err == nil && n == 0
	}, "the seed's jobs are worked")
	var queued int
	require.NoError(t, db.NewRaw("SELECT count(*) FROM social_posts WHERE status = 'queued'").Scan(context.Background(), &queued))
	require.Positive(t, queued, "the content pipeline queues a post for the Pro store's products")
	_, err := db.NewRaw("UPDATE social_posts SET status = 'cancelled' WHERE status = 'queued'").Exec(context.Background())
	require.NoError(t, err)
}

// waitFor polls cond until it holds or d passes (the machine may be busy: content jobs run too).
func waitFor(t *testing.T, d time.Duration, cond func() bool, msg string) {
	t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("timed out: " + msg)
}

// due moves the clock past the hour a queued post waits and hands due posts to publishing.
func due(t *testing.T, env *testkit.Env, m *snapify.Module) int {
	t.Helper()
	env.Clock.Advance(61 * time.Minute)
	n, err := m.QueueDueSocialPosts(context.Background())
	require.NoError(t, err)
	return n
}

func TestSocialDuePostIsPublishedOnceToPageAndInstagramAndMetricsReadBack(t *testing.T) {
	t.Parallel()
	env, m, fake := socialEnv(t, socialtest.Options{})
	ctx := context.Background()
	tok := signIn(t, env, proPhone)

	// A token Meta does not know is refused before anything is kept.
	res, body := env.Do("PUT", host, socialPath, bearer(tok), strings.Replace(connectBody, pageToken, "EAAGnotARealToken0000000000", 1))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode, body)
	require.Contains(t, body, "META_REFUSED")
	require.Contains(t, body, "page_access_token")
	connect(t, env, tok)
	res, body = env.Do("GET", host, socialPath, bearer(tok), "")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	require.Contains(t, body, `"page_name":"Karachi Gadgets"`)
	require.Contains(t, body, `"instagram_username":"karachigadgets"`)
	require.Contains(t, body, `"images_ready":true`)
	require.NotContains(t, body, pageToken)
	var sealed []byte
	require.NoError(t, env.Mounted("snapify").DB.NewRaw("SELECT page_token_sealed FROM social_connections").Scan(ctx, &sealed))
	require.NotContains(t, string(sealed), pageToken, "the token is stored encrypted")

	startWorkers(t, env)
	storeID, postID, imageURL := queuePost(t, env, m, "Original Anker charger, checked before it ships #karachi")
	// Queued content generated again replaces the waiting post instead of adding one.
	_, again, _ := queuePost(t, env, m, "Original Anker charger, checked before it ships #karachi")
	require.Equal(t, postID, again)

	n, err := m.QueueDueSocialPosts(ctx)
	require.NoError(t, err)
	require.Zero(t, n, "a post waits an hour, so the seller can cancel it")

	require.Equal(t, 1, due(t, env, m))
	waitFor(t, 60*time.Second, func() bool { return socialPost(t, env, postID).Status == "published" }, "the publish job publishes the post")

	posts := fake.Posts(pageID, true)
	require.Len(t, posts, 1)
	require.Equal(t, "Original Anker charger, checked before it ships #karachi", posts[0].Message)
	require.Equal(t, []string{imageURL}, posts[0].ImageURLs)
	media := fake.Media(igUserID)
	require.Len(t, media, 1)
	require.Equal(t, imageURL, media[0].ImageURL)
	p := socialPost(t, env, postID)
	require.Equal(t, posts[0].ID, p.FBPostID)
	require.Equal(t, media[0].ID, p.IGMediaID)
	require.Equal(t, []string{"facebook", "instagram"}, p.Platforms)
	require.NotNil(t, p.PublishedAt)

	// Publishing again, by the job or by the next schedule, changes nothing at Meta.
	require.NoError(t, m.PublishSocialPost(ctx, storeID, postID))
	n, err = m.QueueDueSocialPosts(ctx)
	require.NoError(t, err)
	require.Zero(t, n)
	waitFor(t, 60*time.Second, func() bool {
		var n int
		err := env.Mounted("snapify").DB.NewRaw("SELECT count(*) FROM river_job WHERE state IN ('available', 'running', 'retryable')").Scan(ctx, &n)
		return err == nil && n == 0
	}, "queued jobs are worked")
	require.Len(t, fake.Posts(pageID, false), 1)
	require.Len(t, fake.Media(igUserID), 1)

	// Engagement is read back from both.
	fake.SetEngagement(p.FBPostID, social.Engagement{Likes: 12, Comments: 3, Shares: 2})
	fake.SetInsights(p.IGMediaID, map[string]int64{"likes": 40, "comments": 5, "reach": 900, "saved": 7, "views": 1500})
	updated, err := m.RefreshSocialMetrics(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, updated)
	res, body = env.Do("GET", host, socialPath+"/posts", bearer(tok), "")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	var page struct {
		Total int `json:"total"`
		Posts []struct {
			ID       int64  `json:"id"`
			Status   string `json:"status"`
			ImageURL string `json:"image_url"`
			Metrics  struct {
				Facebook  social.Engagement `json:"facebook"`
				Instagram map[string]int64  `json:"instagram"`
			} `json:"metrics"`
			MetricsAt *time.Time `json:"metrics_at"`
		} `json:"posts"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &page))
	require.Greater(t, page.Total, 1, "the post and those the pipeline queued (cancelled above)")
	got := page.Posts[0]
	require.Equal(t, postID, got.ID, "newest first")
	require.Equal(t, "published", got.Status)
	require.Equal(t, imageURL, got.ImageURL)
	require.Equal(t, social.Engagement{Likes: 12, Comments: 3, Shares: 2}, got.Metrics.Facebook)
	require.Equal(t, int64(900), got.Metrics.Instagram["reach"])
	require.Equal(t, int64(40), got.Metrics.Instagram["likes"])
	require.NotNil(t, got.MetricsAt)
}

func TestSocialRetryAfterLostAnswersNeverPostsTwice(t *testing.T) {
	t.Parallel()
	env, m, fake := socialEnv(t, socialtest.Options{})
	ctx := context.Background()
	connect(t, env, signIn(t, env, proPhone))
	storeID, postID, _ := queuePost(t, env, m, "Ring light 10 inch with tripod")
	require.Equal(t, 1, due(t, env, m))

	// Meta makes the Page post public, but the answer is lost, as when the job dies right
	// after the call.
	fake.DropAnswerAfter(socialtest.OpPublishPost)
	err := m.PublishSocialPost(ctx, storeID, postID)
	require.Error(t, err)
	require.True(t, social.Retryable(err), "a lost answer is retried: %v", err)
	require.Len(t, fake.Posts(pageID, true), 1, "the Page post went public")
	p := socialPost(t, env, postID)
	require.NotEmpty(t, p.FBPostID, "the post id was recorded before publishing")
	require.Nil(t, p.FBPublishedAt)

	// The retry finds the post public and goes on to Instagram, where the container is
	// published and that answer is lost too.
	fake.DropAnswerAfter(socialtest.OpMediaPublish)
	err = m.PublishSocialPost(ctx, storeID, postID)
	require.Error(t, err)
	require.True(t, social.Retryable(err), "%v", err)
	p = socialPost(t, env, postID)
	require.NotNil(t, p.FBPublishedAt)
	require.NotEmpty(t, p.IGContainerID, "the container id was recorded before publishing")
	require.Empty(t, p.IGMediaID)
	require.Len(t, fake.Media(igUserID), 1, "the media was published")

	// The next retry finds the container published and recovers its media id.
	require.NoError(t, m.PublishSocialPost(ctx, storeID, postID))
	require.Len(t, fake.Posts(pageID, false), 1, "no second Page post, published or not")
	require.Len(t, fake.Media(igUserID), 1, "no second Instagram media")
	require.Len(t, fake.Containers(igUserID), 1, "no second container")
	p = socialPost(t, env, postID)
	require.Equal(t, "published", p.Status)
	require.Equal(t, fake.Media(igUserID)[0].ID, p.IGMediaID, "the media id is recovered from the account's media")
	require.NotNil(t, p.IGPublishedAt)
	require.Equal(t, 1, fake.Calls(socialtest.OpPublishPost), "a public post is not published again")
	require.Equal(t, 1, fake.Calls(socialtest.OpMediaPublish), "a published container is not published again")
}

func TestSocialLostAnswerOfTheUnpublishedPostLeavesNothingPublicTwice(t *testing.T) {
	t.Parallel()
	env, m, fake := socialEnv(t, socialtest.Options{})
	ctx := context.Background()
	connect(t, env, signIn(t, env, proPhone))
	storeID, postID, _ := queuePost(t, env, m, "Gaming mouse RGB")
	require.Equal(t, 1, due(t, env, m))

	fake.DropAnswerAfter(socialtest.OpFeed) // the unpublished post is made; its id is lost
	require.Error(t, m.PublishSocialPost(ctx, storeID, postID))
	// The recorded photo is attached to the lost post now; Meta refuses it for another post, so
	// the next try uploads a fresh one.
	err := m.PublishSocialPost(ctx, storeID, postID)
	require.Error(t, err)
	require.True(t, social.Retryable(err), "%v", err)
	require.NoError(t, m.PublishSocialPost(ctx, storeID, postID))

	require.Len(t, fake.Posts(pageID, true), 1, "one public post")
	require.Len(t, fake.Posts(pageID, false), 2, "the lost one stays unpublished, seen by nobody")
	require.Equal(t, "published", socialPost(t, env, postID).Status)
}

func TestSocialContainerMustFinishAndThrottlingWaits(t *testing.T) {
	t.Parallel()
	env, m, fake := socialEnv(t, socialtest.Options{ProcessingReads: 2})
	ctx := context.Background()
	connect(t, env, signIn(t, env, proPhone))
	storeID, postID, _ := queuePost(t, env, m, "Mechanical keyboard")
	require.Equal(t, 1, due(t, env, m))

	fake.FailNext(socialtest.OpCreateMedia, http.StatusBadRequest, 32, 0) // Page-level throttling
	err := m.PublishSocialPost(ctx, storeID, postID)
	var snooze *rivertype.JobSnoozeError
	require.ErrorAs(t, err, &snooze)
	require.Equal(t, 7*time.Minute, snooze.Duration, "Meta's estimated_time_to_regain_access")
	require.Len(t, fake.Posts(pageID, true), 1, "Facebook went out meanwhile")

	// The container is still processing: the job waits instead of publishing.
	for range 2 {
		err = m.PublishSocialPost(ctx, storeID, postID)
		require.ErrorAs(t, err, &snooze)
		require.Equal(t, time.Minute, snooze.Duration)
	}
	require.Zero(t, fake.Calls(socialtest.OpMediaPublish), "nothing is published before the container is FINISHED")
	require.NoError(t, m.PublishSocialPost(ctx, storeID, postID))
	require.Len(t, fake.Media(igUserID), 1)
	require.Equal(t, "published", socialPost(t, env, postID).Status)
	require.Len(t, fake.Posts(pageID, true), 1)
}

func TestSocialExpiredTokenMarksConnectionForReconnect(t *testing.T) {
	t.Parallel()
	env, m, fake := socialEnv(t, socialtest.Options{})
	ctx := context.Background()
	tok := signIn(t, env, proPhone)
	connect(t, env, tok)
	startWorkers(t, env)
	storeID, postID, _ := queuePost(t, env, m, "Car phone holder")

	// The publish job meets an expired token: it stops (retrying cannot help) and the
	// connection asks the seller to reconnect.
	fake.ExpireToken(pageToken)
	require.Equal(t, 1, due(t, env, m))
	db := env.Mounted("snapify").DB
	waitFor(t, 60*time.Second, func() bool {
		var state string
		err := db.NewRaw("SELECT state FROM river_job WHERE kind = 'snapify.social_publish_post' ORDER BY id DESC LIMIT 1").Scan(ctx, &state)
		return err == nil && state == "cancelled"
	}, "the publish job is cancelled")
	res, body := env.Do("GET", host, socialPath, bearer(tok), "")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	require.Contains(t, body, `"status":"needs_reconnect"`)
	require.Contains(t, body, "code 190")
	require.Equal(t, "publishing", socialPost(t, env, postID).Status, "the post waits for the seller")
	n, err := m.QueueDueSocialPosts(ctx)
	require.NoError(t, err)
	require.Zero(t, n, "nothing is sent for a store that must reconnect")
	require.Empty(t, fake.Posts(pageID, false))

	// The job's error says so without the worker: a cancel wrapping ErrTokenExpired.
	err = m.PublishSocialPost(ctx, storeID, postID)
	require.NoError(t, err, "a post of a store that must reconnect is left waiting")
	_, err = db.NewRaw("UPDATE social_connections SET status = 'connected'").Exec(ctx)
	require.NoError(t, err)
	err = m.PublishSocialPost(ctx, storeID, postID)
	var cancel *rivertype.JobCancelError
	require.ErrorAs(t, err, &cancel)
	require.ErrorIs(t, err, social.ErrTokenExpired)

	// The seller connects again with a fresh token; the waiting post goes out once.
	fresh := "EAAGkarachiFreshToken9876543210"
	fake.AddAccount(socialtest.Account{PageID: pageID, PageName: "Karachi Gadgets", IGUserID: igUserID, IGUsername: "karachigadgets", Token: fresh})
	res, body = env.Do("PUT", host, socialPath, bearer(tok), strings.Replace(connectBody, pageToken, fresh, 1))
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	require.Contains(t, body, `"status":"connected"`)
	n, err = m.QueueDueSocialPosts(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n, "the waiting post's job is enqueued again")
	waitFor(t, 60*time.Second, func() bool { return socialPost(t, env, postID).Status == "published" }, "the post is published after reconnecting")
	require.Len(t, fake.Posts(pageID, true), 1)
	require.Len(t, fake.Media(igUserID), 1)
}

func TestSocialIsProOnlyAndOwnerOnly(t *testing.T) {
	t.Parallel()
	env, m, _ := socialEnv(t, socialtest.Options{})
	ctx := context.Background()
	owner := signIn(t, env, proPhone)
	other := signIn(t, env, freePhone)
	connect(t, env, owner)

	const freePath = "/api/v1/stores/ali-fabrics/social"
	freeBody := `{"page_id":"` + pageID + `","page_access_token":"` + pageToken + `"}`
	rows := []testkit.Scenario{
		{Name: "free store reads", Method: "GET", Host: host, Path: freePath, Header: bearer(other), Status: 403, Contains: []string{"PRO_REQUIRED", "Pro feature"}},
		{Name: "free store connects", Method: "PUT", Host: host, Path: freePath, Header: bearer(other), Body: freeBody, Status: 403, Contains: []string{"PRO_REQUIRED"}},
		{Name: "free store disconnects", Method: "DELETE", Host: host, Path: freePath, Header: bearer(other), Status: 403, Contains: []string{"PRO_REQUIRED"}},
		{Name: "free store lists posts", Method: "GET", Host: host, Path: freePath + "/posts", Header: bearer(other), Status: 403, Contains: []string{"PRO_REQUIRED"}},
		{Name: "another seller reads", Method: "GET", Host: host, Path: socialPath, Header: bearer(other), Status: 404, NotContains: []string{pageID}},
		{Name: "another seller connects", Method: "PUT", Host: host, Path: socialPath, Header: bearer(other), Body: freeBody, Status: 404},
		{Name: "another seller disconnects", Method: "DELETE", Host: host, Path: socialPath, Header: bearer(other), Status: 404},
		{Name: "another seller lists posts", Method: "GET", Host: host, Path: socialPath + "/posts", Header: bearer(other), Status: 404},
		{Name: "signed out", Method: "GET", Host: host, Path: socialPath, Status: 401},
		{Name: "unknown field", Method: "PUT", Host: host, Path: socialPath, Header: bearer(owner), Body: `{"page_id":"1","page_access_token":"x","token":"y"}`, Status: 400},
		{Name: "bad ids", Method: "PUT", Host: host, Path: socialPath, Header: bearer(owner), Body: `{"page_id":"my-page","page_access_token":"short","instagram_user_id":"@me"}`,
			Status: 422, Contains: []string{"page_id", "page_access_token", "instagram_user_id"}},
		{Name: "owner still connected", Method: "GET", Host: host, Path: socialPath, Header: bearer(owner), Status: 200, Contains: []string{`"page_id":"` + pageID + `"`, `"status":"connected"`}},
	}
	env.Run(t, rows)

	// The content pipeline's call queues nothing for a Free store.
	free, err := m.StoreBySlug(ctx, "ali-fabrics")
	require.NoError(t, err)
	db := env.Mounted("snapify").DB
	var productID int64
	require.NoError(t, db.NewRaw("SELECT id FROM products WHERE store_id = ? ORDER BY id LIMIT 1", free.ID).Scan(ctx, &productID))
	require.NoError(t, m.QueueSocialPost(ctx, db, free.ID, productID, "Lawn suit", "snapify/x/full.jpg"))
	var n int
	require.NoError(t, db.NewRaw("SELECT count(*) FROM social_posts WHERE store_id = ?", free.ID).Scan(ctx, &n))
	require.Zero(t, n)

	// The owner cancels a queued post; a post of another store is not found.
	_, postID, _ := queuePost(t, env, m, "Tripod for mobile")
	res, body := env.Do("DELETE", host, fmt.Sprintf("%s/posts/%d", socialPath, postID), bearer(owner), "")
	require.Equal(t, http.StatusNoContent, res.StatusCode, body)
	require.Equal(t, "cancelled", socialPost(t, env, postID).Status)
	res, body = env.Do("DELETE", host, fmt.Sprintf("%s/posts/%d", socialPath, postID), bearer(owner), "")
	require.Equal(t, http.StatusConflict, res.StatusCode, body)

	// Disconnecting deletes the token.
	res, body = env.Do("DELETE", host, socialPath, bearer(owner), "")
	require.Equal(t, http.StatusNoContent, res.StatusCode, body)
	require.NoError(t, db.NewRaw("SELECT count(*) FROM social_connections").Scan(ctx, &n))
	require.Zero(t, n)
	res, _ = env.Do("DELETE", host, socialPath, bearer(owner), "")
	require.Equal(t, http.StatusNotFound, res.StatusCode)
}

// The Graph client's errors say what the job should do.
func TestSocialGraphErrorsAreTyped(t *testing.T) {
	t.Parallel()
	fake := socialtest.Start(socialtest.Options{AppSecret: metaSecret})
	t.Cleanup(fake.Close)
	fake.AddAccount(socialtest.Account{PageID: pageID, PageName: "P", IGUserID: igUserID, IGUsername: "p", Token: pageToken})
	ctx := context.Background()
	c := social.New(fake.Config(), nil)
	_, err := c.Page(ctx, pageToken, pageID)
	require.NoError(t, err)

	wrong := fake.Config()
	wrong.AppSecret = "another-secret"
	_, err = social.New(wrong, nil).Page(ctx, pageToken, pageID)
	require.ErrorIs(t, err, social.ErrRefused, "a wrong appsecret_proof is refused")
	wrong.AppSecret = ""
	_, err = social.New(wrong, nil).Page(ctx, pageToken, pageID)
	require.ErrorContains(t, err, "require an appsecret_proof")

	for _, tc := range []struct {
		code, subcode int
		want          error
		retry         bool
	}{
		{190, 463, social.ErrTokenExpired, false},
		{200, 0, social.ErrPermission, false},
		{4, 0, social.ErrRateLimited, true},
		{17, 0, social.ErrRateLimited, true},
		{32, 0, social.ErrRateLimited, true},
		{613, 0, social.ErrRateLimited, true},
		{2, 0, social.ErrTemporary, true},
		{100, 0, social.ErrRefused, false},
	} {
		fake.FailNext(socialtest.OpNode, http.StatusBadRequest, tc.code, tc.subcode)
		_, err := c.Page(ctx, pageToken, pageID)
		require.ErrorIs(t, err, tc.want, "code %d", tc.code)
		require.Equal(t, tc.retry, social.Retryable(err), "code %d", tc.code)
		var api *social.APIError
		require.True(t, errors.As(err, &api))
		require.NotEmpty(t, api.FBTraceID)
	}

	_, err = c.CreateContainer(ctx, pageToken, igUserID, "/media/relative.jpg", "x")
	require.ErrorIs(t, err, social.ErrBadInput)
	_, err = c.PublishContainer(ctx, pageToken, igUserID, "999")
	require.ErrorIs(t, err, social.ErrRefused, "an unknown container")
}
