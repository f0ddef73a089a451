package billing_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/alorig/alorig/config"
	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/billing"
	"github.com/alorig/alorig/shared/billing/stripetest"
	"github.com/alorig/alorig/shared/clock"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
	"github.com/stripe/stripe-go/v82/webhook"
	"github.com/uptrace/bun"
)

const (
	testKey    = "sk_test_billing"
	testSecret = "whsec_billing"
	priceVista = "price_vista_monthly"
)

// fixture is a billing service selling "vista" over "core" on a fresh database, against the
// fake Stripe, with a fake clock. Apply writes the plan to the user's display name, in the
// same transaction, so tests read what the module would have been told.
type fixture struct {
	t     *testing.T
	db    *bun.DB
	clk   *clock.Fake
	fake  *stripetest.Server
	svc   *billing.Service
	user  *auth.User
	other *auth.User
}

func newFixture(t *testing.T, configured bool) *fixture {
	t.Helper()
	f := &fixture{t: t, db: testkit.DB(t, "asms"), clk: clock.NewFake(testkit.Epoch)}
	f.fake = stripetest.New(t, testKey, testSecret, f.clk.Now, priceVista)
	cfg := &config.Config{Billing: config.BillingConfig{APIBase: f.fake.URL, Grace: 72 * time.Hour, Modules: map[string]config.StripeAccount{}}}
	if configured {
		cfg.Billing.Modules["psydge"] = config.StripeAccount{SecretKey: testKey, WebhookSecret: testSecret, Prices: map[string]string{"vista": priceVista}}
	}
	svc, err := billing.New(billing.Options{App: "psydge", Free: "core", Plans: []billing.Plan{{Name: "vista", Title: "Vista Strategies"}},
		Config: cfg, DB: f.db, Clock: f.clk, Log: testkit.Logger(t),
		SuccessURL: "http://psydge.localhost/app/?billing=done", CancelURL: "http://psydge.localhost/app/", ReturnURL: "http://psydge.localhost/app/",
		Apply: func(ctx context.Context, tx bun.Tx, userID int64, plan string) error {
			_, err := tx.NewRaw("UPDATE users SET display_name = ? WHERE id = ?", plan, userID).Exec(ctx)
			return err
		}})
	require.NoError(t, err)
	f.svc = svc
	f.user, f.other = f.newUser("trader@example.com"), f.newUser("other@example.com")
	return f
}

func (f *fixture) newUser(email string) *auth.User {
	u := &auth.User{Email: &email, Role: "member", CreatedAt: f.clk.Now(), UpdatedAt: f.clk.Now(), DisplayName: "core"}
	_, err := f.db.NewInsert().Model(u).Returning("id").Exec(context.Background())
	require.NoError(f.t, err)
	return u
}

// applied is the plan the module was last moved to for u.
func (f *fixture) applied(u *auth.User) string {
	var plan string
	require.NoError(f.t, f.db.NewRaw("SELECT display_name FROM users WHERE id = ?", u.ID).Scan(context.Background(), &plan))
	return plan
}

func (f *fixture) plan(u *auth.User) string {
	p, err := f.svc.PlanOf(context.Background(), u.ID)
	require.NoError(f.t, err)
	return p
}

// deliver sends a signed event now and answers the outcome.
func (f *fixture) deliver(body []byte) (string, error) {
	return f.svc.Webhook(context.Background(), body, f.fake.Sign(body, f.clk.Now()))
}

func (f *fixture) mustDeliver(body []byte) string {
	f.t.Helper()
	out, err := f.deliver(body)
	require.NoError(f.t, err)
	return out
}

// subscribe runs checkout for u and completes it at the fake; answers the session object and
// the subscription id.
func (f *fixture) subscribe(u *auth.User) (map[string]any, string) {
	f.t.Helper()
	url, err := f.svc.Checkout(context.Background(), u, "vista")
	require.NoError(f.t, err)
	require.True(f.t, strings.HasPrefix(url, "https://checkout.stripe.com/c/pay/cs_"), url)
	sessions := f.fake.Sessions()
	return f.fake.CompleteCheckout(sessions[len(sessions)-1])
}

