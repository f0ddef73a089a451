package snapify_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/alorig/alorig/modules/snapify"
	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

// start opens Snapify on a fresh database with media on a temporary directory.
func start(t *testing.T, opts ...testkit.EnvOption) (*testkit.Env, *snapify.Module) {
	t.Helper()
	opts = append([]testkit.EnvOption{testkit.WithEnv("ALORIG_SNAPIFY_MEDIA_DIR", t.TempDir())}, opts...)
	env := testkit.Start(t, map[string]platform.Constructor{"snapify": snapify.New}, opts...)
	return env, env.Mounted("snapify").Module.(*snapify.Module)
}

func seeded(t *testing.T, opts ...testkit.EnvOption) (*testkit.Env, *snapify.Module) {
	t.Helper()
	env, m := start(t, opts...)
	require.NoError(t, m.Seed(context.Background()))
	return env, m
}

const host = "snapify.localhost"

// signIn gets a session token for phone through the one-time-code API (development mode
// returns the code when WhatsApp is not configured).
func signIn(t *testing.T, env *testkit.Env, phone string) string {
	t.Helper()
	res, body := env.Do("POST", host, "/api/v1/seller/login/code", nil, `{"phone":"`+phone+`"}`)
	require.Equal(t, http.StatusAccepted, res.StatusCode, body)
	var sent struct {
		DevCode string `json:"dev_code"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &sent))
	require.Len(t, sent.DevCode, 6, body)
	res, body = env.Do("POST", host, "/api/v1/seller/login/verify", nil, `{"phone":"`+phone+`","code":"`+sent.DevCode+`"}`)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	var out struct {
		Token string `json:"token"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &out))
	require.NotEmpty(t, out.Token)
	return out.Token
}

func bearer(token string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + token}
}

// eventually polls cond until it holds or 10 s pass.
func eventually(t *testing.T, cond func() bool, msg string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("timed out: " + msg)
}

func between(s, a, b string) string {
	i := strings.Index(s, a)
	if i < 0 {
		return ""
	}
	s = s[i+len(a):]
	if j := strings.Index(s, b); j >= 0 {
		return s[:j]
	}
	return s
}

// drainJobs waits until River has worked every job queued so far (seeding queues cache
// invalidations that would otherwise race with a test's first page).
func drainJobs(t *testing.T, env *testkit.Env) {
	t.Helper()
	db := env.Mounted("snapify").DB
	const pending = "state IN ('available', 'running', 'scheduled', 'retryable', 'pending')"
	// A minute, not the usual ten seconds: the content pipeline's stages and image work run
	// in these jobs, and under `go test ./...` on two cores they queue behind other packages.
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		var n int
		if err := db.NewRaw("SELECT count(*) FROM river_job WHERE "+pending).Scan(context.Background(), &n); err == nil && n == 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	var left []struct {
		Kind   string          `bun:"kind"`
		State  string          `bun:"state"`
		Errors json.RawMessage `bun:"errors"`
	}
	_ = db.NewRaw("SELECT kind, state, errors FROM river_job WHERE "+pending).Scan(context.Background(), &left)
	t.Fatalf("timed out: queued jobs are worked; left: %+v", left)
}

// admin signs in a seller whose account an operator made an admin, and returns the token.
func admin(t *testing.T, env *testkit.Env) string {
	t.Helper()
	const phone = "+923000009999"
	tok := signIn(t, env, phone)
	mounted := env.Mounted("snapify")
	var id int64
	require.NoError(t, mounted.DB.NewRaw("UPDATE users SET role = 'admin' WHERE phone = ? RETURNING id", phone).Scan(context.Background(), &id))
	mounted.Accounts.InvalidateUser(context.Background(), id)
	return tok
}
