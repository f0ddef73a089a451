// Package billing sells a module's plans through Stripe: a Checkout Session to subscribe, the
// Customer Portal to change or cancel, and signed webhooks (/webhooks/stripe) that move the
// user's plan in the module's own database. What a user may use is read from that database
// (billing_plans), never from what a client sends.
//
// Stripe's subscription object is the truth: every event re-reads the subscription it concerns
// (under a per-user lock), so a late, replayed or out-of-order event can only confirm the
// current state, never bring back an old one. A past-due subscription keeps its plan for the
// grace period, then lapses; Sweep moves lapsed users down.
//
// Without a Stripe secret key billing says so (503 BILLING_NOT_CONFIGURED) and plans come only
// from Grant, which the `alorig billing grant` command calls; no HTTP route grants a plan.
package billing

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/alorig/alorig/config"
	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/clock"
	"github.com/alorig/alorig/shared/database"
	"github.com/stripe/stripe-go/v82"
	"github.com/uptrace/bun"
)

// Plan is a paid plan a module sells.
type Plan struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	// ForSale: a Stripe price is configured for it, so Checkout can sell it.
	ForSale bool `json:"for_sale"`
}

// Options build a Service. App, Free, Plans, DB, Clock and Apply are required.
type Options struct {
	App string
	// Free is the plan everyone holds without paying ("core", "free").
	Free string
	// Plans are the paid plans, cheapest first: a later plan includes the earlier ones.
	Plans []Plan
	// Config supplies the module's Stripe account (Config.Billing.Modules[App]), Stripe's API
	// base and the grace period.
	Config *config.Config
	// SuccessURL and CancelURL are where Checkout sends the user back; ReturnURL is the
	// portal's way back. Absolute URLs on the module's public origin.
	SuccessURL, CancelURL, ReturnURL string
	DB                               *bun.DB
	Clock                            clock.Clock
	Log                              *slog.Logger
	// Apply moves the module's own state to plan (Free when a plan lapses) in the transaction
	// that changed the user's billing row, so the two never disagree.
	Apply func(ctx context.Context, tx bun.Tx, userID int64, plan string) error
	// HTTPClient calls Stripe; nil uses one with a 10 s timeout.
	HTTPClient *http.Client
	// Tolerance is how old (or how far ahead) a webhook's signed timestamp may be; 0 is
	// Stripe's 5 minutes.
	Tolerance time.Duration
}

// Service is one module's billing.
type Service struct {
	o      Options
	grace  time.Duration
	prices map[string]string // plan → Stripe price
	plans  map[string]string // Stripe price → plan
	secret string
	hook   string
	stripe *stripe.Client // nil when not configured
}

// DefaultTolerance is Stripe's own default for webhook timestamps.
const DefaultTolerance = 5 * time.Minute

