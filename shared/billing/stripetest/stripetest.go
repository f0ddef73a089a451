// Package stripetest is a local Stripe for tests: an HTTP server that checks what Stripe checks
// on the calls billing makes (the secret key as a Bearer token, the Stripe-Version header,
// form-encoded bodies, required and unknown parameters, known prices and customers) and answers
// in Stripe's JSON shapes (API version 2025-08-27.basil); and signed webhook events made with
// Stripe's scheme (HMAC-SHA256 over "<t>.<body>").
package stripetest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82"
)

// Server is the fake. Its state (customers, sessions, subscriptions) is what a test changes to
// play Stripe's side: completing a checkout, failing a payment, cancelling.
type Server struct {
	URL       string
	SecretKey string
	// WebhookSecret signs the events Event builds (whsec_…).
	WebhookSecret string
	// Now is Stripe's clock; tests give it theirs.
	Now func() time.Time

	mu        sync.Mutex
	prices    map[string]bool
	customers map[string]map[string]any
	sessions  map[string]map[string]any
	subs      map[string]map[string]any
	idem      map[string][]byte
	pending   map[string]pendingSub // by session: the subscription its payment starts
	seq       int
	calls     []Call
}

type pendingSub struct {
	price    string
	metadata map[string]string
}

// Call is one request the fake received.
type Call struct {
	Method, Path string
	Form         url.Values
}

// New starts a fake that knows prices and accepts secretKey.
func New(t testing.TB, secretKey, webhookSecret string, now func() time.Time, prices ...string) *Server {
	s := &Server{SecretKey: secretKey, WebhookSecret: webhookSecret, Now: now, prices: map[string]bool{},
		customers: map[string]map[string]any{}, sessions: map[string]map[string]any{}, subs: map[string]map[string]any{}, idem: map[string][]byte{},
		pending: map[string]pendingSub{}}
	for _, p := range prices {
		s.prices[p] = true
	}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// Calls lists the requests received so far.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

func (s *Server) id(prefix string) string {
	s.seq++
	return fmt.Sprintf("%s_test%06d", prefix, s.seq)
}

// stripeError writes Stripe's error shape.
func stripeError(w http.ResponseWriter, status int, typ, code, param, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	e := map[string]any{"type": typ, "message": msg}
	if code != "" {
		e["code"] = code
	}
	if param != "" {
		e["param"] = param
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"error": e})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+s.SecretKey {
		stripeError(w, http.StatusUnauthorized, "invalid_request_error", "", "", "Invalid API Key provided")
		return
	}
	if v := r.Header.Get("Stripe-Version"); v != stripe.APIVersion {
		stripeError(w, http.StatusBadRequest, "invalid_request_error", "", "", fmt.Sprintf("Invalid Stripe API version: %q", v))
		return
	}
	if r.Method == http.MethodPost {
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
			stripeError(w, http.StatusBadRequest, "invalid_request_error", "", "", "Stripe takes form-encoded bodies")
			return
		}
	}
	if err := r.ParseForm(); err != nil {
		stripeError(w, http.StatusBadRequest, "invalid_request_error", "", "", "malformed body")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, Call{Method: r.Method, Path: r.URL.Path, Form: r.PostForm})
	key := r.Header.Get("Idempotency-Key")
	if r.Method == http.MethodPost && key != "" {
		if prev, ok := s.idem[r.URL.Path+" "+key]; ok {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Idempotent-Replayed", "true")
			_, _ = w.Write(prev)
			return
		}
	}
	var out map[string]any
	var bad func()
	f := r.PostForm
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v1/customers":
		if p := unknownParam(f, "email", "name", "metadata["); p != "" {
			bad = func() { unknown(w, p) }
			break
		}
		id := s.id("cus")
		out = map[string]any{"id": id, "object": "customer", "email": nullable(f.Get("email")), "name": nullable(f.Get("name")),
			"created": s.Now().Unix(), "livemode": false, "metadata": metadata(f, "metadata")}
		s.customers[id] = out
	case r.Method == http.MethodPost && r.URL.Path == "/v1/checkout/sessions":
		bad = s.checkCheckout(w, f)
		if bad != nil {
			break
		}
		id := s.id("cs")
		out = map[string]any{"id": id, "object": "checkout.session", "mode": f.Get("mode"), "status": "open", "payment_status": "unpaid",
			"customer": f.Get("customer"), "client_reference_id": nullable(f.Get("client_reference_id")), "subscription": nil,
			"success_url": f.Get("success_url"), "cancel_url": f.Get("cancel_url"), "url": "https://checkout.stripe.com/c/pay/" + id,
			"created": s.Now().Unix(), "expires_at": s.Now().Add(24 * time.Hour).Unix(), "livemode": false, "metadata": metadata(f, "metadata")}
		s.sessions[id] = out
		s.pending[id] = pendingSub{price: f.Get("line_items[0][price]"), metadata: metadata(f, "subscription_data[metadata]")}
	case r.Method == http.MethodPost && r.URL.Path == "/v1/billing_portal/sessions":
		if p := unknownParam(f, "customer", "return_url"); p != "" {
			bad = func() { unknown(w, p) }
			break
		}
		if s.customers[f.Get("customer")] == nil {
			bad = func() {
				stripeError(w, http.StatusBadRequest, "invalid_request_error", "resource_missing", "customer", "No such customer: '"+f.Get("customer")+"'")
			}
			break
		}
		id := s.id("bps")
		out = map[string]any{"id": id, "object": "billing_portal.session", "customer": f.Get("customer"), "return_url": nullable(f.Get("return_url")),
			"url": "https://billing.stripe.com/p/session/" + id, "created": s.Now().Unix(), "livemode": false}
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v1/subscriptions/"):
		id := strings.TrimPrefix(r.URL.Path, "/v1/subscriptions/")
		if out = s.subs[id]; out == nil {
			bad = func() {
				stripeError(w, http.StatusNotFound, "invalid_request_error", "resource_missing", "id", "No such subscription: '"+id+"'")
			}
		}
	default:
		bad = func() {
			stripeError(w, http.StatusNotFound, "invalid_request_error", "", "", "Unrecognized request URL ("+r.Method+": "+r.URL.Path+")")
		}
	}
	if bad != nil {
		bad()
		return
	}
	body, _ := json.Marshal(out)
	if r.Method == http.MethodPost && key != "" {
		s.idem[r.URL.Path+" "+key] = body
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Request-Id", "req_"+s.id("r"))
	_, _ = w.Write(body)
}

