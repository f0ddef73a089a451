package snapify_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/alorig/alorig/modules/snapify/payments"
	"github.com/alorig/alorig/modules/snapify/payments/paymentstest"
	"github.com/alorig/alorig/shared/mail/mailtest"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

// payEnv configures both gateways against their fakes.
func payEnv(jc *paymentstest.JazzCash, ep *paymentstest.EasyPaisa) []testkit.EnvOption {
	return []testkit.EnvOption{
		testkit.WithEnv("ALORIG_SNAPIFY_JAZZCASH_MERCHANT_ID", jc.MerchantID),
		testkit.WithEnv("ALORIG_SNAPIFY_JAZZCASH_PASSWORD", jc.Password),
		testkit.WithEnv("ALORIG_SNAPIFY_JAZZCASH_INTEGRITY_SALT", jc.IntegritySalt),
		testkit.WithEnv("ALORIG_SNAPIFY_EASYPAISA_STORE_ID", ep.StoreID),
		testkit.WithEnv("ALORIG_SNAPIFY_EASYPAISA_HASH_KEY", ep.HashKey),
		testkit.WithEnv("ALORIG_SNAPIFY_EASYPAISA_USERNAME", ep.Username),
		testkit.WithEnv("ALORIG_SNAPIFY_EASYPAISA_PASSWORD", ep.Password),
		testkit.WithEnv("ALORIG_SNAPIFY_EASYPAISA_ACCOUNT_NUM", ep.AccountNum),
		testkit.WithEnv("ALORIG_SNAPIFY_EASYPAISA_API_BASE", ep.URL),
	}
}

type checkout struct {
	Form    payments.Form `json:"form"`
	Payment struct {
		Ref         string `json:"ref"`
		AmountPaisa int64  `json:"amount_paisa"`
		Status      string `json:"status"`
	} `json:"payment"`
}

func startCheckout(t *testing.T, env *testkit.Env, tok, slug, gateway string) checkout {
	t.Helper()
	res, body := env.Do("POST", host, "/api/v1/stores/"+slug+"/plan/checkout", bearer(tok), `{"gateway":"`+gateway+`"}`)
	require.Equal(t, http.StatusCreated, res.StatusCode, body)
	var c checkout
	require.NoError(t, json.Unmarshal([]byte(body), &c))
	require.Equal(t, int64(2500_00), c.Payment.AmountPaisa)
	require.Equal(t, "pending", c.Payment.Status)
	return c
}

// postCallback posts a JazzCash result to the webhook as the payer's browser does.
func postCallback(env *testkit.Env, v url.Values) (*http.Response, string) {
	return env.Do("POST", host, "/webhooks/jazzcash", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, v.Encode())
}

type planState struct {
	Plan       string     `json:"plan"`
	Status     string     `json:"status"`
	RenewsAt   *time.Time `json:"renews_at"`
	GraceUntil *time.Time `json:"grace_until"`
	Method     string     `json:"payment_method"`
	Payments   []struct {
		Ref, Status string
	} `json:"payments"`
}

func plan(t *testing.T, env *testkit.Env, tok, slug string) planState {
	t.Helper()
	res, body := env.Do("GET", host, "/api/v1/stores/"+slug+"/plan", bearer(tok), "")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	var p planState
	require.NoError(t, json.Unmarshal([]byte(body), &p))
	return p
}

func cityPage(env *testkit.Env, slug string) int {
	res, _ := env.Do("GET", host, "/"+slug+"/delivery-to-lahore", nil, "")
	return res.StatusCode
}

