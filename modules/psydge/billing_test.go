package psydge

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/alorig/alorig/shared/billing"
	"github.com/alorig/alorig/shared/billing/stripetest"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

const (
	stripeKey    = "sk_test_psydge"
	stripeSecret = "whsec_psydge"
	vistaPrice   = "price_psydge_vista"
)

// startSelling is Psydge with Stripe configured against the local fake.
func startSelling(t *testing.T) (*harness, *stripetest.Server) {
	t.Helper()
	var h *harness
	fake := stripetest.New(t, stripeKey, stripeSecret, func() time.Time { return h.env.Clock.Now() }, vistaPrice)
	h = start(t, testkit.WithEnv("ALORIG_STRIPE_API_BASE", fake.URL),
		testkit.WithEnv("ALORIG_PSYDGE_STRIPE_SECRET_KEY", stripeKey),
		testkit.WithEnv("ALORIG_PSYDGE_STRIPE_WEBHOOK_SECRET", stripeSecret),
		testkit.WithEnv("ALORIG_PSYDGE_STRIPE_PRICES", "vista="+vistaPrice),
		testkit.WithEnv("ALORIG_BILLING_GRACE_PERIOD", "72h"))
	return h, fake
}

// webhook delivers a signed event to /webhooks/stripe as Stripe would.
func (h *harness) webhook(fake *stripetest.Server, body []byte, at time.Time) (int, string) {
	h.t.Helper()
	st, out, _ := h.do("POST", "/webhooks/stripe", "", string(body), "Stripe-Signature", fake.Sign(body, at), "Content-Type", "application/json")
	return st, out
}

func (h *harness) tier(userID int64) string {
	p, err := profileOf(context.Background(), h.m.d.DB, userID)
	require.NoError(h.t, err)
	return p.SubscriptionTier
}

