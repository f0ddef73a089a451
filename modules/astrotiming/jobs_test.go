package astrotiming_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alorig/alorig/modules/astrotiming"
	"github.com/alorig/alorig/modules/astrotiming/gcal"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

func TestPrecomputeBriefingCleanup(t *testing.T) {
	t.Parallel()
	env, m := start(t)
	ctx := context.Background()
	require.NoError(t, m.Seed(ctx))
	require.NoError(t, m.Seed(ctx), "seeding twice is harmless")
	db := env.Mounted("astrotiming").DB

	var acts int
	require.NoError(t, db.NewRaw("SELECT count(*) FROM activity_categories").Scan(ctx, &acts))
	require.Equal(t, 34, acts)

	n, err := m.Precompute(ctx)
	require.NoError(t, err)
	require.Equal(t, 2, n, "today and tomorrow for the one saved location (Lahore)")
	var ruler string
	require.NoError(t, db.NewRaw("SELECT hours->>'day_ruler' FROM planetary_cache WHERE date = '2026-03-11'").Scan(ctx, &ruler))
	require.Equal(t, "Mercury", ruler)
	keys, err := env.Mounted("astrotiming").KV.Keys(ctx, "hours:v2:*")
	require.NoError(t, err)
	require.Len(t, keys, 2, "the Redis hours cache is warmed too")

	// 10:00 UTC is after Lahore's sunrise: today's briefing is due at once; a second sweep
	// inserts nothing new.
	inserted, err := m.ScheduleBriefings(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, inserted)
	inserted, err = m.ScheduleBriefings(ctx)
	require.NoError(t, err)
	require.Equal(t, 0, inserted, "the job is unique per user and date")
	var args string
	require.NoError(t, db.NewRaw("SELECT args::text FROM river_job WHERE kind = 'astrotiming.generate_daily_briefing'").Scan(ctx, &args))
	require.Contains(t, args, `"date": "2026-03-11"`)

	var uid int64
	require.NoError(t, db.NewRaw("SELECT id FROM users WHERE email = ?", astrotiming.DemoEmail).Scan(ctx, &uid))
	require.NoError(t, m.GenerateBriefing(ctx, uid, "2026-03-11"))
	_, err = m.ScheduleBriefings(ctx)
	require.NoError(t, err)

	res, body := env.Do("POST", host, "/api/v1/auth/login", nil, `{"email":"`+astrotiming.DemoEmail+`","password":"`+astrotiming.DemoPassword+`"}`)
	require.Equal(t, 200, res.StatusCode, body)
	tok := decode[struct {
		Token string `json:"token"`
	}](t, body).Token
	res, body = env.Do("GET", host, "/api/v1/briefing", bearer(tok), "")
	require.Equal(t, 200, res.StatusCode, body)
	b := decode[struct {
		Briefing astrotiming.BriefingBody `json:"briefing"`
	}](t, body).Briefing
	require.Equal(t, "Mercury", b.DayRuler.String())
	require.Len(t, b.Hours, 24)
	w, ok := b.BestWindows["Mercury"]
	require.True(t, ok, body)
	require.Equal(t, "Write", w.Activity)
	require.Equal(t, time.Hour, w.End.Sub(w.Start).Round(time.Hour), "the best single planetary hour")

	// Next day, before sunrise − 30 min: the job is scheduled for 06:17 − 0:30 Lahore time.
	env.Clock.Set(time.Date(2026, 3, 11, 20, 0, 0, 0, time.UTC)) // 01:00 on the 12th in Lahore
	inserted, err = m.ScheduleBriefings(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, inserted)
	var at time.Time
	require.NoError(t, db.NewRaw("SELECT scheduled_at FROM river_job WHERE kind = 'astrotiming.generate_daily_briefing' ORDER BY id DESC LIMIT 1").Scan(ctx, &at))
	loc, _ := time.LoadLocation("Asia/Karachi")
	require.Equal(t, "2026-03-12 05:4", at.In(loc).Format("2006-01-02 15:04")[:15], "sunrise ≈ 06:16 local, minus 30 minutes")

	// Cleanup keeps 90 days.
	_, err = db.ExecContext(ctx, `INSERT INTO timing_queries (kind, activity, latitude, longitude, at, created_at) VALUES
		('tqs', 'writing', 1, 2, now(), '2025-01-01'), ('tqs', 'writing', 1, 2, now(), '2026-03-01')`)
	require.NoError(t, err)
	gone, err := m.CleanupQueries(ctx)
	require.NoError(t, err)
	require.Equal(t, int64(1), gone)
}

