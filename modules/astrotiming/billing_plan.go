package astrotiming

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/billing"
	"github.com/alorig/alorig/shared/jobs"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

// The developer API's paid plans are sold through Stripe (shared/billing). A key's tier is
// what its rate and quota follow, so billing moves the user's live keys with the plan: up when
// it is paid for, down to free with the free limits when it lapses. Nobody raises a key's tier
// above the plan billing holds for them.

// newBilling sells the developer and premium plans.
func (m *Module) newBilling() error {
	base := m.d.Module.PublicURL
	b, err := billing.New(billing.Options{
		App: "astrotiming", Free: engine.PlanFree,
		Plans:  []billing.Plan{{Name: engine.PlanDeveloper, Title: "Developer API"}, {Name: engine.PlanPremium, Title: "Premium"}},
		Config: m.d.Config, DB: m.d.DB, Clock: m.d.Clock, Log: m.d.Log,
		SuccessURL: base + AccountPagePath + "?notice=checkout_done", CancelURL: base + AccountPagePath + "?notice=checkout_cancelled",
		ReturnURL: base + AccountPagePath,
		Apply: func(ctx context.Context, tx bun.Tx, userID int64, plan string) error {
			t, ok := Tier(plan)
			if !ok {
				return fmt.Errorf("astrotiming: no key tier for plan %q", plan)
			}
			return setLiveKeysTier(ctx, tx, userID, t)
		},
	})
	if err != nil {
		return err
	}
	m.billing = b
	if m.d.Workers != nil {
		river.AddWorker(m.d.Workers, &workFunc[BillingSweepArgs]{fn: func(ctx context.Context, _ BillingSweepArgs) error {
			n, err := m.billing.Sweep(ctx)
			if n > 0 {
				m.d.Log.InfoContext(ctx, "billing: lapsed plans moved to free keys", "users", n)
			}
			return err
		}})
	}
	return nil
}

// Billing is the module's billing, for the `alorig billing` command.
func (m *Module) Billing() *billing.Service { return m.billing }

var _ billing.Seller = (*Module)(nil)

// BillingSweepArgs moves users whose grace period or grant has ended down to free keys.
type BillingSweepArgs struct{}

func (BillingSweepArgs) Kind() string { return "astrotiming.billing_sweep" }

func billingSweepJob() *river.PeriodicJob {
	return jobs.Every(5*time.Minute, func() river.JobArgs { return BillingSweepArgs{} }, false)
}

// ErrNoSuchKey is a key id that is not one of the user's live keys.
var ErrNoSuchKey = errors.New("no such API key")

// SetKeyTier moves one of the user's live keys to a tier their plan covers: a key issued
// after the plan was bought starts free, and this is how it joins the plan.
func (m *Module) SetKeyTier(ctx context.Context, userID, keyID int64, tierName string) (*KeyTier, error) {
	t, ok := Tier(tierName)
	if !ok {
		return nil, &PlanError{Need: tierName, Have: ""}
	}
	plan, err := m.billing.PlanOf(ctx, userID)
	if err != nil {
		return nil, err
	}
	if !engine.PlanAtLeast(plan, t.Name) {
		return nil, &PlanError{Need: t.Name, Have: plan}
	}
	k, err := setKeyTier(ctx, m.d.DB, userID, keyID, t)
	if err != nil {
		return nil, err
	}
	return k, nil
}