// checkCheckout checks a Checkout Session for a subscription as Stripe would.
func (s *Server) checkCheckout(w http.ResponseWriter, f url.Values) func() {
	if p := unknownParam(f, "mode", "customer", "client_reference_id", "success_url", "cancel_url", "line_items[",
		"subscription_data[metadata][", "metadata["); p != "" {
		return func() { unknown(w, p) }
	}
	missing := func(param string) func() {
		return func() {
			stripeError(w, http.StatusBadRequest, "invalid_request_error", "parameter_missing", param, "Missing required param: "+param+".")
		}
	}
	switch {
	case f.Get("mode") != "subscription":
		return missing("mode")
	case f.Get("success_url") == "":
		return missing("success_url")
	case f.Get("line_items[0][price]") == "":
		return missing("line_items[0][price]")
	case f.Get("line_items[0][quantity]") != "1":
		return missing("line_items[0][quantity]")
	case !s.prices[f.Get("line_items[0][price]")]:
		return func() {
			stripeError(w, http.StatusBadRequest, "invalid_request_error", "resource_missing", "line_items[0][price]", "No such price: '"+f.Get("line_items[0][price]")+"'")
		}
	case f.Get("customer") != "" && s.customers[f.Get("customer")] == nil:
		return func() {
			stripeError(w, http.StatusBadRequest, "invalid_request_error", "resource_missing", "customer", "No such customer: '"+f.Get("customer")+"'")
		}
	}
	return nil
}

func unknownParam(f url.Values, allowed ...string) string {
	for k := range f {
		ok := false
		for _, a := range allowed {
			if k == a || strings.HasSuffix(a, "[") && strings.HasPrefix(k, a) {
				ok = true
			}
		}
		if !ok {
			return k
		}
	}
	return ""
}

func unknown(w http.ResponseWriter, p string) {
	stripeError(w, http.StatusBadRequest, "invalid_request_error", "parameter_unknown", p, "Received unknown parameter: "+p)
}

func nullable(v string) any {
	if v == "" {
		return nil
	}
	return v
}

func metadata(f url.Values, prefix string) map[string]string {
	out := map[string]string{}
	for k := range f {
		if rest, ok := strings.CutPrefix(k, prefix+"["); ok && strings.HasSuffix(rest, "]") && !strings.Contains(rest, "[") {
			out[strings.TrimSuffix(rest, "]")] = f.Get(k)
		}
	}
	return out
}

