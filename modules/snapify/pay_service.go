package snapify

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"github.com/alorig/alorig/modules/snapify/payments"
	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/web"
	"github.com/uptrace/bun"
)

// Pro plan payments. A seller starts a checkout for their own store (a pending payment row
// with the amount asked, and the form their browser posts to the gateway); the gateway's
// callback is verified (payments package) and then matched against that row: the same
// reference, gateway and amount, and still pending. Only then does the store become Pro for a
// month from now (or from the end of the period already paid), in the transaction that marks
// the payment paid, so a callback delivered twice extends nothing the second time. The expiry
// job (pay_expiry.go) moves a lapsed plan to past_due for the grace days, then to Free.

// checkoutTTL is how long a checkout can be paid: the gateways refuse it afterwards
// (pp_TxnExpiryDateTime, expiryDate).
const checkoutTTL = time.Hour

// ErrStoreSuspendedPay refuses a checkout for a suspended store.
var ErrStoreSuspendedPay = errors.New("this store is suspended; Pro cannot be bought until Snapify reinstates it")

// payGateways are the two gateways, configured or not.
type payGateways struct {
	jazz      *payments.JazzCash
	easy      *payments.EasyPaisa
	graceDays int
	forms     []string // the gateways' form origins, which the seller app may post to
}

func newPayGateways(d platform.Deps) payGateways {
	c := d.Config.Snapify
	base := ""
	if d.Module != nil {
		base = strings.TrimRight(d.Module.PublicURL, "/")
	}
	g := payGateways{
		jazz: payments.NewJazzCash(payments.JazzCashConfig{MerchantID: c.JazzCashMerchantID, Password: c.JazzCashPassword,
			IntegritySalt: c.JazzCashIntegritySalt, PostURL: c.JazzCashURL, ReturnURL: base + "/webhooks/jazzcash"}),
		easy: payments.NewEasyPaisa(payments.EasyPaisaConfig{StoreID: c.EasyPaisaStoreID, HashKey: c.EasyPaisaHashKey,
			Username: c.EasyPaisaUsername, Password: c.EasyPaisaPassword, AccountNum: c.EasyPaisaAccountNum,
			CheckoutURL: c.EasyPaisaCheckoutURL, ConfirmURL: c.EasyPaisaConfirmURL, APIBase: c.EasyPaisaAPIBase,
			PostBackURL: base + "/webhooks/easypaisa"}),
		graceDays: c.ProGraceDays,
	}
	for _, u := range []string{c.JazzCashURL, c.EasyPaisaCheckoutURL, c.EasyPaisaConfirmURL} {
		if p, err := url.Parse(u); err == nil && p.Scheme != "" && p.Host != "" {
			g.forms = append(g.forms, p.Scheme+"://"+p.Host)
		}
	}
	return g
}

// payFormOrigins are the origins the seller app's pages may submit forms to (its CSP).
func (m *Module) payFormOrigins() []string { return m.pay.forms }

func (g payGateways) of(name string) interface {
	Configured() error
	Checkout(payments.Checkout) (*payments.Form, error)
} {
	if name == "easypaisa" {
		return g.easy
	}
	return g.jazz
}

// checkEmail trims *v and says what is wrong with it, or "" (an empty address is allowed: it
// removes the address).
func checkEmail(v *string) string {
	*v = strings.TrimSpace(*v)
	if *v == "" {
		return ""
	}
	a, err := mail.ParseAddress(*v)
	if err != nil || a.Address != *v || len(*v) > 254 || !strings.Contains((*v)[strings.LastIndex(*v, "@"):], ".") {
		return "must be an email address such as seller@example.pk"
	}
	return ""
}

type checkoutRequest struct {
	Gateway string `json:"gateway" enum:"jazzcash,easypaisa"`
}

func (r *checkoutRequest) Validate() []web.FieldError {
	if r.Gateway != "jazzcash" && r.Gateway != "easypaisa" {
		return []web.FieldError{{Field: "gateway", Reason: `must be "jazzcash" or "easypaisa"`}}
	}
	return nil
}

// checkoutAnswer is a started checkout: the pending payment and the form to post.
type checkoutAnswer struct {
	Form    *payments.Form `json:"form" doc:"post these fields to action (a browser form submission, not fetch)"`
	Payment *Payment       `json:"payment"`
}

