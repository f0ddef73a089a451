package psydge

import (
	"context"
	"errors"

	"github.com/alorig/alorig/shared/billing"
	"github.com/labstack/echo/v4"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

// Psydge's tiers (the seed's subscription_tier): Core is the discipline engine, free; Vista
// adds the strategy suite and its signals, sold through Stripe (shared/billing).
const (
	TierCore  = "core"
	TierVista = "vista"
)

// newBilling sells Vista. The user's tier column follows the plan billing holds for them, in
// the same transaction as the billing row, so the profile and the gate always agree.
func (m *Module) newBilling() error {
	base := m.d.Module.PublicURL
	b, err := billing.New(billing.Options{
		App: "psydge", Free: TierCore, Plans: []billing.Plan{{Name: TierVista, Title: "Vista Strategies"}},
		Config: m.d.Config, DB: m.d.DB, Clock: m.d.Clock, Log: m.d.Log,
		SuccessURL: base + "/app/?billing=success", CancelURL: base + "/app/?billing=cancelled", ReturnURL: base + "/app/",
		Apply: func(ctx context.Context, tx bun.Tx, userID int64, plan string) error {
			return setSubscriptionTier(ctx, tx, userID, plan, m.d.Clock.Now())
		},
	})
	if err != nil {
		return err
	}
	m.billing = b
	if m.d.Workers != nil {
		river.AddWorker(m.d.Workers, &billingSweepWorker{m: m})
	}
	return nil
}

// Billing is the module's billing, for the `alorig billing` command.
func (m *Module) Billing() *billing.Service { return m.billing }

var _ billing.Seller = (*Module)(nil)

// ErrVistaRequired refuses Vista to a user whose plan does not include it (403 VISTA_REQUIRED).
var ErrVistaRequired = errors.New("the Vista strategies are part of the Vista plan: subscribe with POST /api/v1/billing/checkout {\"plan\":\"vista\"}")

// requireVista admits a user whose plan, as billing holds it, includes Vista.
func (m *Module) requireVista(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ok, err := m.billing.Entitled(c.Request().Context(), uid(c), TierVista)
		if err != nil {
			return err
		}
		if !ok {
			return ErrVistaRequired
		}
		return next(c)
	}
}

// BillingSweepArgs moves users whose grace period or grant has ended down to Core.
type BillingSweepArgs struct{}

func (BillingSweepArgs) Kind() string { return "psydge.billing_sweep" }

type billingSweepWorker struct {
	river.WorkerDefaults[BillingSweepArgs]
	m *Module
}

func (w *billingSweepWorker) Work(ctx context.Context, _ *river.Job[BillingSweepArgs]) error {
	n, err := w.m.billing.Sweep(ctx)
	if n > 0 {
		w.m.d.Log.InfoContext(ctx, "billing: lapsed plans moved to core", "users", n)
	}
	return err
}
