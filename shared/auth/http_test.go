package auth_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"
)

// accountsModule is the smallest module: only the platform's account endpoints, with API
// tiers, mounted on the asms database (which carries the platform tables like every other).
type accountsModule struct{ d platform.Deps }

func (m accountsModule) Name() string { return "asms" }
func (m accountsModule) Web(e *echo.Echo) {
	auth.Routes(e.Group("/api/v1/auth"), m.d.Accounts, testTiers)
}

var testTiers = map[string]auth.Tier{
	"free":    {Name: "free", PerMinute: 60, DailyQuota: 1000},
	"premium": {Name: "premium", PerMinute: 3000, DailyQuota: 500000},
}

const host = "asms.localhost"

func startAccounts(t *testing.T, opts ...testkit.EnvOption) *testkit.Env {
	t.Helper()
	return testkit.Start(t, map[string]platform.Constructor{"asms": func(d platform.Deps) (platform.Module, error) {
		return accountsModule{d}, nil
	}}, opts...)
}

func bearer(token string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + token}
}

var seq atomic.Int64

// signUp registers a fresh account over HTTP and returns its bearer token and email.
func signUp(t *testing.T, env *testkit.Env) (string, string) {
	t.Helper()
	email := fmt.Sprintf("user%d@example.pk", seq.Add(1))
	res, body := env.Do("POST", host, "/api/v1/auth/register", nil, `{"email":"`+email+`","password":"a long passphrase"}`)
	require.Equal(t, http.StatusCreated, res.StatusCode, body)
	return tokenOf(t, body), email
}

func tokenOf(t *testing.T, body string) string {
	t.Helper()
	var out struct {
		Token string `json:"token"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &out), body)
	require.NotEmpty(t, out.Token, body)
	return out.Token
}

// Users may issue themselves free keys only, anonymous accounts none, and at most ten at once;
// paid tiers reach a key through SetAPIKeyTier, which billing calls.
func TestSelfIssuedKeysAreFreeAndCapped(t *testing.T) {
	t.Parallel()
	env := startAccounts(t)
	tok, _ := signUp(t, env)
	res, body := env.Do("POST", host, "/api/v1/auth/anonymous", nil, "")
	require.Equal(t, http.StatusCreated, res.StatusCode, body)
	anon := tokenOf(t, body)

	env.Run(t, []testkit.Scenario{
		{Name: "a paid tier is not self-issued", Method: "POST", Host: host, Path: "/api/v1/auth/keys", Header: bearer(tok),
			Body: `{"name":"ci","tier":"premium"}`, Status: http.StatusForbidden, Contains: []string{"TIER_NOT_GRANTED", "billing"}},
		{Name: "an unknown tier is invalid", Method: "POST", Host: host, Path: "/api/v1/auth/keys", Header: bearer(tok),
			Body: `{"tier":"gold"}`, Status: http.StatusUnprocessableEntity, Contains: []string{"unknown tier"}},
		{Name: "anonymous accounts issue no keys", Method: "POST", Host: host, Path: "/api/v1/auth/keys", Header: bearer(anon),
			Body: `{"name":"x"}`, Status: http.StatusForbidden, Contains: []string{"ANONYMOUS_ACCOUNT", "attach an email"}},
	})
	var first int64
	for i := range auth.MaxActiveKeys {
		res, body := env.Do("POST", host, "/api/v1/auth/keys", bearer(tok), `{"name":"k"}`)
		require.Equal(t, http.StatusCreated, res.StatusCode, body)
		require.Contains(t, body, `"tier":"free"`)
		if i == 0 {
			var out struct {
				APIKey auth.APIKey `json:"api_key"`
			}
			require.NoError(t, json.Unmarshal([]byte(body), &out))
			first = out.APIKey.ID
		}
	}
	env.Run(t, []testkit.Scenario{
		{Name: "the eleventh active key is refused", Method: "POST", Host: host, Path: "/api/v1/auth/keys", Header: bearer(tok),
			Body: `{"name":"k"}`, Status: http.StatusConflict, Contains: []string{"TOO_MANY_KEYS"}},
		{Name: "revoking one makes room", Method: "DELETE", Host: host, Path: fmt.Sprintf("/api/v1/auth/keys/%d", first),
			Header: bearer(tok), Status: http.StatusNoContent},
		{Name: "then a new key is issued", Method: "POST", Host: host, Path: "/api/v1/auth/keys", Header: bearer(tok),
			Body: `{"name":"k"}`, Status: http.StatusCreated},
	})

	// Billing's grant: a paid tier reaches an existing key; a revoked key cannot be upgraded.
	accounts := env.Mounted("asms").Accounts
	res, body = env.Do("POST", host, "/api/v1/auth/keys", bearer(signUpToken(t, env)), `{"name":"paid"}`)
	require.Equal(t, http.StatusCreated, res.StatusCode, body)
	var out struct {
		Key    string      `json:"key"`
		APIKey auth.APIKey `json:"api_key"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &out))
	require.NoError(t, accounts.SetAPIKeyTier(t.Context(), out.APIKey.ID, testTiers["premium"]))
	k, err := accounts.AuthenticateAPIKey(t.Context(), out.Key)
	require.NoError(t, err)
	require.Equal(t, "premium", k.Tier)
	require.Equal(t, 3000, k.RatePerMin)
	require.ErrorIs(t, accounts.SetAPIKeyTier(t.Context(), first, testTiers["premium"]), auth.ErrNotFound)
}

func signUpToken(t *testing.T, env *testkit.Env) string { tok, _ := signUp(t, env); return tok }