// The signature check agrees with stripe-go's own signer, accepts any matching v1 among
// several, and refuses a wrong secret, a changed body, and timestamps outside the tolerance
// either way.
func TestVerifySignatureFollowsStripesScheme(t *testing.T) {
	t.Parallel()
	now := testkit.Epoch
	body := []byte(`{"id":"evt_1","type":"invoice.paid"}`)
	signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: testSecret, Timestamp: now})
	require.Equal(t, signed.Header, stripetest.Sign(body, testSecret, now), "the fake signs as stripe-go does")
	require.NoError(t, billing.VerifySignature(body, signed.Header, testSecret, now, billing.DefaultTolerance))

	other := stripetest.Sign(body, "whsec_old", now)
	rolled := fmt.Sprintf("t=%d,v1=%s,%s,v0=deadbeef", now.Unix(), strings.TrimPrefix(other, fmt.Sprintf("t=%d,v1=", now.Unix())),
		strings.TrimPrefix(signed.Header, fmt.Sprintf("t=%d,", now.Unix())))
	require.NoError(t, billing.VerifySignature(body, rolled, testSecret, now, billing.DefaultTolerance), "one matching v1 among several")

	cases := map[string]struct {
		header string
		body   []byte
		now    time.Time
		want   error
	}{
		"wrong secret":     {other, body, now, billing.ErrBadSignature},
		"body changed":     {signed.Header, []byte(`{"id":"evt_2","type":"invoice.paid"}`), now, billing.ErrBadSignature},
		"too old":          {signed.Header, body, now.Add(billing.DefaultTolerance + time.Second), billing.ErrStale},
		"from the future":  {signed.Header, body, now.Add(-billing.DefaultTolerance - time.Second), billing.ErrStale},
		"no header":        {"", body, now, billing.ErrNoSignature},
		"no v1":            {fmt.Sprintf("t=%d,v0=abc", now.Unix()), body, now, billing.ErrNoSignature},
		"no timestamp":     {strings.SplitN(signed.Header, ",", 2)[1], body, now, billing.ErrNoSignature},
		"timestamp edited": {strings.Replace(signed.Header, fmt.Sprint(now.Unix()), fmt.Sprint(now.Unix()+1), 1), body, now, billing.ErrBadSignature},
	}
	for name, c := range cases {
		require.ErrorIs(t, billing.VerifySignature(c.body, c.header, testSecret, c.now, billing.DefaultTolerance), c.want, name)
	}
}

// Checkout, a completed payment, a replay, a cancellation and a stale event delivered after it.
func TestSubscriptionLifecycle(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	ctx := context.Background()

	st, err := f.svc.StatusOf(ctx, f.user.ID)
	require.NoError(t, err)
	require.Equal(t, "core", st.Plan)
	require.True(t, st.UpgradeAvailable)
	require.False(t, st.ManageAvailable)

	sess, subID := f.subscribe(f.user)
	calls := f.fake.Calls()
	require.Len(t, calls, 2)
	require.Equal(t, "/v1/customers", calls[0].Path)
	require.Equal(t, "trader@example.com", calls[0].Form.Get("email"))
	require.Equal(t, "subscription", calls[1].Form.Get("mode"))
	require.Equal(t, priceVista, calls[1].Form.Get("line_items[0][price]"))
	require.Equal(t, fmt.Sprint(f.user.ID), calls[1].Form.Get("subscription_data[metadata][user_id]"))

	// Before Stripe says anything, nothing changes: the success page is not proof of payment.
	require.Equal(t, "core", f.plan(f.user))

	activeSub := f.fake.Subscription(subID)
	_, created := f.fake.Event("customer.subscription.created", activeSub)
	id, completed := f.fake.Event("checkout.session.completed", sess)
	require.Contains(t, f.mustDeliver(completed), "applied: active vista")
	require.Equal(t, "vista", f.plan(f.user))
	require.Equal(t, "vista", f.applied(f.user))
	require.Equal(t, "core", f.plan(f.other), "the other user is untouched")
	require.Equal(t, "duplicate", f.mustDeliver(completed), "a replayed delivery is handled once")
	require.Contains(t, f.mustDeliver(created), "applied: active vista")

	st, err = f.svc.StatusOf(ctx, f.user.ID)
	require.NoError(t, err)
	require.Equal(t, "active", st.Status)
	require.False(t, st.UpgradeAvailable)
	require.True(t, st.ManageAvailable)
	require.NotNil(t, st.PeriodEnd)
	require.Equal(t, f.clk.Now().Add(30*24*time.Hour).Unix(), st.PeriodEnd.Unix())

	_, err = f.svc.Checkout(ctx, f.user, "vista")
	require.ErrorIs(t, err, billing.ErrAlreadySubscribed)
	url, err := f.svc.Portal(ctx, f.user)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(url, "https://billing.stripe.com/p/session/"), url)

	// The user cancels in the portal; Stripe ends the subscription.
	f.clk.Advance(time.Hour)
	canceled := f.fake.SetSubscription(subID, "canceled", false)
	_, deleted := f.fake.Event("customer.subscription.deleted", canceled)
	require.Contains(t, f.mustDeliver(deleted), "applied: canceled core")
	require.Equal(t, "core", f.plan(f.user))
	require.Equal(t, "core", f.applied(f.user))

	// An "active" update from before the cancellation arrives late, and the first delivery
	// is retried under a new signature: neither brings the plan back.
	stale := stripetest.EventAt("evt_stale_update", "customer.subscription.updated", activeSub, f.clk.Now().Add(-30*time.Minute))
	require.Contains(t, f.mustDeliver(stale), "canceled core")
	require.Equal(t, "duplicate", f.mustDeliver(completed))
	require.Equal(t, "core", f.plan(f.user))
	require.Equal(t, "core", f.applied(f.user))

	var n int
	require.NoError(t, f.db.NewRaw("SELECT count(*) FROM billing_events WHERE id = ?", id).Scan(ctx, &n))
	require.Equal(t, 1, n)
}