// New checks the options and the module's Stripe settings. A price configured for a plan the
// module does not sell is an error: a typo must not sell nothing, or the wrong thing.
func New(o Options) (*Service, error) {
	if o.App == "" || o.Free == "" || len(o.Plans) == 0 || o.DB == nil || o.Clock == nil || o.Apply == nil || o.Config == nil {
		return nil, errors.New("billing: App, Free, Plans, Config, DB, Clock and Apply are required")
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Tolerance <= 0 {
		o.Tolerance = DefaultTolerance
	}
	acct := o.Config.Billing.Modules[o.App]
	s := &Service{o: o, grace: o.Config.Billing.Grace, prices: map[string]string{}, plans: map[string]string{},
		secret: acct.SecretKey, hook: acct.WebhookSecret}
	if s.grace <= 0 {
		s.grace = 7 * 24 * time.Hour
	}
	for plan, price := range acct.Prices {
		if s.rank(plan) <= 0 {
			return nil, fmt.Errorf("billing: ALORIG_%s_STRIPE_PRICES names plan %q; %s sells %s", strings.ToUpper(o.App), plan, o.App, strings.Join(s.planNames(), ", "))
		}
		s.prices[plan], s.plans[price] = price, plan
	}
	if s.secret != "" {
		hc := o.HTTPClient
		if hc == nil {
			hc = &http.Client{Timeout: 10 * time.Second}
		}
		s.stripe = newStripeClient(s.secret, o.Config.Billing.APIBase, hc, o.Log)
	}
	return s, nil
}

// Configured reports whether a Stripe secret key is set.
func (s *Service) Configured() bool { return s.stripe != nil }

// App is the module this service sells for.
func (s *Service) App() string { return s.o.App }

// Free is the plan a user holds without paying.
func (s *Service) Free() string { return s.o.Free }

func (s *Service) planNames() []string {
	out := make([]string, len(s.o.Plans))
	for i, p := range s.o.Plans {
		out[i] = p.Name
	}
	return out
}

// rank is 0 for the free plan, i+1 for Plans[i], -1 for a plan the module does not sell.
func (s *Service) rank(plan string) int {
	if plan == s.o.Free {
		return 0
	}
	if i := slices.IndexFunc(s.o.Plans, func(p Plan) bool { return p.Name == plan }); i >= 0 {
		return i + 1
	}
	return -1
}

// Known reports whether plan is the free plan or one the module sells.
func (s *Service) Known(plan string) bool { return s.rank(plan) >= 0 }

// Covers reports whether holding plan gives what need needs.
func (s *Service) Covers(plan, need string) bool {
	return s.rank(plan) >= s.rank(need) && s.rank(need) >= 0
}

// Plans are the paid plans, each saying whether Checkout can sell it.
func (s *Service) Plans() []Plan {
	out := slices.Clone(s.o.Plans)
	for i := range out {
		out[i].ForSale = s.Configured() && s.prices[out[i].Name] != ""
	}
	return out
}

// PlanOf is the plan the user holds now, from the database.
func (s *Service) PlanOf(ctx context.Context, userID int64) (string, error) {
	row, err := planNow(ctx, s.o.DB, userID)
	if errors.Is(err, database.ErrNotFound) {
		return s.o.Free, nil
	}
	if err != nil {
		return "", fmt.Errorf("billing %s: plan of user %d: %w", s.o.App, userID, err)
	}
	return s.effective(row, s.o.Clock.Now()), nil
}

// Entitled reports whether the user's plan covers need.
func (s *Service) Entitled(ctx context.Context, userID int64, need string) (bool, error) {
	plan, err := s.PlanOf(ctx, userID)
	if err != nil {
		return false, err
	}
	return s.Covers(plan, need), nil
}

// effective is the plan a row gives at now: a grant until its end; a Stripe subscription while
// active or trialing, and while past due or unpaid until the grace period ends.
func (s *Service) effective(r *planRow, now time.Time) string {
	if r == nil || s.rank(r.Plan) <= 0 {
		return s.o.Free
	}
	if r.Source == sourceGrant {
		if r.GrantedUntil != nil && !now.Before(*r.GrantedUntil) {
			return s.o.Free
		}
		return r.Plan
	}
	switch r.Status {
	case "active", "trialing":
		return r.Plan
	case "past_due", "unpaid":
		if r.GraceUntil != nil && now.Before(*r.GraceUntil) {
			return r.Plan
		}
	}
	return s.o.Free
}

// Status is what GET /api/v1/billing answers: the plan the user holds and what they can do.
type Status struct {
	App  string `json:"app"`
	Plan string `json:"plan" doc:"the plan held now, read from the server's records"`
	// Status is Stripe's subscription status, "granted", or "none".
	Status            string     `json:"status" doc:"none, granted, or Stripe's subscription status (active, trialing, past_due, unpaid, canceled, incomplete…)"`
	Source            string     `json:"source,omitempty" enum:"stripe,grant"`
	PeriodEnd         *time.Time `json:"period_end,omitempty" doc:"end of the paid period (renewal, or the end when cancelling)"`
	CancelAtPeriodEnd bool       `json:"cancel_at_period_end"`
	GraceUntil        *time.Time `json:"grace_until,omitempty" doc:"a payment failed: the plan holds until then"`
	GrantedUntil      *time.Time `json:"granted_until,omitempty"`
	// UpgradeAvailable: a plan above the current one is for sale and Checkout can sell it.
	UpgradeAvailable bool `json:"upgrade_available"`
	// ManageAvailable: the user has a Stripe customer, so the portal can open.
	ManageAvailable bool   `json:"manage_available"`
	Configured      bool   `json:"configured" doc:"false: Stripe is not configured on this server"`
	Plans           []Plan `json:"plans"`
}

// StatusOf reads the user's plan and what billing can do for them.
func (s *Service) StatusOf(ctx context.Context, userID int64) (*Status, error) {
	now := s.o.Clock.Now()
	st := &Status{App: s.o.App, Plan: s.o.Free, Status: "none", Configured: s.Configured(), Plans: s.Plans()}
	row, err := planOf(ctx, s.o.DB, userID)
	switch {
	case errors.Is(err, database.ErrNotFound):
	case err != nil:
		return nil, fmt.Errorf("billing %s: plan of user %d: %w", s.o.App, userID, err)
	default:
		st.Plan, st.Status, st.Source = s.effective(row, now), row.Status, row.Source
		st.PeriodEnd, st.CancelAtPeriodEnd, st.GraceUntil, st.GrantedUntil = row.PeriodEnd, row.CancelAtPeriodEnd, row.GraceUntil, row.GrantedUntil
	}
	if _, err := customerOf(ctx, s.o.DB, userID); err == nil {
		st.ManageAvailable = s.Configured()
	} else if !errors.Is(err, database.ErrNotFound) {
		return nil, fmt.Errorf("billing %s: customer of user %d: %w", s.o.App, userID, err)
	}
	subscribed := row != nil && row.Source == sourceStripe && st.Plan != s.o.Free
	for _, p := range st.Plans {
		if p.ForSale && s.rank(p.Name) > s.rank(st.Plan) && !subscribed {
			st.UpgradeAvailable = true
		}
	}
	return st, nil
}

// Grant gives a user a plan without Stripe, until until (nil: until revoked); granting the
// free plan revokes. Only the command line calls it.
func (s *Service) Grant(ctx context.Context, userID int64, plan string, until *time.Time) error {
	if !s.Known(plan) {
		return fmt.Errorf("billing %s: no plan %q: the plans are %s and %s", s.o.App, plan, s.o.Free, strings.Join(s.planNames(), ", "))
	}
	now := s.o.Clock.Now()
	return s.o.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := lockUser(ctx, tx, s.o.App, userID); err != nil {
			return err
		}
		if err := userExists(ctx, tx, userID); err != nil {
			return fmt.Errorf("billing %s: user %d: %w", s.o.App, userID, err)
		}
		old, err := planOf(ctx, tx, userID)
		if err != nil && !errors.Is(err, database.ErrNotFound) {
			return err
		}
		row := &planRow{UserID: userID, Plan: plan, Status: "granted", Source: sourceGrant, GrantedUntil: until, UpdatedAt: now}
		if plan == s.o.Free {
			row.Status = "revoked"
		}
		return s.save(ctx, tx, old, row, now)
	})
}