// A signed webhook moves a trader to Vista and unlocks the strategies and their signals; a
// replay, a forged or stale delivery, and a late event change nothing; a cancellation moves the
// trader back to Core; a failed renewal keeps Vista through the grace period, then ends it.
func TestVistaThroughStripe(t *testing.T) {
	h, fake := startSelling(t)
	token, userID := h.signUpCore("vista@example.com")
	other, otherID := h.signUpCore("core@example.com")
	h.goSignal("EURUSD", "M5", "BUY")

	st, body, _ := h.do("GET", "/api/v1/strategies", token, "")
	require.Equal(t, http.StatusForbidden, st, body)
	require.Contains(t, body, "VISTA_REQUIRED")
	_, body, _ = h.do("GET", "/api/v1/signals", token, "")
	require.NotContains(t, body, "vista:scalper", "a Core trader does not see Vista's signals")

	st, body, _ = h.do("GET", "/api/v1/billing", token, "")
	require.Equal(t, 200, st, body)
	status := decode[billing.Status](t, body)
	require.Equal(t, "core", status.Plan)
	require.True(t, status.UpgradeAvailable)
	require.True(t, status.Configured)

	st, body, _ = h.do("POST", "/api/v1/billing/checkout", token, `{"plan":"vista"}`)
	require.Equal(t, 200, st, body)
	require.Contains(t, decode[billing.Redirect](t, body).URL, "https://checkout.stripe.com/")
	st, body, _ = h.do("POST", "/api/v1/billing/checkout", token, `{"plan":"gold"}`)
	require.Equal(t, 422, st, body)
	st, body, _ = h.do("POST", "/api/v1/billing/portal", other, ``)
	require.Equal(t, 409, st, body)
	require.Contains(t, body, "NO_SUBSCRIPTION")

	sessions := fake.Sessions()
	sess, subID := fake.CompleteCheckout(sessions[0])
	_, completed := fake.Event("checkout.session.completed", sess)

	// Refused: a signature from another secret, a signature too old, no signature.
	st, body, _ = h.do("POST", "/webhooks/stripe", "", string(completed), "Stripe-Signature", stripetest.Sign(completed, "whsec_other", h.env.Clock.Now()), "Content-Type", "application/json")
	require.Equal(t, 400, st, body)
	require.Contains(t, body, "SIGNATURE_INVALID")
	st, body = h.webhook(fake, completed, h.env.Clock.Now().Add(-6*time.Minute))
	require.Equal(t, 400, st, body)
	require.Contains(t, body, "SIGNATURE_TOO_OLD")
	st, body, _ = h.do("POST", "/webhooks/stripe", "", string(completed), "Content-Type", "application/json")
	require.Equal(t, 400, st, body)
	require.Equal(t, "core", h.tier(userID))

	st, body = h.webhook(fake, completed, h.env.Clock.Now())
	require.Equal(t, 200, st, body)
	require.Contains(t, body, "applied: active vista")
	require.Equal(t, "vista", h.tier(userID))
	require.Equal(t, "core", h.tier(otherID))
	st, body = h.webhook(fake, completed, h.env.Clock.Now())
	require.Equal(t, 200, st, body)
	require.Contains(t, body, `"outcome":"duplicate"`)

	st, body, _ = h.do("GET", "/api/v1/strategies", token, "")
	require.Equal(t, 200, st, body)
	require.Contains(t, body, "scalper")
	_, body, _ = h.do("GET", "/api/v1/signals", token, "")
	require.Contains(t, body, "vista:scalper")
	st, _, _ = h.do("GET", "/api/v1/strategies", other, "")
	require.Equal(t, http.StatusForbidden, st)
	_, body, _ = h.do("GET", "/api/v1/profile", token, "")
	require.Contains(t, body, `"subscription_tier":"vista"`)
	st, body, _ = h.do("GET", "/api/v1/billing", token, "")
	require.Equal(t, 200, st, body)
	status = decode[billing.Status](t, body)
	require.Equal(t, "vista", status.Plan)
	require.Equal(t, "active", status.Status)
	require.False(t, status.UpgradeAvailable)
	require.True(t, status.ManageAvailable)
	require.NotNil(t, status.PeriodEnd)
	st, body, _ = h.do("POST", "/api/v1/billing/portal", token, ``)
	require.Equal(t, 200, st, body)
	require.Contains(t, body, "https://billing.stripe.com/")

	// A failed renewal: Vista holds for the grace period, then the sweep ends it.
	activeSub := fake.Subscription(subID)
	h.env.Clock.Advance(time.Hour)
	fake.SetSubscription(subID, "past_due", false)
	_, failed := fake.Event("invoice.payment_failed", fake.Invoice(subID, false))
	st, body = h.webhook(fake, failed, h.env.Clock.Now())
	require.Equal(t, 200, st, body)
	require.Equal(t, "vista", h.tier(userID))
	h.env.Clock.Advance(71 * time.Hour)
	_, err := h.m.billing.Sweep(context.Background())
	require.NoError(t, err)
	require.Equal(t, "vista", h.tier(userID))
	h.env.Clock.Advance(2 * time.Hour)
	st, _, _ = h.do("GET", "/api/v1/strategies", token, "")
	require.Equal(t, http.StatusForbidden, st, "the plan is read at request time: it ends with the grace period")
	moved, err := h.m.billing.Sweep(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, moved)
	require.Equal(t, "core", h.tier(userID))

	// Paid after all; then cancelled in the portal.
	fake.SetSubscription(subID, "active", false)
	_, paid := fake.Event("invoice.paid", fake.Invoice(subID, true))
	st, body = h.webhook(fake, paid, h.env.Clock.Now())
	require.Equal(t, 200, st, body)
	require.Equal(t, "vista", h.tier(userID))
	h.env.Clock.Advance(time.Hour)
	_, deleted := fake.Event("customer.subscription.deleted", fake.SetSubscription(subID, "canceled", false))
	st, body = h.webhook(fake, deleted, h.env.Clock.Now())
	require.Equal(t, 200, st, body)
	require.Equal(t, "core", h.tier(userID))
	st, _, _ = h.do("GET", "/api/v1/strategies", token, "")
	require.Equal(t, http.StatusForbidden, st)

	// An update from when the subscription was active arrives after the cancellation.
	stale := stripetest.EventAt("evt_late_update", "customer.subscription.updated", activeSub, h.env.Clock.Now().Add(-2*time.Hour))
	st, body = h.webhook(fake, stale, h.env.Clock.Now())
	require.Equal(t, 200, st, body)
	require.Equal(t, "core", h.tier(userID))
}

// Without Stripe keys billing says so; a development grant (the command line's path) still
// unlocks Vista, and no HTTP route grants a plan.
func TestBillingNotConfigured(t *testing.T) {
	h := start(t)
	token, userID := h.signUpCore("nokeys@example.com")
	st, body, _ := h.do("POST", "/api/v1/billing/checkout", token, `{"plan":"vista"}`)
	require.Equal(t, http.StatusServiceUnavailable, st, body)
	require.Contains(t, body, "BILLING_NOT_CONFIGURED")
	st, body, _ = h.do("POST", "/webhooks/stripe", "", `{"id":"evt_1"}`, "Stripe-Signature", "t=1,v1=00", "Content-Type", "application/json")
	require.Equal(t, http.StatusServiceUnavailable, st, body)
	st, body, _ = h.do("GET", "/api/v1/billing", token, "")
	require.Equal(t, 200, st, body)
	var status billing.Status
	require.NoError(t, json.Unmarshal([]byte(body), &status))
	require.False(t, status.Configured)
	require.False(t, status.UpgradeAvailable)
	for _, p := range []string{"/api/v1/billing/grant", "/api/v1/billing"} {
		st, _, _ = h.do("POST", p, token, `{"plan":"vista"}`)
		require.Contains(t, []int{404, 405}, st, p)
	}

	require.NoError(t, h.m.Billing().Grant(context.Background(), userID, "vista", nil))
	require.Equal(t, "vista", h.tier(userID))
	st, _, _ = h.do("GET", "/api/v1/strategies", token, "")
	require.Equal(t, 200, st)
}