func TestPeriodicJobsAndWorkers(t *testing.T) {
	t.Parallel()
	env, m := start(t)
	require.Len(t, m.PeriodicJobs(), 5) // precompute, briefings, calendars, cleanup, billing sweep
	require.NoError(t, m.Seed(context.Background()))
	env.StartWorkers()
	_, err := env.Mounted("astrotiming").Jobs.Insert(context.Background(), astrotiming.PrecomputeArgs{}, nil)
	require.NoError(t, err)
	db := env.Mounted("astrotiming").DB
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int
		require.NoError(t, db.NewRaw("SELECT count(*) FROM planetary_cache").Scan(context.Background(), &n))
		if n == 2 {
			break
		}
		require.True(t, time.Now().Before(deadline), "the worker did not fill planetary_cache")
		time.Sleep(50 * time.Millisecond)
	}
}

// receiver is a developer's webhook endpoint that verifies every delivery.
type receiver struct {
	mu     sync.Mutex
	secret string
	got    []astrotiming.WebhookPayload
	bad    []string
	now    func() time.Time
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	err := astrotiming.Verify([]byte(r.secret), req.Header.Get(astrotiming.HeaderTimestamp), req.Header.Get(astrotiming.HeaderSignature), body, r.now(), 5*time.Minute)
	if err != nil {
		r.bad = append(r.bad, err.Error())
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	var p astrotiming.WebhookPayload
	if err := json.Unmarshal(body, &p); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.got = append(r.got, p)
	w.WriteHeader(http.StatusNoContent)
}

func TestWebhooksAreSignedAndScheduledAtWindowStart(t *testing.T) {
	t.Parallel()
	env, m := start(t)
	m.AllowWebhookTargets(loopback...)
	tok := register(t, env)
	rcv := &receiver{now: env.Clock.Now}
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	body := `{"url":"` + srv.URL + `/hook","activity":"writing","lat":31.5497,"lng":74.3436,"tz":"Asia/Karachi","min_score":45,"days":3,"limit":3}`

	res, out := env.Do("POST", host, "/api/v1/webhooks", apiKey(newKey(t, env, tok, "free")), body)
	require.Equal(t, http.StatusForbidden, res.StatusCode, "free keys have no webhooks: %s", out)
	res, out = env.Do("POST", host, "/api/v1/webhooks", bearer(tok), body)
	require.Equal(t, http.StatusForbidden, res.StatusCode, "a session has no key to attach the webhook to: %s", out)

	key := newKey(t, env, tok, "developer")
	res, out = env.Do("POST", host, "/api/v1/webhooks", apiKey(key), body)
	require.Equal(t, http.StatusCreated, res.StatusCode, out)
	created := decode[struct {
		Secret    string      `json:"secret"`
		Scheduled []time.Time `json:"deliveries_scheduled"`
	}](t, out)
	require.True(t, strings.HasPrefix(created.Secret, "whsec_"))
	require.NotEmpty(t, created.Scheduled, out)
	rcv.secret = created.Secret

	ctx := context.Background()
	db := env.Mounted("astrotiming").DB
	var jobs []struct {
		Args        json.RawMessage `bun:"args"`
		ScheduledAt time.Time       `bun:"scheduled_at"`
	}
	require.NoError(t, db.NewRaw("SELECT args, scheduled_at FROM river_job WHERE kind = 'astrotiming.deliver_webhook' ORDER BY scheduled_at").Scan(ctx, &jobs))
	require.Len(t, jobs, len(created.Scheduled))
	for _, j := range jobs {
		var a astrotiming.WebhookArgs
		require.NoError(t, json.Unmarshal(j.Args, &a))
		require.True(t, j.ScheduledAt.Equal(a.Window.Start), "the job runs when its window starts")
		require.GreaterOrEqual(t, a.Window.Score, 45)
		env.Clock.Set(a.Window.Start)
		require.NoError(t, m.DeliverWebhook(ctx, a.WebhookID, a.Window))
	}
	rcv.mu.Lock()
	require.Empty(t, rcv.bad)
	require.Len(t, rcv.got, len(jobs))
	require.Equal(t, "window.started", rcv.got[0].Event)
	require.Equal(t, "writing", rcv.got[0].Activity)
	rcv.mu.Unlock()

	// A wrong secret is refused by the receiver and the job fails (River retries it).
	rcv.mu.Lock()
	rcv.secret = "whsec_wrong"
	rcv.mu.Unlock()
	var a astrotiming.WebhookArgs
	require.NoError(t, json.Unmarshal(jobs[0].Args, &a))
	require.ErrorContains(t, m.DeliverWebhook(ctx, a.WebhookID, a.Window), "HTTP 401")

	// Disabled webhooks stop quietly.
	res, _ = env.Do("DELETE", host, "/api/v1/webhooks/1", bearer(tok), "")
	require.Equal(t, http.StatusNoContent, res.StatusCode)
	require.NoError(t, m.DeliverWebhook(ctx, a.WebhookID, a.Window))
}

func TestSignature(t *testing.T) {
	t.Parallel()
	ts := time.Unix(1_773_223_200, 0)
	sig := astrotiming.Sign([]byte("whsec_k"), ts, []byte(`{"a":1}`))
	require.True(t, strings.HasPrefix(sig, "v1="))
	require.NoError(t, astrotiming.Verify([]byte("whsec_k"), "1773223200", sig, []byte(`{"a":1}`), ts.Add(time.Minute), 5*time.Minute))
	require.Error(t, astrotiming.Verify([]byte("whsec_k"), "1773223200", sig, []byte(`{"a":2}`), ts, 5*time.Minute), "body changed")
	require.Error(t, astrotiming.Verify([]byte("whsec_x"), "1773223200", sig, []byte(`{"a":1}`), ts, 5*time.Minute), "other secret")
	require.Error(t, astrotiming.Verify([]byte("whsec_k"), "1773223200", sig, []byte(`{"a":1}`), ts.Add(time.Hour), 5*time.Minute), "replayed late")
}

func TestICSFeedForPremium(t *testing.T) {
	t.Parallel()
	env, _ := start(t)
	tok := register(t, env)
	res, body := env.Do("POST", host, "/api/v1/calendar/ics", bearer(tok), "")
	require.Equal(t, http.StatusForbidden, res.StatusCode, "needs premium: %s", body)

	key := apiKey(newKey(t, env, tok, "premium"))
	res, body = env.Do("PUT", host, "/api/v1/home", key, `{"lat":31.5497,"lng":74.3436,"tz":"Asia/Karachi"}`)
	require.Equal(t, 200, res.StatusCode, body)
	res, body = env.Do("POST", host, "/api/v1/schedule", key, `{"lat":31.5497,"lng":74.3436,"tz":"Asia/Karachi","from":"2026-03-12","days":2,"save":true,"items":[{"activity":"writing","duration_minutes":60}]}`)
	require.Equal(t, 200, res.StatusCode, body)
	res, body = env.Do("POST", host, "/api/v1/calendar/ics", key, "")
	require.Equal(t, http.StatusCreated, res.StatusCode, body)
	url := decode[struct {
		URL string `json:"url"`
	}](t, body).URL
	path := url[strings.Index(url, "/calendar/"):]

	res, feed := env.Do("GET", host, path+"?activity=writing", nil, "")
	require.Equal(t, 200, res.StatusCode, feed)
	require.Equal(t, "text/calendar; charset=utf-8", res.Header.Get("Content-Type"))
	require.True(t, strings.HasPrefix(feed, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
	require.True(t, strings.HasSuffix(feed, "END:VCALENDAR\r\n"))
	require.Contains(t, feed, "SUMMARY:writing (TQS ")
	require.Contains(t, feed, "SUMMARY:Optimal: Write (TQS ")
	require.Contains(t, feed, "DTSTAMP:20260311T100000Z\r\n")
	require.Equal(t, strings.Count(feed, "BEGIN:VEVENT"), strings.Count(feed, "\r\nUID:entry-")+strings.Count(feed, "\r\nUID:window-"))
	for _, l := range strings.Split(feed, "\r\n") {
		require.LessOrEqual(t, len(l), 75)
		if strings.HasPrefix(l, "DTSTART:") || strings.HasPrefix(l, "DTEND:") {
			require.Regexp(t, `^DT(START|END):\d{8}T\d{6}Z$`, l)
		}
	}
	env.Run(t, []testkit.Scenario{
		{Name: "wrong token", Host: host, Path: "/calendar/ics_nope.ics", Status: 404},
		{Name: "no suffix", Host: host, Path: strings.TrimSuffix(path, ".ics"), Status: 404},
	})

	// A new URL revokes the old one.
	res, _ = env.Do("POST", host, "/api/v1/calendar/ics", key, "")
	require.Equal(t, http.StatusCreated, res.StatusCode)
	res, _ = env.Do("GET", host, path, nil, "")
	require.Equal(t, 404, res.StatusCode)
}

func TestGoogleCalendarSync(t *testing.T) {
	t.Parallel()
	fake := gcal.NewFake()
	defer fake.Close()
	cfg := fake.Config()
	env, m := start(t, testkit.WithEnv("ALORIG_ASTROTIMING_GOOGLE_CALENDAR_BASE", cfg.BaseURL),
		testkit.WithEnv("ALORIG_ASTROTIMING_GOOGLE_TOKEN_URL", cfg.TokenURL),
		testkit.WithEnv("ALORIG_ASTROTIMING_GOOGLE_CLIENT_ID", cfg.ClientID),
		testkit.WithEnv("ALORIG_ASTROTIMING_GOOGLE_CLIENT_SECRET", cfg.ClientSecret))
	tok := register(t, env)
	key := apiKey(newKey(t, env, tok, "premium"))
	res, body := env.Do("PUT", host, "/api/v1/home", key, `{"lat":31.5497,"lng":74.3436,"tz":"Asia/Karachi"}`)
	require.Equal(t, 200, res.StatusCode, body)
	res, body = env.Do("POST", host, "/api/v1/schedule", key, `{"lat":31.5497,"lng":74.3436,"tz":"Asia/Karachi","from":"2026-03-12","days":2,"save":true,"items":[{"activity":"writing","duration_minutes":60},{"activity":"exercise","duration_minutes":30}]}`)
	require.Equal(t, 200, res.StatusCode, body)
	// The stored access token has expired: the sync refreshes it first.
	res, body = env.Do("PUT", host, "/api/v1/calendar/google", key, `{"calendar_id":"me@example.com","access_token":"ya29.stale","refresh_token":"`+fake.RefreshToken+`","expires_at":"2026-03-11T09:00:00Z"}`)
	require.Equal(t, 200, res.StatusCode, body)

	ctx := context.Background()
	n, err := m.SyncCalendars(ctx)
	require.NoError(t, err)
	require.Equal(t, 2, n)
	calls, evs := fake.Snapshot("me@example.com")
	require.Equal(t, []string{"TOKEN refresh", "POST me@example.com", "POST me@example.com"}, calls)
	for _, ev := range evs {
		require.Equal(t, "Asia/Karachi", ev.Start.TimeZone)
		require.Contains(t, ev.Summary, "(AstroTiming ")
	}
	n, err = m.SyncCalendars(ctx)
	require.NoError(t, err)
	require.Equal(t, 0, n, "nothing changed")

	// A changed entry is patched.
	db := env.Mounted("astrotiming").DB
	_, err = db.ExecContext(ctx, "UPDATE schedule_entries SET starts_at = starts_at + interval '1 hour', ends_at = ends_at + interval '1 hour', updated_at = now() + interval '1 day' WHERE activity = 'writing'")
	require.NoError(t, err)
	n, err = m.SyncCalendars(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	calls, _ = fake.Snapshot("me@example.com")
	require.True(t, strings.HasPrefix(calls[len(calls)-1], "PATCH me@example.com/ev"), calls)

	// Without a premium key the user is not synced.
	_, err = db.ExecContext(ctx, "UPDATE api_keys SET revoked_at = now()")
	require.NoError(t, err)
	_, err = db.ExecContext(ctx, "UPDATE schedule_entries SET updated_at = now() + interval '2 days'")
	require.NoError(t, err)
	n, err = m.SyncCalendars(ctx)
	require.NoError(t, err)
	require.Equal(t, 0, n)
}
