package billing

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/alorig/alorig/shared/database"
	"github.com/stripe/stripe-go/v82"
	"github.com/uptrace/bun"
)

// Why a webhook was refused before anything was read from it.
var (
	ErrNoSignature  = errors.New("the Stripe-Signature header is missing or has no t= and v1= elements")
	ErrBadSignature = errors.New("no v1 signature in Stripe-Signature matches this body")
	ErrStale        = errors.New("the Stripe-Signature timestamp is outside the tolerance: a replay, or a clock far off")
	ErrBadEvent     = errors.New("the body is not a Stripe event (id, type, created and data.object are required)")
)

// VerifySignature checks a Stripe-Signature header as Stripe documents it: t is the signing
// time, each v1 is hex(HMAC-SHA256(secret, "<t>.<body>")), any one matching is enough (several
// are sent while a secret is being rolled), and t must be within tolerance of now. It is
// written here rather than taken from stripe-go's webhook package because that package reads
// the wall clock, and every rule here takes time from the injected clock; the tests check
// both agree on the signatures the package computes.
func VerifySignature(payload []byte, header, secret string, now time.Time, tolerance time.Duration) error {
	var ts int64
	var sigs [][]byte
	haveT := false
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		switch k {
		case "t":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return ErrNoSignature
			}
			ts, haveT = n, true
		case "v1":
			if b, err := hex.DecodeString(v); err == nil {
				sigs = append(sigs, b)
			}
		}
	}
	if !haveT || len(sigs) == 0 {
		return ErrNoSignature
	}
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "%d.", ts)
	mac.Write(payload)
	want := mac.Sum(nil)
	matched := false
	for _, s := range sigs {
		if hmac.Equal(s, want) {
			matched = true
		}
	}
	if !matched {
		return ErrBadSignature
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return ErrStale
	}
	return nil
}

// event is the part of a Stripe event billing reads. The object is read by hand because its
// shape moves between API versions (an invoice's subscription moved under parent in 2025).
type event struct {
	ID      string `json:"id"`
	Type    string `json:"type"`
	Created int64  `json:"created"`
	Data    struct {
		Object json.RawMessage `json:"object"`
	} `json:"data"`
}

// object holds the fields of the objects the handled events carry.
type object struct {
	ID           string          `json:"id"`
	Object       string          `json:"object"`
	Mode         string          `json:"mode"`
	Customer     json.RawMessage `json:"customer"`
	Subscription json.RawMessage `json:"subscription"`
	Parent       *struct {
		SubscriptionDetails *struct {
			Subscription json.RawMessage `json:"subscription"`
		} `json:"subscription_details"`
	} `json:"parent"`
}

// idOf reads an expandable field: an id string, or an object with an id.
func idOf(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var o struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(raw, &o)
	return o.ID
}

// Handled event types.
var handled = map[string]bool{
	"checkout.session.completed":    true,
	"customer.subscription.created": true,
	"customer.subscription.updated": true,
	"customer.subscription.deleted": true,
	"invoice.paid":                  true,
	"invoice.payment_failed":        true,
}

// Webhook verifies and handles one delivery and says what came of it. An error means Stripe
// should deliver again (nothing was recorded); a refusal (ErrBadSignature, …) means it should not.
func (s *Service) Webhook(ctx context.Context, payload []byte, header string) (string, error) {
	if s.hook == "" || !s.Configured() {
		return "", ErrNotConfigured
	}
	now := s.o.Clock.Now()
	if err := VerifySignature(payload, header, s.hook, now, s.o.Tolerance); err != nil {
		return "", err
	}
	var ev event
	if err := json.Unmarshal(payload, &ev); err != nil || ev.ID == "" || ev.Type == "" || ev.Created == 0 || len(ev.Data.Object) == 0 {
		return "", ErrBadEvent
	}
	var obj object
	if err := json.Unmarshal(ev.Data.Object, &obj); err != nil {
		return "", ErrBadEvent
	}
	rec := &eventRow{ID: ev.ID, Type: ev.Type, CreatedAt: time.Unix(ev.Created, 0).UTC(), ReceivedAt: now, Outcome: "ignored"}
	sub, cust := "", idOf(obj.Customer)
	switch {
	case !handled[ev.Type]:
	case ev.Type == "checkout.session.completed":
		if obj.Mode == "subscription" {
			sub = idOf(obj.Subscription)
		}
	case strings.HasPrefix(ev.Type, "customer.subscription."):
		sub = obj.ID
	case strings.HasPrefix(ev.Type, "invoice."):
		sub = idOf(obj.Subscription) // API versions before 2025-03-31
		if sub == "" && obj.Parent != nil && obj.Parent.SubscriptionDetails != nil {
			sub = idOf(obj.Parent.SubscriptionDetails.Subscription)
		}
	}
	var outcome string
	err := s.o.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		fresh, err := recordEvent(ctx, tx, rec)
		if err != nil {
			return err
		}
		if !fresh {
			outcome = "duplicate"
			return nil
		}
		outcome, err = s.handle(ctx, tx, sub, cust, now)
		if err != nil {
			return err
		}
		return setEventOutcome(ctx, tx, ev.ID, outcome)
	})
	if err != nil {
		return "", fmt.Errorf("billing %s: event %s (%s): %w", s.o.App, ev.ID, ev.Type, err)
	}
	s.o.Log.InfoContext(ctx, "billing: stripe event", "app", s.o.App, "event", ev.ID, "type", ev.Type, "outcome", outcome)
	return outcome, nil
}

