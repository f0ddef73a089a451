package astrotiming_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/alorig/alorig/shared/billing"
	"github.com/alorig/alorig/shared/billing/stripetest"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

const (
	stripeKey    = "sk_test_astro"
	stripeSecret = "whsec_astro"
	devPrice     = "price_astro_developer"
	premiumPrice = "price_astro_premium"
)

type keyRow struct {
	ID         int64  `json:"id"`
	Tier       string `json:"tier"`
	RatePerMin int    `json:"rate_per_min"`
	DailyQuota int    `json:"daily_quota"`
}

func keysOf(t *testing.T, env *testkit.Env, token string) []keyRow {
	t.Helper()
	res, body := env.Do("GET", host, "/api/v1/auth/keys", bearer(token), "")
	require.Equal(t, 200, res.StatusCode, body)
	var out struct {
		Keys []keyRow `json:"api_keys"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &out), body)
	return out.Keys
}

func deliver(t *testing.T, env *testkit.Env, fake *stripetest.Server, body []byte) string {
	t.Helper()
	res, out := env.Do("POST", host, "/webhooks/stripe", map[string]string{"Stripe-Signature": fake.Sign(body, env.Clock.Now()),
		"Content-Type": "application/json"}, string(body))
	require.Equal(t, 200, res.StatusCode, out)
	return out
}

// A signed webhook moves a developer's keys to premium with premium's limits; a key cannot be
// raised above the plan; a replay changes nothing; a cancellation moves the keys back to free
// with the free limits, and a stale event after it does not bring premium back.
func TestPremiumKeysThroughStripe(t *testing.T) {
	var env *testkit.Env
	fake := stripetest.New(t, stripeKey, stripeSecret, func() time.Time { return env.Clock.Now() }, devPrice, premiumPrice)
	env, m := start(t, testkit.WithEnv("ALORIG_STRIPE_API_BASE", fake.URL),
		testkit.WithEnv("ALORIG_ASTROTIMING_STRIPE_SECRET_KEY", stripeKey),
		testkit.WithEnv("ALORIG_ASTROTIMING_STRIPE_WEBHOOK_SECRET", stripeSecret),
		testkit.WithEnv("ALORIG_ASTROTIMING_STRIPE_PRICES", "developer="+devPrice+",premium="+premiumPrice))
	token := register(t, env)
	key := newKey(t, env, token, "free")
	keys := keysOf(t, env, token)
	require.Len(t, keys, 1)
	keyID := keys[0].ID
	free, premium := tierOf(t, "free"), tierOf(t, "premium")

	// A free user cannot raise a key, and self-issuing a paid key stays refused.
	res, body := env.Do("PUT", host, fmt.Sprintf("/api/v1/billing/keys/%d", keyID), bearer(token), `{"tier":"premium"}`)
	require.Equal(t, http.StatusForbidden, res.StatusCode, body)
	require.Contains(t, body, "TIER_REQUIRED")
	res, body = env.Do("POST", host, "/api/v1/auth/keys", bearer(token), `{"name":"mine","tier":"premium"}`)
	require.Equal(t, http.StatusForbidden, res.StatusCode, body)
	res, body = env.Do("POST", host, "/api/v1/calendar/ics", apiKey(key), `{}`)
	require.Equal(t, http.StatusForbidden, res.StatusCode, body)

	res, body = env.Do("GET", host, "/api/v1/billing", bearer(token), "")
	require.Equal(t, 200, res.StatusCode, body)
	st := decode[billing.Status](t, body)
	require.Equal(t, "free", st.Plan)
	require.True(t, st.UpgradeAvailable)
	res, body = env.Do("POST", host, "/api/v1/billing/checkout", bearer(token), `{"plan":"premium"}`)
	require.Equal(t, 200, res.StatusCode, body)
	require.Contains(t, body, "https://checkout.stripe.com/")
	calls := fake.Calls()
	require.Equal(t, premiumPrice, calls[len(calls)-1].Form.Get("line_items[0][price]"))

	sess, subID := fake.CompleteCheckout(fake.Sessions()[0])
	_, completed := fake.Event("checkout.session.completed", sess)
	require.Contains(t, deliver(t, env, fake, completed), "applied: active premium")
	keys = keysOf(t, env, token)
	require.Equal(t, premium.Name, keys[0].Tier)
	require.Equal(t, premium.PerMinute, keys[0].RatePerMin)
	require.Equal(t, premium.DailyQuota, keys[0].DailyQuota)
	require.Contains(t, deliver(t, env, fake, completed), `"duplicate"`)

	// A key issued after the plan starts free and joins it on request; free stays allowed.
	newKey(t, env, token, "free")
	keys = keysOf(t, env, token)
	var later int64
	for _, k := range keys {
		if k.ID != keyID {
			later = k.ID
			require.Equal(t, "free", k.Tier)
		}
	}
	res, body = env.Do("PUT", host, fmt.Sprintf("/api/v1/billing/keys/%d", later), bearer(token), `{"tier":"premium"}`)
	require.Equal(t, 200, res.StatusCode, body)
	require.Contains(t, body, `"tier":"premium"`)
	res, body = env.Do("PUT", host, "/api/v1/billing/keys/999999", bearer(token), `{"tier":"premium"}`)
	require.Equal(t, http.StatusNotFound, res.StatusCode, body)

	// The account page shows the plan, the portal and the keys.
	_ = m
	env.Clock.Advance(time.Hour)
	_, deleted := fake.Event("customer.subscription.deleted", fake.SetSubscription(subID, "canceled", false))
	activeBefore := stripetest.EventAt("evt_late", "customer.subscription.updated", fake.Subscription(subID), env.Clock.Now().Add(-2*time.Hour))
	require.Contains(t, deliver(t, env, fake, deleted), "applied: canceled free")
	for _, k := range keysOf(t, env, token) {
		require.Equal(t, free.Name, k.Tier)
		require.Equal(t, free.PerMinute, k.RatePerMin)
		require.Equal(t, free.DailyQuota, k.DailyQuota)
	}
	deliver(t, env, fake, activeBefore)
	for _, k := range keysOf(t, env, token) {
		require.Equal(t, free.Name, k.Tier)
	}
	res, body = env.Do("PUT", host, fmt.Sprintf("/api/v1/billing/keys/%d", keyID), bearer(token), `{"tier":"developer"}`)
	require.Equal(t, http.StatusForbidden, res.StatusCode, body)
}

// A failed renewal keeps premium keys through the grace period; then the sweep moves them to
// free with the free limits.
func TestLapsedPlanMovesKeysToFree(t *testing.T) {
	var env *testkit.Env
	fake := stripetest.New(t, stripeKey, stripeSecret, func() time.Time { return env.Clock.Now() }, premiumPrice)
	env, m := start(t, testkit.WithEnv("ALORIG_STRIPE_API_BASE", fake.URL),
		testkit.WithEnv("ALORIG_ASTROTIMING_STRIPE_SECRET_KEY", stripeKey),
		testkit.WithEnv("ALORIG_ASTROTIMING_STRIPE_WEBHOOK_SECRET", stripeSecret),
		testkit.WithEnv("ALORIG_ASTROTIMING_STRIPE_PRICES", "premium="+premiumPrice),
		testkit.WithEnv("ALORIG_BILLING_GRACE_PERIOD", "48h"))
	token := register(t, env)
	newKey(t, env, token, "free")
	res, body := env.Do("POST", host, "/api/v1/billing/checkout", bearer(token), `{"plan":"premium"}`)
	require.Equal(t, 200, res.StatusCode, body)
	sess, subID := fake.CompleteCheckout(fake.Sessions()[0])
	_, ev := fake.Event("checkout.session.completed", sess)
	deliver(t, env, fake, ev)
	require.Equal(t, "premium", keysOf(t, env, token)[0].Tier)

	fake.SetSubscription(subID, "past_due", false)
	_, failed := fake.Event("invoice.payment_failed", fake.Invoice(subID, false))
	deliver(t, env, fake, failed)
	env.Clock.Advance(47 * time.Hour)
	_, err := m.Billing().Sweep(context.Background())
	require.NoError(t, err)
	require.Equal(t, "premium", keysOf(t, env, token)[0].Tier)

	env.Clock.Advance(2 * time.Hour)
	moved, err := m.Billing().Sweep(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, moved)
	k := keysOf(t, env, token)[0]
	require.Equal(t, "free", k.Tier)
	require.Equal(t, tierOf(t, "free").DailyQuota, k.DailyQuota)
}

// The account page: a visitor is asked to sign in; a signed-in user sees the plan, an upgrade
// button per plan for sale and their keys; without Stripe the page says billing is off.
func TestAccountPage(t *testing.T) {
	env, m := start(t)
	res, body := env.Do("GET", host, "/account", nil, "")
	require.Equal(t, 200, res.StatusCode, body)
	require.Contains(t, body, "Sign in")

	token := register(t, env)
	newKey(t, env, token, "free")
	res, body = env.Do("GET", host, "/account", bearer(token), "")
	require.Equal(t, 200, res.StatusCode, body)
	require.Contains(t, body, "Your plan: free")
	require.Contains(t, body, "billing is not configured")
	require.NotContains(t, body, "Upgrade to")

	var userID int64
	require.NoError(t, m.Billing().Grant(context.Background(), mustUserID(t, env, token), "developer", nil))
	_ = userID
	res, body = env.Do("GET", host, "/account", bearer(token), "")
	require.Equal(t, 200, res.StatusCode, body)
	require.Contains(t, body, "Your plan: developer")
	require.True(t, strings.Contains(body, ">developer<"), "the key moved with the grant: %s", body)
}

func mustUserID(t *testing.T, env *testkit.Env, token string) int64 {
	t.Helper()
	res, body := env.Do("GET", host, "/api/v1/auth/me", bearer(token), "")
	require.Equal(t, 200, res.StatusCode, body)
	var out struct {
		ID   int64 `json:"id"`
		User struct {
			ID int64 `json:"id"`
		} `json:"user"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &out))
	if out.ID == 0 {
		return out.User.ID
	}
	return out.ID
}