// save writes row and, when the plan it gives differs from the one last applied, moves the
// module's state in the same transaction.
func (s *Service) save(ctx context.Context, tx bun.Tx, old, row *planRow, now time.Time) error {
	applied := s.o.Free
	if old != nil {
		applied = old.AppliedPlan // old may be row itself (Sweep)
	}
	row.AppliedPlan = applied
	want := s.effective(row, now)
	if want != row.AppliedPlan {
		if err := s.o.Apply(ctx, tx, row.UserID, want); err != nil {
			return fmt.Errorf("billing %s: move user %d to plan %s: %w", s.o.App, row.UserID, want, err)
		}
		s.o.Log.InfoContext(ctx, "billing: plan changed", "app", s.o.App, "user_id", row.UserID, "from", row.AppliedPlan, "to", want, "status", row.Status)
		row.AppliedPlan = want
	}
	row.UpdatedAt = now
	return upsertPlan(ctx, tx, row)
}

// Sweep moves down every user whose grace period or grant has ended; the worker runs it
// periodically. It answers how many users moved.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	now := s.o.Clock.Now()
	ids, err := lapsing(ctx, s.o.DB, s.o.Free, now)
	if err != nil {
		return 0, fmt.Errorf("billing %s: lapsing plans: %w", s.o.App, err)
	}
	moved := 0
	for _, id := range ids {
		err := s.o.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if err := lockUser(ctx, tx, s.o.App, id); err != nil {
				return err
			}
			row, err := planOf(ctx, tx, id)
			if err != nil {
				return err
			}
			before := row.AppliedPlan
			if err := s.save(ctx, tx, row, row, now); err != nil {
				return err
			}
			if row.AppliedPlan != before {
				moved++
			}
			return nil
		})
		if err != nil {
			return moved, err
		}
	}
	return moved, nil
}

// UserID resolves a user named by id or email, for the command line.
func (s *Service) UserID(ctx context.Context, who string) (int64, error) {
	if id, err := strconv.ParseInt(who, 10, 64); err == nil {
		if err := userExists(ctx, s.o.DB, id); err != nil {
			return 0, fmt.Errorf("billing %s: no user %d", s.o.App, id)
		}
		return id, nil
	}
	id, err := userByEmail(ctx, s.o.DB, who)
	if err != nil {
		return 0, fmt.Errorf("billing %s: no user with email %q", s.o.App, who)
	}
	return id, nil
}

// lockUser serialises billing changes of one user in this module's database: two webhooks for
// the same subscription apply one after the other, each re-reading Stripe inside the lock.
func lockUser(ctx context.Context, tx bun.Tx, app string, userID int64) error {
	h := fnv.New64a()
	fmt.Fprintf(h, "billing:%s:%d", app, userID)
	_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(?)", int64(h.Sum64()))
	return err
}

// Seller is a module that sells plans; the `alorig billing` command reaches billing through it.
type Seller interface {
	Billing() *Service
}

// userAllowed refuses accounts Stripe could not send a receipt to.
func userAllowed(u *auth.User) error {
	if u == nil {
		return errors.New("billing: no signed-in user")
	}
	if u.Anonymous || u.Email == nil || *u.Email == "" {
		return ErrEmailRequired
	}
	return nil
}