// Refused deliveries record nothing and change nothing.
func TestRefusedDeliveriesChangeNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	ctx := context.Background()
	sess, _ := f.subscribe(f.user)
	_, body := f.fake.Event("checkout.session.completed", sess)

	_, err := f.svc.Webhook(ctx, body, stripetest.Sign(body, "whsec_someone_else", f.clk.Now()))
	require.ErrorIs(t, err, billing.ErrBadSignature)
	_, err = f.svc.Webhook(ctx, body, f.fake.Sign(body, f.clk.Now().Add(-10*time.Minute)))
	require.ErrorIs(t, err, billing.ErrStale)
	forged := []byte(strings.Replace(string(body), `"status":"complete"`, `"status":"complete" `, 1))
	_, err = f.svc.Webhook(ctx, forged, f.fake.Sign(body, f.clk.Now()))
	require.ErrorIs(t, err, billing.ErrBadSignature)
	_, err = f.deliver([]byte(`{"hello":"world"}`))
	require.ErrorIs(t, err, billing.ErrBadEvent)

	require.Equal(t, "core", f.plan(f.user))
	var n int
	require.NoError(t, f.db.NewRaw("SELECT count(*) FROM billing_events").Scan(ctx, &n))
	require.Zero(t, n)

	// A customer this module never made (another module on the same Stripe account).
	foreign := map[string]any{"id": "sub_elsewhere", "object": "subscription", "customer": "cus_elsewhere", "status": "active"}
	_, ev := f.fake.Event("customer.subscription.updated", foreign)
	require.Equal(t, "ignored: customer unknown here", f.mustDeliver(ev))
	_, ev = f.fake.Event("charge.refunded", map[string]any{"id": "ch_1", "object": "charge"})
	require.Equal(t, "ignored", f.mustDeliver(ev))
}

// A failed renewal keeps the plan through the grace period, then the sweep moves the user
// down; a later payment brings the plan back.
func TestPaymentFailureGraceThenDowngrade(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	ctx := context.Background()
	sess, subID := f.subscribe(f.user)
	_, ev := f.fake.Event("checkout.session.completed", sess)
	f.mustDeliver(ev)
	require.Equal(t, "vista", f.applied(f.user))

	f.clk.Advance(30 * 24 * time.Hour)
	failedAt := f.clk.Now()
	f.fake.SetSubscription(subID, "past_due", false)
	_, failed := f.fake.Event("invoice.payment_failed", f.fake.Invoice(subID, false))
	require.Contains(t, f.mustDeliver(failed), "applied: past_due vista")
	st, err := f.svc.StatusOf(ctx, f.user.ID)
	require.NoError(t, err)
	require.Equal(t, "vista", st.Plan)
	require.Equal(t, failedAt.Add(72*time.Hour).Unix(), st.GraceUntil.Unix())

	// Stripe retries and fails again a day later: the grace period still runs from the first failure.
	f.clk.Advance(24 * time.Hour)
	_, again := f.fake.Event("invoice.payment_failed", f.fake.Invoice(subID, false))
	f.mustDeliver(again)
	st, err = f.svc.StatusOf(ctx, f.user.ID)
	require.NoError(t, err)
	require.Equal(t, failedAt.Add(72*time.Hour).Unix(), st.GraceUntil.Unix())

	moved, err := f.svc.Sweep(ctx)
	require.NoError(t, err)
	require.Zero(t, moved, "inside the grace period nothing moves")
	require.Equal(t, "vista", f.applied(f.user))

	f.clk.Set(failedAt.Add(72*time.Hour + time.Second))
	require.Equal(t, "core", f.plan(f.user), "the plan lapses when the grace period ends")
	moved, err = f.svc.Sweep(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, moved)
	require.Equal(t, "core", f.applied(f.user))
	moved, err = f.svc.Sweep(ctx)
	require.NoError(t, err)
	require.Zero(t, moved, "a lapsed user is moved once")

	// The card is updated and the invoice paid.
	f.fake.SetSubscription(subID, "active", false)
	_, paid := f.fake.Event("invoice.paid", f.fake.Invoice(subID, true))
	require.Contains(t, f.mustDeliver(paid), "applied: active vista")
	require.Equal(t, "vista", f.applied(f.user))
	st, err = f.svc.StatusOf(ctx, f.user.ID)
	require.NoError(t, err)
	require.Nil(t, st.GraceUntil)
}