func TestJazzCashPaymentMakesTheStorePro(t *testing.T) {
	t.Parallel()
	jc, ep := paymentstest.NewJazzCash(), paymentstest.NewEasyPaisa(t)
	sg := mailtest.NewSendGrid(t, "SG.snapify")
	env, m := start(t, append(payEnv(jc, ep), testkit.WithEnv("ALORIG_SENDGRID_API_KEY", "SG.snapify"),
		testkit.WithEnv("ALORIG_SENDGRID_BASE_URL", sg.URL))...)
	env.StartWorkers()
	dns := &fakeDNS{txt: map[string][]string{}}
	m.SetResolver(dns)
	tok, _ := newStore(t, env, "03001230001", "pay-shop")
	res, body := env.Do("PATCH", host, "/api/v1/stores/pay-shop/settings", bearer(tok), `{"email":"seller@example.pk"}`)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	require.Contains(t, body, `"email":"seller@example.pk"`)
	res, body = env.Do("PATCH", host, "/api/v1/stores/pay-shop/settings", bearer(tok), `{"email":"not an address"}`)
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode, body)

	// Free: no domain, no city pages; choosing Pro directly points at the checkout.
	res, body = env.Do("PUT", host, "/api/v1/stores/pay-shop/subscription", bearer(tok), `{"plan":"pro"}`)
	require.Equal(t, http.StatusPaymentRequired, res.StatusCode, body)
	require.Contains(t, body, "/plan/checkout")
	res, body = env.Do("PATCH", host, "/api/v1/stores/pay-shop/settings", bearer(tok), `{"custom_domain":"shop.payshop.pk"}`)
	require.Equal(t, http.StatusPaymentRequired, res.StatusCode, body)
	require.Equal(t, http.StatusNotFound, cityPage(env, "pay-shop"))

	c := startCheckout(t, env, tok, "pay-shop", "jazzcash")
	require.Equal(t, payments.JazzCashSandboxURL, c.Form.Action)
	require.Equal(t, "http://snapify.localhost:8080/webhooks/jazzcash", c.Form.Fields["pp_ReturnURL"])
	paid, err := jc.Pay(&c.Form, "000")
	require.NoError(t, err, "the fake gateway accepts the checkout form as JazzCash would")

	// Tampered callbacks activate nothing.
	for name, v := range map[string]url.Values{
		"amount changed":            paymentstest.Tamper(paid, "pp_Amount", "100"),
		"hash of another salt":      (&paymentstest.JazzCash{IntegritySalt: "guessed"}).Sign(paymentstest.Tamper(paid, "pp_Amount", "100")),
		"another merchant":          jc.Sign(paymentstest.Tamper(paid, "pp_MerchantID", "MC99999")),
		"signed but amount differs": jc.Sign(paymentstest.Tamper(paid, "pp_Amount", "100")),
		"unknown reference":         jc.Sign(paymentstest.Tamper(paid, "pp_TxnRefNo", "SP999")),
	} {
		res, body := postCallback(env, v)
		require.Equal(t, http.StatusBadRequest, res.StatusCode, "%s: %s", name, body)
		require.Contains(t, body, "PAYMENT_CALLBACK_REFUSED", name)
	}
	res, body = env.Do("POST", host, "/webhooks/jazzcash", map[string]string{"Content-Type": "application/json"}, `{}`)
	require.Equal(t, http.StatusUnsupportedMediaType, res.StatusCode, body)
	res, _ = env.Do("POST", host, "/webhooks/jazzcash", map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
		"pp_Description="+strings.Repeat("x", 20<<10))
	require.Equal(t, http.StatusRequestEntityTooLarge, res.StatusCode)
	p := plan(t, env, tok, "pay-shop")
	require.Equal(t, "free", p.Plan)
	require.Equal(t, "pending", p.Payments[0].Status)

	// The genuine callback: Pro for a month from now, the browser back in the app.
	res, body = postCallback(env, paid)
	require.Equal(t, http.StatusSeeOther, res.StatusCode, body)
	require.Equal(t, "http://app.snapify.localhost:8080/settings?payment="+c.Payment.Ref+"&result=paid", res.Header.Get("Location"))
	p = plan(t, env, tok, "pay-shop")
	require.Equal(t, "pro", p.Plan)
	require.Equal(t, "active", p.Status)
	require.Equal(t, "jazzcash", p.Method)
	require.True(t, p.RenewsAt.Equal(testkit.Epoch.AddDate(0, 1, 0)), "renews %v", p.RenewsAt)
	require.Equal(t, "paid", p.Payments[0].Status)

	// Delivered again: handled once, the period not extended.
	res, _ = postCallback(env, paid)
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	require.True(t, plan(t, env, tok, "pay-shop").RenewsAt.Equal(testkit.Epoch.AddDate(0, 1, 0)))
	var outcomes []string
	require.NoError(t, env.Mounted("snapify").DB.NewRaw("SELECT outcome FROM payment_callbacks WHERE ref = ? ORDER BY id", c.Payment.Ref).
		Scan(context.Background(), &outcomes))
	require.Equal(t, []string{"refused", "refused", "refused", "refused", "paid", "duplicate"}, outcomes)

	// City pages serve now, and a custom domain can be claimed and proven.
	drainJobs(t, env)
	require.Equal(t, http.StatusOK, cityPage(env, "pay-shop"))
	res, body = env.Do("PATCH", host, "/api/v1/stores/pay-shop/settings", bearer(tok), `{"custom_domain":"shop.payshop.pk"}`)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	dns.set("_alorig-verify.shop.payshop.pk", domainToken(t, body))
	res, body = env.Do("POST", host, "/api/v1/stores/pay-shop/domain/verify", bearer(tok), "")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	ok, err := m.ClaimHost(context.Background(), "shop.payshop.pk")
	require.NoError(t, err)
	require.True(t, ok, "the proven domain of a Pro store is served")
	res, body = env.Do("GET", "shop.payshop.pk", "/", nil, "")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, body, "Store pay-shop")

	// The receipt went out through SendGrid.
	eventually(t, func() bool { return len(sg.Sent()) == 1 }, "the receipt is emailed")
	r := sg.Sent()[0]
	require.Equal(t, []string{"seller@example.pk"}, r.To)
	require.Contains(t, r.Subject, "Snapify receipt")
	require.Contains(t, r.Text, "Rs 2,500")
	require.Contains(t, r.Text, c.Payment.Ref)
}