// StartCheckout starts a month of Pro for store s, paid through gateway by the seller uid.
func (m *Module) StartCheckout(ctx context.Context, uid int64, s *Store, gateway string) (*checkoutAnswer, error) {
	if err := needScope(s.Scope()); err != nil {
		return nil, err
	}
	if !s.Live() {
		return nil, ErrStoreSuspendedPay
	}
	gw := m.pay.of(gateway)
	if err := gw.Configured(); err != nil {
		return nil, err
	}
	now := m.d.Clock.Now()
	p := &Payment{StoreID: s.ID, UserID: uid, Gateway: gateway, Ref: payments.NewRef(now), Plan: "pro", Months: 1,
		AmountPaisa: ProPricePaisa, Status: "pending", ExpiresAt: now.Add(checkoutTTL), CreatedAt: now, UpdatedAt: now}
	form, err := gw.Checkout(payments.Checkout{Ref: p.Ref, AmountPaisa: p.AmountPaisa, Bill: p.Ref,
		Description: "Snapify Pro 1 month for " + s.Name, At: now, Expires: p.ExpiresAt, Email: s.Email, Mobile: localMobile(s.WhatsAppPhone)})
	if err != nil {
		return nil, err
	}
	if err := insertPayment(ctx, m.d.DB, p); err != nil {
		return nil, err
	}
	return &checkoutAnswer{Form: form, Payment: p}, nil
}

// localMobile writes +923001234567 as 03001234567, the form the gateways take; other numbers
// are left out.
func localMobile(e164 string) string {
	if rest, ok := strings.CutPrefix(e164, "+92"); ok && len(rest) == 10 {
		return "0" + rest
	}
	return ""
}

// planAnswer is a store's plan as the seller app shows it.
type planAnswer struct {
	Email         string        `json:"email" doc:"where receipts and notices are emailed; set it in the store settings"`
	GraceDays     int           `json:"grace_days" doc:"days Pro features continue after the paid period ends"`
	GraceUntil    *time.Time    `json:"grace_until,omitempty"`
	Gateways      []gatewayInfo `json:"gateways"`
	PaymentMethod string        `json:"payment_method,omitempty"`
	Payments      []Payment     `json:"payments" doc:"the last 10 checkouts, newest first"`
	Plan          string        `json:"plan" enum:"free,pro"`
	PricePaisa    int64         `json:"price_paisa" doc:"the Pro plan's price for one month"`
	RenewsAt      *time.Time    `json:"renews_at,omitempty" doc:"end of the paid Pro period"`
	Status        string        `json:"status" enum:"active,past_due,cancelled" doc:"past_due: the period ended and the grace days run"`
}

type gatewayInfo struct {
	Available bool   `json:"available"`
	Name      string `json:"name" enum:"jazzcash,easypaisa"`
	Reason    string `json:"reason,omitempty" doc:"why it cannot take payments here"`
}

// Plan is store s's plan with its payments and the gateways on offer.
func (m *Module) Plan(ctx context.Context, s *Store) (*planAnswer, error) {
	sub, err := subscriptionOf(ctx, m.d.DB, s.Scope())
	if err != nil {
		return nil, notFound(err, ErrNoSubscription)
	}
	ps, err := paymentsOf(ctx, m.d.DB, s.Scope(), 10)
	if err != nil {
		return nil, err
	}
	out := &planAnswer{Plan: sub.Plan, Status: sub.Status, PricePaisa: ProPricePaisa, RenewsAt: sub.RenewsAt, GraceUntil: sub.GraceUntil,
		GraceDays: m.pay.graceDays, PaymentMethod: sub.PaymentMethod, Email: s.Email, Payments: ps}
	for _, name := range []string{"jazzcash", "easypaisa"} {
		gi := gatewayInfo{Name: name, Available: true}
		if err := m.pay.of(name).Configured(); err != nil {
			gi.Available, gi.Reason = false, err.Error()
		}
		out.Gateways = append(out.Gateways, gi)
	}
	return out, nil
}

// Callback outcomes, as recorded in payment_callbacks.
const (
	payPaid      = "paid"
	payFailed    = "failed"
	payPending   = "pending"
	payDuplicate = "duplicate"
	payRefused   = "refused"
)

// payOutcome is what a callback did.
type payOutcome struct {
	Ref     string
	Outcome string
	Reason  string
	Payment *Payment // nil when the reference is not ours
}