// Without a secret key billing says so; grants still work, and a grant with an end lapses.
func TestNotConfiguredAndGrants(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	ctx := context.Background()
	_, err := f.svc.Checkout(ctx, f.user, "vista")
	require.ErrorIs(t, err, billing.ErrNotConfigured)
	_, err = f.svc.Portal(ctx, f.user)
	require.ErrorIs(t, err, billing.ErrNotConfigured)
	_, err = f.svc.Webhook(ctx, []byte(`{}`), "t=1,v1=00")
	require.ErrorIs(t, err, billing.ErrNotConfigured)
	st, err := f.svc.StatusOf(ctx, f.user.ID)
	require.NoError(t, err)
	require.False(t, st.Configured)
	require.False(t, st.UpgradeAvailable)
	require.Empty(t, f.fake.Calls())

	require.Error(t, f.svc.Grant(ctx, f.user.ID, "platinum", nil))
	until := f.clk.Now().Add(48 * time.Hour)
	require.NoError(t, f.svc.Grant(ctx, f.user.ID, "vista", &until))
	require.Equal(t, "vista", f.applied(f.user))
	ok, err := f.svc.Entitled(ctx, f.user.ID, "vista")
	require.NoError(t, err)
	require.True(t, ok)

	f.clk.Advance(49 * time.Hour)
	moved, err := f.svc.Sweep(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, moved)
	require.Equal(t, "core", f.applied(f.user))

	require.NoError(t, f.svc.Grant(ctx, f.other.ID, "vista", nil))
	require.NoError(t, f.svc.Grant(ctx, f.other.ID, "core", nil))
	require.Equal(t, "core", f.applied(f.other), "granting the free plan revokes")

	id, err := f.svc.UserID(ctx, "other@example.com")
	require.NoError(t, err)
	require.Equal(t, f.other.ID, id)
	_, err = f.svc.UserID(ctx, "nobody@example.com")
	require.Error(t, err)
}

// The fake refuses what Stripe refuses, and billing reports it rather than succeeding.
func TestStripeRefusalsSurface(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	f.fake.SecretKey = "sk_test_rotated"
	_, err := f.svc.Checkout(context.Background(), f.user, "vista")
	require.ErrorContains(t, err, "Invalid API Key")

	anon := &auth.User{ID: f.user.ID, Anonymous: true}
	_, err = f.svc.Checkout(context.Background(), anon, "vista")
	require.ErrorIs(t, err, billing.ErrEmailRequired)
	var unknown *billing.UnknownPlanError
	_, err = f.svc.Checkout(context.Background(), f.user, "gold")
	require.ErrorAs(t, err, &unknown)
}

// A price for a plan the module does not sell is refused at start-up.
func TestPriceForUnknownPlanIsRefused(t *testing.T) {
	t.Parallel()
	cfg := &config.Config{Billing: config.BillingConfig{Modules: map[string]config.StripeAccount{
		"psydge": {SecretKey: testKey, WebhookSecret: testSecret, Prices: map[string]string{"vistaa": priceVista}}}}}
	_, err := billing.New(billing.Options{App: "psydge", Free: "core", Plans: []billing.Plan{{Name: "vista"}}, Config: cfg,
		DB: &bun.DB{}, Clock: clock.NewFake(testkit.Epoch), Apply: func(context.Context, bun.Tx, int64, string) error { return nil }})
	require.ErrorContains(t, err, `names plan "vistaa"`)
}