func TestEasyPaisaPaymentMakesTheStorePro(t *testing.T) {
	t.Parallel()
	jc, ep := paymentstest.NewJazzCash(), paymentstest.NewEasyPaisa(t)
	env, _ := start(t, payEnv(jc, ep)...)
	tok, _ := newStore(t, env, "03001230002", "ep-shop")

	c := startCheckout(t, env, tok, "ep-shop", "easypaisa")
	require.Equal(t, "2500.0", c.Form.Fields["amount"])
	require.Equal(t, "03001230002", c.Form.Fields["mobileNum"])

	// Easypay's first redirect: the page posts the auth_token to Confirm.jsf.
	res, body := env.Do("GET", host, "/webhooks/easypaisa?"+ep.AuthToken().Encode(), nil, "")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	require.Contains(t, body, `action="https://easypaystg.easypaisa.com.pk/easypay/Confirm.jsf"`)
	require.Contains(t, body, `name="postBackURL" value="http://snapify.localhost:8080/webhooks/easypaisa"`)
	require.Contains(t, res.Header.Get("Content-Security-Policy"), "form-action https://easypaystg.easypaisa.com.pk")

	// A redirect claiming success for an order Easypay never took, or took for less, activates nothing.
	forged := url.Values{"status": {"0000"}, "desc": {"Success"}, "orderRefNumber": {c.Payment.Ref}}
	res, body = env.Do("GET", host, "/webhooks/easypaisa?"+forged.Encode(), nil, "")
	require.Equal(t, http.StatusBadRequest, res.StatusCode, body)
	ep.Record(c.Payment.Ref, "1.0", payments.EasyPaisaPaid)
	res, body = env.Do("GET", host, "/webhooks/easypaisa?"+forged.Encode(), nil, "")
	require.Equal(t, http.StatusBadRequest, res.StatusCode, body)
	require.Contains(t, body, "the amount is 100 paisa")
	// A form changed after hashing is refused by Easypay itself.
	bad := c.Form
	bad.Fields = map[string]string{}
	for k, v := range c.Form.Fields {
		bad.Fields[k] = v
	}
	bad.Fields["amount"] = "1.0"
	_, err := ep.Pay(&bad, payments.EasyPaisaPaid)
	require.ErrorContains(t, err, "merchantHashedReq")
	require.Equal(t, "free", plan(t, env, tok, "ep-shop").Plan)

	redirect, err := ep.Pay(&c.Form, payments.EasyPaisaPaid)
	require.NoError(t, err)
	res, body = env.Do("POST", host, "/webhooks/easypaisa", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, redirect.Encode())
	require.Equal(t, http.StatusSeeOther, res.StatusCode, body)
	require.Contains(t, res.Header.Get("Location"), "result=paid")
	p := plan(t, env, tok, "ep-shop")
	require.Equal(t, "pro", p.Plan)
	require.Equal(t, "easypaisa", p.Method)
	require.Equal(t, http.StatusOK, cityPage(env, "ep-shop"))

	// Replayed: answered from the row, without asking Easypay again or extending the period.
	asked := ep.Inquired
	res, _ = env.Do("GET", host, "/webhooks/easypaisa?"+redirect.Encode(), nil, "")
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	require.Equal(t, asked, ep.Inquired)
	require.True(t, plan(t, env, tok, "ep-shop").RenewsAt.Equal(testkit.Epoch.AddDate(0, 1, 0)))

	// A JazzCash callback cannot settle an EasyPaisa payment, even correctly signed.
	other := startCheckout(t, env, tok, "ep-shop", "easypaisa")
	jf := url.Values{"pp_TxnRefNo": {other.Payment.Ref}, "pp_Amount": {"250000"}, "pp_MerchantID": {jc.MerchantID},
		"pp_ResponseCode": {"000"}, "pp_TxnCurrency": {"PKR"}}
	res, body = postCallback(env, jc.Sign(jf))
	require.Equal(t, http.StatusBadRequest, res.StatusCode, body)
	require.Contains(t, body, "belongs to a easypaisa payment")
}