// JazzCashCallback settles the payment a JazzCash result names, if the result is genuine.
func (m *Module) JazzCashCallback(ctx context.Context, form url.Values) (*payOutcome, error) {
	cb, err := m.pay.jazz.VerifyCallback(form)
	var off *payments.NotConfiguredError
	if errors.As(err, &off) {
		return nil, err
	}
	if err != nil {
		return m.refuse(ctx, "jazzcash", form.Get("pp_TxnRefNo"), err, safeFields(form))
	}
	return m.settle(ctx, cb)
}

// EasyPaisaCallback handles Easypay's redirects: an auth_token answers the form that
// confirms it at Confirm.jsf; an outcome is settled only as Easypay's transaction inquiry
// reports it, since the redirect itself is unsigned.
func (m *Module) EasyPaisaCallback(ctx context.Context, form url.Values) (*payOutcome, *payments.Form, error) {
	if err := m.pay.easy.Configured(); err != nil {
		return nil, nil, err
	}
	r, err := payments.ParseRedirect(form)
	if err != nil {
		out, err := m.refuse(ctx, "easypaisa", form.Get("orderRefNumber"), err, safeFields(form))
		return out, nil, err
	}
	if r.AuthToken != "" {
		return nil, m.pay.easy.ConfirmForm(r.AuthToken), nil
	}
	p, err := paymentByRef(ctx, m.d.DB, r.Ref)
	switch {
	case errors.Is(err, database.ErrNotFound):
		out, err := m.refuse(ctx, "easypaisa", r.Ref, errors.New("no payment has this reference"), safeFields(form))
		return out, nil, err
	case err != nil:
		return nil, nil, err
	case p.Gateway != "easypaisa" || p.Status != "pending":
		// Settled already (or not ours to ask about): settle records it without asking Easypay.
		out, err := m.settle(ctx, &payments.Callback{Gateway: "easypaisa", Ref: r.Ref, AmountPaisa: p.AmountPaisa,
			Code: r.Status, Fields: safeFields(form)})
		return out, nil, err
	}
	cb, err := m.pay.easy.Inquire(ctx, r.Ref)
	if err != nil {
		if payments.IsRefusal(err) {
			out, err := m.refuse(ctx, "easypaisa", r.Ref, err, safeFields(form))
			return out, nil, err
		}
		return nil, nil, err // Easypay unreachable: the browser may come back, the row stays pending
	}
	out, err := m.settle(ctx, cb)
	return out, nil, err
}

// safeFields is a callback's fields as stored: one value each, pp_Password never kept.
func safeFields(form url.Values) map[string]string {
	out := make(map[string]string, len(form))
	for k, vs := range form {
		if strings.EqualFold(k, "pp_Password") || len(k) > 64 || len(out) >= 64 {
			continue
		}
		v := strings.Join(vs, ",")
		if len(v) > 512 {
			v = v[:512]
		}
		out[k] = v
	}
	return out
}

// refuse records a callback that failed verification; it changes nothing else.
func (m *Module) refuse(ctx context.Context, gateway, ref string, why error, fields map[string]string) (*payOutcome, error) {
	if len(ref) > 40 {
		ref = ref[:40]
	}
	m.d.Log.Warn("snapify: payment callback refused", "gateway", gateway, "ref", ref, "reason", why.Error())
	err := insertPaymentCallback(ctx, m.d.DB, &paymentCallback{Gateway: gateway, Ref: ref, Outcome: payRefused,
		Reason: why.Error(), Fields: fields, ReceivedAt: m.d.Clock.Now()})
	return &payOutcome{Ref: ref, Outcome: payRefused, Reason: why.Error()}, err
}