// handle brings the user's row in line with the subscription as Stripe holds it now. The
// event only says which subscription to look at: re-reading it under the user's lock is what
// makes a late or repeated event harmless.
func (s *Service) handle(ctx context.Context, tx bun.Tx, subID, cust string, now time.Time) (string, error) {
	if subID == "" {
		return "ignored", nil
	}
	if cust == "" {
		return "ignored: no customer", nil
	}
	userID, err := customerUser(ctx, tx, cust)
	if errors.Is(err, database.ErrNotFound) {
		// Another module's customer on a shared Stripe account, or one made elsewhere.
		return "ignored: customer unknown here", nil
	}
	if err != nil {
		return "", err
	}
	if err := lockUser(ctx, tx, s.o.App, userID); err != nil {
		return "", err
	}
	p := &stripe.SubscriptionRetrieveParams{}
	sub, err := s.stripe.V1Subscriptions.Retrieve(ctx, subID, p)
	if err != nil {
		return "", fmt.Errorf("re-read subscription %s: %w", subID, err)
	}
	if sub.Customer == nil || sub.Customer.ID != cust {
		return "ignored: subscription belongs to another customer", nil
	}
	return s.sync(ctx, tx, userID, sub, now)
}

// sync writes a subscription's state to the user's row. A row held by another subscription
// that still gives a plan is kept unless this one gives a plan too: the old subscription's
// cancellation must not take away the new one's plan.
func (s *Service) sync(ctx context.Context, tx bun.Tx, userID int64, sub *stripe.Subscription, now time.Time) (string, error) {
	old, err := planOf(ctx, tx, userID)
	if err != nil && !errors.Is(err, database.ErrNotFound) {
		return "", err
	}
	row := &planRow{UserID: userID, Plan: s.o.Free, Status: string(sub.Status), Source: sourceStripe, SubscriptionID: &sub.ID,
		CancelAtPeriodEnd: sub.CancelAtPeriodEnd}
	if sub.Items != nil {
		for _, it := range sub.Items.Data {
			if it.Price == nil {
				continue
			}
			if plan, ok := s.plans[it.Price.ID]; ok && s.rank(plan) > s.rank(row.Plan) {
				row.Plan = plan
			}
			if it.CurrentPeriodEnd > 0 {
				end := time.Unix(it.CurrentPeriodEnd, 0).UTC()
				row.PeriodEnd = &end
			}
		}
	}
	if row.Plan == s.o.Free {
		s.o.Log.WarnContext(ctx, "billing: subscription has no price of a plan sold here", "app", s.o.App, "subscription", sub.ID)
	}
	if sub.Status == stripe.SubscriptionStatusPastDue || sub.Status == stripe.SubscriptionStatusUnpaid {
		grace := now.Add(s.grace)
		if old != nil && old.GraceUntil != nil && old.SubscriptionID != nil && *old.SubscriptionID == sub.ID {
			grace = *old.GraceUntil // the grace period runs from the first failure, not the latest
		}
		row.GraceUntil = &grace
	}
	if old != nil && (old.SubscriptionID == nil || *old.SubscriptionID != sub.ID) &&
		s.effective(old, now) != s.o.Free && s.effective(row, now) == s.o.Free {
		return "kept: another subscription or grant gives the plan", nil
	}
	if err := s.save(ctx, tx, old, row, now); err != nil {
		return "", err
	}
	return "applied: " + string(sub.Status) + " " + s.effective(row, now), nil
}