func TestCheckoutIsTheOwnersOnly(t *testing.T) {
	t.Parallel()
	jc, ep := paymentstest.NewJazzCash(), paymentstest.NewEasyPaisa(t)
	env, _ := start(t, payEnv(jc, ep)...)
	_, _ = newStore(t, env, "03001230003", "mine-shop")
	other := signIn(t, env, "03001230004")
	env.Run(t, []testkit.Scenario{
		{Name: "another seller's store is not found", Method: "POST", Host: host, Path: "/api/v1/stores/mine-shop/plan/checkout",
			Header: bearer(other), Body: `{"gateway":"jazzcash"}`, Status: 404, Contains: []string{"STORE_NOT_FOUND"}},
		{Name: "nor its plan", Host: host, Path: "/api/v1/stores/mine-shop/plan", Header: bearer(other), Status: 404},
		{Name: "signed out", Method: "POST", Host: host, Path: "/api/v1/stores/mine-shop/plan/checkout", Body: `{"gateway":"jazzcash"}`, Status: 401},
		{Name: "an unknown gateway", Method: "POST", Host: host, Path: "/api/v1/stores/mine-shop/plan/checkout", Header: bearer(signIn(t, env, "03001230003")),
			Body: `{"gateway":"paypal","extra":1}`, Status: 400},
	})
	var n int
	require.NoError(t, env.Mounted("snapify").DB.NewRaw("SELECT count(*) FROM payments").Scan(context.Background(), &n))
	require.Zero(t, n)
}

func TestCheckoutWithoutGatewaySettingsNamesThem(t *testing.T) {
	t.Parallel()
	env, _ := start(t)
	tok, _ := newStore(t, env, "03001230005", "bare-shop")
	res, body := env.Do("POST", host, "/api/v1/stores/bare-shop/plan/checkout", bearer(tok), `{"gateway":"easypaisa"}`)
	require.Equal(t, http.StatusServiceUnavailable, res.StatusCode, body)
	require.Contains(t, body, "PAYMENTS_NOT_CONFIGURED")
	require.Contains(t, body, "ALORIG_SNAPIFY_EASYPAISA_HASH_KEY")
	p := plan(t, env, tok, "bare-shop")
	require.Equal(t, "free", p.Plan)
	_, body = env.Do("GET", host, "/api/v1/stores/bare-shop/plan", bearer(tok), "")
	require.Contains(t, body, `"available":false`)
	res, body = env.Do("POST", host, "/webhooks/jazzcash", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "pp_TxnRefNo=SP1")
	require.Equal(t, http.StatusServiceUnavailable, res.StatusCode, body)
}