// settle applies a verified callback to the payment it names, once.
func (m *Module) settle(ctx context.Context, cb *payments.Callback) (*payOutcome, error) {
	now := m.d.Clock.Now()
	out := &payOutcome{Ref: cb.Ref}
	var oldDomain string
	err := m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		ev := &paymentCallback{Gateway: cb.Gateway, Ref: cb.Ref, Fields: cb.Fields, ReceivedAt: now}
		p, err := lockPaymentByRef(ctx, tx, cb.Ref)
		if errors.Is(err, database.ErrNotFound) {
			out.Outcome, out.Reason = payRefused, "no payment has this reference"
		} else if err != nil {
			return err
		} else {
			ev.PaymentID, out.Payment = &p.ID, p
			switch {
			case p.Gateway != cb.Gateway:
				out.Outcome, out.Reason = payRefused, "the reference belongs to a "+p.Gateway+" payment"
			case p.Status != "pending":
				out.Outcome, out.Reason = payDuplicate, "already "+p.Status+"; nothing changed"
			case cb.AmountPaisa != p.AmountPaisa:
				out.Outcome, out.Reason = payRefused, fmt.Sprintf("the amount is %d paisa; the checkout asked %d", cb.AmountPaisa, p.AmountPaisa)
			case !cb.Final():
				out.Outcome, out.Reason = payPending, "the gateway still waits for the payment ("+cb.Code+")"
			case !cb.Paid:
				out.Outcome, out.Reason = payFailed, strings.TrimSpace(cb.Code+" "+cb.Message)
				p.Status, p.GatewayCode, p.GatewayMessage, p.GatewayTxn, p.UpdatedAt = "failed", cb.Code, cb.Message, cb.GatewayTxn, now
				if _, err := tx.NewUpdate().Model(p).Column("status", "gateway_code", "gateway_message", "gateway_txn", "updated_at").
					WherePK().Exec(ctx); err != nil {
					return fmt.Errorf("snapify: mark payment %s failed: %w", p.Ref, err)
				}
			default:
				out.Outcome = payPaid
				if oldDomain, err = m.activate(ctx, tx, p, cb, now); err != nil {
					return err
				}
			}
		}
		ev.Outcome, ev.Reason = out.Outcome, out.Reason
		return insertPaymentCallback(ctx, tx, ev)
	})
	if err != nil {
		return nil, err
	}
	if out.Outcome == payRefused {
		m.d.Log.Warn("snapify: payment callback refused", "gateway", cb.Gateway, "ref", cb.Ref, "reason", out.Reason)
	}
	_ = m.forgetDomain(ctx, oldDomain)
	return out, nil
}

// activate marks p paid and makes its store Pro until the end of the paid months: counted
// from now, or from the end of a Pro period still running. The store's city pages are written
// at once and the receipt is queued, all in tx.
func (m *Module) activate(ctx context.Context, tx bun.Tx, p *Payment, cb *payments.Callback, now time.Time) (string, error) {
	s, err := platformStore(ctx, tx, p.StoreID)
	if err != nil {
		return "", err
	}
	sub, err := lockSubscription(ctx, tx, p.StoreID)
	if err != nil {
		return "", err
	}
	start := now
	if sub.Plan == "pro" && sub.Status == "active" && sub.RenewsAt != nil && sub.RenewsAt.After(now) {
		start = *sub.RenewsAt
	}
	end := start.AddDate(0, p.Months, 0)
	if err := setStorePlan(ctx, tx, s, "pro", ProPricePaisa, &end, now); err != nil {
		return "", err
	}
	if _, err := tx.NewRaw("UPDATE subscriptions SET payment_method = ?, grace_until = NULL WHERE store_id = ?", p.Gateway, s.ID).Exec(ctx); err != nil {
		return "", fmt.Errorf("snapify: subscription of store %d: %w", s.ID, err)
	}
	p.Status, p.PaidAt, p.PeriodStart, p.PeriodEnd = "paid", &now, &start, &end
	p.GatewayCode, p.GatewayMessage, p.GatewayTxn, p.UpdatedAt = cb.Code, cb.Message, cb.GatewayTxn, now
	if _, err := tx.NewUpdate().Model(p).Column("status", "paid_at", "period_start", "period_end", "gateway_code",
		"gateway_message", "gateway_txn", "updated_at").WherePK().Exec(ctx); err != nil {
		return "", fmt.Errorf("snapify: mark payment %s paid: %w", p.Ref, err)
	}
	if err := writeCityPages(ctx, tx, s, now); err != nil {
		return "", err
	}
	if err := m.invalidateTx(ctx, tx, s); err != nil {
		return "", err
	}
	if err := m.queuePlanNotices(ctx, tx, s, noticeReceipt, p.ID, end); err != nil {
		return "", err
	}
	domain := ""
	if s.CustomDomain != nil {
		domain = *s.CustomDomain // a claim made while Pro and proven: served again, so look it up afresh
	}
	return domain, nil
}

// payReturnURL is the seller app's page the browser lands on after a callback.
func (m *Module) payReturnURL(ref, result string) string {
	u, err := url.Parse(m.d.Module.PublicURL)
	if err != nil || u.Host == "" {
		return "/settings"
	}
	q := url.Values{"payment": {ref}, "result": {result}}
	return u.Scheme + "://app." + strings.TrimPrefix(u.Host, "www.") + "/settings?" + q.Encode()
}
