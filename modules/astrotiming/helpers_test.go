package astrotiming_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/alorig/alorig/modules/astrotiming"
	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

const host = "astrotiming.localhost"

// Lahore, the default place.
const lahore = "lat=31.5497&lng=74.3436&tz=Asia/Karachi"

func start(t testing.TB, opts ...testkit.EnvOption) (*testkit.Env, *astrotiming.Module) {
	t.Helper()
	env := testkit.Start(t, map[string]platform.Constructor{"astrotiming": astrotiming.New}, opts...)
	return env, env.Mounted("astrotiming").Module.(*astrotiming.Module)
}

var userSeq atomic.Int64

// register signs up a fresh user and returns the Bearer token.
func register(t *testing.T, env *testkit.Env) string {
	t.Helper()
	email := fmt.Sprintf("dev%d@example.com", userSeq.Add(1))
	res, body := env.Do("POST", host, "/api/v1/auth/register", nil, `{"email":"`+email+`","password":"correct horse battery"}`)
	require.Equal(t, http.StatusCreated, res.StatusCode, body)
	var out struct {
		Token string `json:"token"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &out))
	require.NotEmpty(t, out.Token)
	return out.Token
}

// newKey creates an API key with the session token and gives it tier, as billing would (users
// self-issue only free keys).
func newKey(t *testing.T, env *testkit.Env, token, tier string) string {
	t.Helper()
	res, body := env.Do("POST", host, "/api/v1/auth/keys", bearer(token), `{"name":"test","tier":"free"}`)
	require.Equal(t, http.StatusCreated, res.StatusCode, body)
	var out struct {
		Key    string `json:"key"`
		APIKey struct {
			ID int64 `json:"id"`
		} `json:"api_key"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &out))
	require.NotEmpty(t, out.Key)
	if tier != "free" {
		require.NoError(t, env.Mounted("astrotiming").Deps.Accounts.SetAPIKeyTier(context.Background(), out.APIKey.ID, tierOf(t, tier)))
	}
	return out.Key
}

func bearer(token string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + token}
}
func apiKey(key string) map[string]string { return map[string]string{"X-API-Key": key} }

func decode[T any](t testing.TB, body string) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal([]byte(body), &v), body)
	return v
}

// tierOf is the module's plan called name.
func tierOf(t testing.TB, name string) auth.Tier {
	t.Helper()
	tier, ok := astrotiming.Tier(name)
	require.True(t, ok, "no tier %q", name)
	return tier
}