func TestProExpiresAfterGrace(t *testing.T) {
	t.Parallel()
	jc, ep := paymentstest.NewJazzCash(), paymentstest.NewEasyPaisa(t)
	env, m := start(t, append(payEnv(jc, ep), testkit.WithEnv("ALORIG_SNAPIFY_PRO_GRACE_DAYS", "3"))...)
	dns := &fakeDNS{txt: map[string][]string{}}
	m.SetResolver(dns)
	tok, _ := newStore(t, env, "03001230006", "lapse-shop")
	// Sessions end when the clock jumps weeks, so each step signs in again.
	const phone = "03001230006"
	pay := func() {
		c := startCheckout(t, env, tok, "lapse-shop", "jazzcash")
		v, err := jc.Pay(&c.Form, "000")
		require.NoError(t, err)
		res, body := postCallback(env, v)
		require.Equal(t, http.StatusSeeOther, res.StatusCode, body)
	}
	pay()
	res, body := env.Do("PATCH", host, "/api/v1/stores/lapse-shop/settings", bearer(tok), `{"custom_domain":"shop.lapse.pk"}`)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	dns.set("_alorig-verify.shop.lapse.pk", domainToken(t, body))
	res, body = env.Do("POST", host, "/api/v1/stores/lapse-shop/domain/verify", bearer(tok), "")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	ctx := context.Background()
	served := func() bool {
		ok, err := m.ClaimHost(ctx, "shop.lapse.pk")
		require.NoError(t, err)
		return ok
	}
	require.True(t, served())

	// Paying again while Pro runs adds a month to the end of the period.
	env.Clock.Advance(10 * 24 * time.Hour)
	tok = signIn(t, env, phone)
	pay()
	end := testkit.Epoch.AddDate(0, 2, 0)
	require.True(t, plan(t, env, tok, "lapse-shop").RenewsAt.Equal(end))

	// Nothing happens before the end.
	env.Clock.Set(end.Add(-time.Minute))
	g, l, err := m.ExpirePlans(ctx)
	require.NoError(t, err)
	require.Equal(t, [2]int{0, 0}, [2]int{g, l})

	// The period ends: past_due with 3 days of grace, still Pro.
	env.Clock.Set(end.Add(time.Hour))
	tok = signIn(t, env, phone)
	g, l, err = m.ExpirePlans(ctx)
	require.NoError(t, err)
	require.Equal(t, [2]int{1, 0}, [2]int{g, l})
	p := plan(t, env, tok, "lapse-shop")
	require.Equal(t, "pro", p.Plan)
	require.Equal(t, "past_due", p.Status)
	require.True(t, p.GraceUntil.Equal(end.AddDate(0, 0, 3)))
	require.True(t, served(), "the domain keeps serving during the grace")
	g, l, err = m.ExpirePlans(ctx)
	require.NoError(t, err)
	require.Equal(t, [2]int{0, 0}, [2]int{g, l}, "a second run changes nothing")

	// The grace ends: Free, the domain and the city pages gone.
	env.Clock.Set(end.AddDate(0, 0, 3).Add(time.Minute))
	tok = signIn(t, env, phone)
	g, l, err = m.ExpirePlans(ctx)
	require.NoError(t, err)
	require.Equal(t, [2]int{0, 1}, [2]int{g, l})
	p = plan(t, env, tok, "lapse-shop")
	require.Equal(t, "free", p.Plan)
	require.Equal(t, "active", p.Status)
	require.Nil(t, p.GraceUntil)
	require.False(t, served(), "a Free store's domain is not served")
	s, err := m.StoreBySlug(ctx, "lapse-shop")
	require.NoError(t, err)
	require.Equal(t, "", s.ActiveDomain())
	require.Nil(t, s.CustomDomain)
	require.Equal(t, http.StatusNotFound, cityPage(env, "lapse-shop"))

	// Paying after the lapse starts a fresh month from now.
	pay()
	p = plan(t, env, tok, "lapse-shop")
	require.Equal(t, "pro", p.Plan)
	require.True(t, p.RenewsAt.Equal(env.Clock.Now().AddDate(0, 1, 0)))
}