// Sessions lists the ids of the Checkout Sessions made so far, sorted.
func (s *Server) Sessions() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for id := range s.sessions {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// CompleteCheckout plays the customer paying on the Checkout page: the session completes and
// an active subscription for its price starts, renewing in 30 days. It answers the session
// object (as checkout.session.completed carries it) and the subscription's id.
func (s *Server) CompleteCheckout(sessionID string) (map[string]any, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.sessions[sessionID]
	if sess == nil {
		panic("stripetest: no session " + sessionID)
	}
	now := s.Now()
	subID, itemID := s.id("sub"), s.id("si")
	price := s.pending[sessionID].price
	s.subs[subID] = map[string]any{
		"id": subID, "object": "subscription", "status": "active", "customer": sess["customer"], "created": now.Unix(),
		"start_date": now.Unix(), "cancel_at_period_end": false, "cancel_at": nil, "canceled_at": nil, "ended_at": nil,
		"collection_method": "charge_automatically", "currency": "usd", "livemode": false, "metadata": s.pending[sessionID].metadata,
		"latest_invoice": s.id("in"),
		"items": map[string]any{"object": "list", "has_more": false, "total_count": 1, "url": "/v1/subscription_items?subscription=" + subID,
			"data": []any{map[string]any{"id": itemID, "object": "subscription_item", "subscription": subID, "quantity": 1,
				"created": now.Unix(), "current_period_start": now.Unix(), "current_period_end": now.Add(30 * 24 * time.Hour).Unix(),
				"price": map[string]any{"id": price, "object": "price", "active": true, "currency": "usd", "type": "recurring",
					"unit_amount": 1900, "product": "prod_" + price, "recurring": map[string]any{"interval": "month", "interval_count": 1}}}}},
	}
	sess["status"], sess["payment_status"], sess["subscription"] = "complete", "paid", subID
	return clone(sess), subID
}

// SetSubscription changes a subscription as Stripe would on a payment or a cancellation:
// status (active, past_due, unpaid, canceled…) and cancel_at_period_end.
func (s *Server) SetSubscription(subID, status string, cancelAtPeriodEnd bool) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	sub := s.subs[subID]
	if sub == nil {
		panic("stripetest: no subscription " + subID)
	}
	sub["status"], sub["cancel_at_period_end"] = status, cancelAtPeriodEnd
	if status == "canceled" {
		sub["canceled_at"], sub["ended_at"] = s.Now().Unix(), s.Now().Unix()
	}
	return clone(sub)
}

// Subscription is the subscription object as Stripe holds it now.
func (s *Server) Subscription(subID string) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return clone(s.subs[subID])
}

// Invoice is an invoice of the subscription in the 2025 shape (the subscription under
// parent.subscription_details), paid or open (a failed payment leaves it open).
func (s *Server) Invoice(subID string, paid bool) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	sub := s.subs[subID]
	status, amountPaid := "open", 0
	if paid {
		status, amountPaid = "paid", 1900
	}
	return map[string]any{"id": s.id("in"), "object": "invoice", "customer": sub["customer"], "status": status,
		"amount_due": 1900, "amount_paid": amountPaid, "currency": "usd", "billing_reason": "subscription_cycle",
		"created": s.Now().Unix(), "livemode": false, "attempt_count": 1,
		"parent": map[string]any{"type": "subscription_details", "quote_details": nil,
			"subscription_details": map[string]any{"subscription": subID, "metadata": sub["metadata"]}}}
}

// Event wraps obj in a Stripe event of type typ created now; it answers the event's id and body.
func (s *Server) Event(typ string, obj map[string]any) (string, []byte) {
	s.mu.Lock()
	id := s.id("evt")
	now := s.Now()
	s.mu.Unlock()
	return id, EventAt(id, typ, obj, now)
}

// EventAt is a Stripe event body with the given id and creation time.
func EventAt(id, typ string, obj map[string]any, created time.Time) []byte {
	b, _ := json.Marshal(map[string]any{"id": id, "object": "event", "api_version": stripe.APIVersion, "created": created.Unix(),
		"type": typ, "livemode": false, "pending_webhooks": 1, "request": map[string]any{"id": nil, "idempotency_key": nil},
		"data": map[string]any{"object": obj}})
	return b
}

// Sign is the Stripe-Signature header Stripe would send for payload at t.
func (s *Server) Sign(payload []byte, t time.Time) string { return Sign(payload, s.WebhookSecret, t) }

// Sign computes Stripe's webhook signature header: t=<unix>,v1=hex(HMAC-SHA256(secret, "<t>.<payload>")).
func Sign(payload []byte, secret string, t time.Time) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "%d.%s", t.Unix(), payload)
	return fmt.Sprintf("t=%d,v1=%s", t.Unix(), hex.EncodeToString(mac.Sum(nil)))
}

func clone(m map[string]any) map[string]any {
	b, _ := json.Marshal(m)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return out
}
