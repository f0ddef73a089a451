package billing

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/database"
	"github.com/stripe/stripe-go/v82"
)

// Refusals of the billing endpoints; problem (http.go) gives each its answer.
var (
	ErrNotConfigured     = errors.New("billing is not configured on this server (no Stripe secret key)")
	ErrEmailRequired     = errors.New("billing needs an account with an email address: attach one first (POST /api/v1/auth/email)")
	ErrNotForSale        = errors.New("this plan is not for sale here: no Stripe price is configured for it")
	ErrAlreadySubscribed = errors.New("you already have a subscription: change or cancel it in the billing portal (POST /api/v1/billing/portal)")
	ErrNoCustomer        = errors.New("there is nothing to manage yet: subscribe first (POST /api/v1/billing/checkout)")
)

// UnknownPlanError is a checkout for a plan the module does not sell.
type UnknownPlanError struct {
	Plan  string
	Plans []string
}

func (e *UnknownPlanError) Error() string {
	return fmt.Sprintf("no plan %q: choose one of %v", e.Plan, e.Plans)
}

// newStripeClient is the official client, pointed at base (Stripe, or a fake in tests).
func newStripeClient(key, base string, hc *http.Client, log *slog.Logger) *stripe.Client {
	cfg := &stripe.BackendConfig{HTTPClient: hc, LeveledLogger: slogLogger{log}, MaxNetworkRetries: stripe.Int64(2)}
	if base != "" {
		cfg.URL = stripe.String(base)
	}
	return stripe.NewClient(key, stripe.WithBackends(stripe.NewBackendsWithConfig(cfg)))
}

// slogLogger hands the client's own log lines to slog.
type slogLogger struct{ l *slog.Logger }

func (s slogLogger) Debugf(format string, v ...any) {
	s.l.Debug("stripe: " + fmt.Sprintf(format, v...))
}
func (s slogLogger) Infof(format string, v ...any) { s.l.Debug("stripe: " + fmt.Sprintf(format, v...)) }
func (s slogLogger) Warnf(format string, v ...any) { s.l.Warn("stripe: " + fmt.Sprintf(format, v...)) }
func (s slogLogger) Errorf(format string, v ...any) {
	s.l.Error("stripe: " + fmt.Sprintf(format, v...))
}

// Checkout opens a Stripe Checkout Session for plan and answers its URL. A user who already
// pays for a plan changes it in the portal instead, so nobody is charged twice.
func (s *Service) Checkout(ctx context.Context, u *auth.User, plan string) (string, error) {
	if !s.Configured() {
		return "", ErrNotConfigured
	}
	if s.rank(plan) <= 0 {
		return "", &UnknownPlanError{Plan: plan, Plans: s.planNames()}
	}
	price := s.prices[plan]
	if price == "" {
		return "", ErrNotForSale
	}
	if err := userAllowed(u); err != nil {
		return "", err
	}
	row, err := planOf(ctx, s.o.DB, u.ID)
	if err != nil && !errors.Is(err, database.ErrNotFound) {
		return "", fmt.Errorf("billing %s: plan of user %d: %w", s.o.App, u.ID, err)
	}
	if row != nil && row.Source == sourceStripe && s.effective(row, s.o.Clock.Now()) != s.o.Free {
		return "", ErrAlreadySubscribed
	}
	cust, err := s.customer(ctx, u)
	if err != nil {
		return "", err
	}
	user := strconv.FormatInt(u.ID, 10)
	p := &stripe.CheckoutSessionCreateParams{
		Mode:              stripe.String(string(stripe.CheckoutSessionModeSubscription)),
		Customer:          stripe.String(cust),
		ClientReferenceID: stripe.String(user),
		LineItems:         []*stripe.CheckoutSessionCreateLineItemParams{{Price: stripe.String(price), Quantity: stripe.Int64(1)}},
		SuccessURL:        stripe.String(s.o.SuccessURL),
		CancelURL:         stripe.String(s.o.CancelURL),
		SubscriptionData: &stripe.CheckoutSessionCreateSubscriptionDataParams{
			Metadata: map[string]string{"app": s.o.App, "user_id": user, "plan": plan},
		},
	}
	p.AddMetadata("app", s.o.App)
	p.AddMetadata("user_id", user)
	sess, err := s.stripe.V1CheckoutSessions.Create(ctx, p)
	if err != nil {
		return "", fmt.Errorf("billing %s: create checkout session for user %d: %w", s.o.App, u.ID, err)
	}
	if sess.URL == "" {
		return "", fmt.Errorf("billing %s: checkout session %s has no URL", s.o.App, sess.ID)
	}
	return sess.URL, nil
}

// Portal opens the Stripe Customer Portal for the user and answers its URL.
func (s *Service) Portal(ctx context.Context, u *auth.User) (string, error) {
	if !s.Configured() {
		return "", ErrNotConfigured
	}
	cust, err := customerOf(ctx, s.o.DB, u.ID)
	if errors.Is(err, database.ErrNotFound) {
		return "", ErrNoCustomer
	}
	if err != nil {
		return "", fmt.Errorf("billing %s: customer of user %d: %w", s.o.App, u.ID, err)
	}
	p := &stripe.BillingPortalSessionCreateParams{Customer: stripe.String(cust), ReturnURL: stripe.String(s.o.ReturnURL)}
	sess, err := s.stripe.V1BillingPortalSessions.Create(ctx, p)
	if err != nil {
		return "", fmt.Errorf("billing %s: create portal session for user %d: %w", s.o.App, u.ID, err)
	}
	return sess.URL, nil
}

// customer is the user's Stripe customer, made on first use. The idempotency key makes two
// concurrent first checkouts of one user make one customer at Stripe.
func (s *Service) customer(ctx context.Context, u *auth.User) (string, error) {
	id, err := customerOf(ctx, s.o.DB, u.ID)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, database.ErrNotFound) {
		return "", fmt.Errorf("billing %s: customer of user %d: %w", s.o.App, u.ID, err)
	}
	user := strconv.FormatInt(u.ID, 10)
	p := &stripe.CustomerCreateParams{Email: u.Email}
	if u.DisplayName != "" {
		p.Name = stripe.String(u.DisplayName)
	}
	p.AddMetadata("app", s.o.App)
	p.AddMetadata("user_id", user)
	p.SetIdempotencyKey("alorig-" + s.o.App + "-customer-" + user)
	c, err := s.stripe.V1Customers.Create(ctx, p)
	if err != nil {
		return "", fmt.Errorf("billing %s: create Stripe customer for user %d: %w", s.o.App, u.ID, err)
	}
	if err := insertCustomer(ctx, s.o.DB, &customerRow{UserID: u.ID, CustomerID: c.ID, CreatedAt: s.o.Clock.Now()}); err != nil {
		return "", fmt.Errorf("billing %s: store customer of user %d: %w", s.o.App, u.ID, err)
	}
	return customerOf(ctx, s.o.DB, u.ID)
}
