package snapify

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

// The Pro plan's end. When a paid period ends (renews_at passes) the subscription becomes
// past_due and the store keeps its Pro features for the grace days (ALORIG_SNAPIFY_PRO_GRACE_DAYS,
// 3 by default: time for a seller whose wallet was short on the day to pay without their
// custom domain going dark); when the grace ends too, the store moves to Free: its custom
// domain claim is dropped and its city pages answer 404 (both key off stores.tier). The
// seller is told at each step by WhatsApp and, when the store has an address, by email.
// Products over the Free limit stay listed; only adding more is refused.

// ExpirePlansArgs runs the expiry (hourly, so a period ends within the hour of its time).
type ExpirePlansArgs struct{}

func (ExpirePlansArgs) Kind() string { return "snapify.expire_plans" }

type expireWorker struct {
	river.WorkerDefaults[ExpirePlansArgs]
	m *Module
}

// registerPayWorkers adds the expiry and the notices.
func (m *Module) registerPayWorkers() {
	river.AddWorker(m.d.Workers, &expireWorker{m: m})
	river.AddWorker(m.d.Workers, &planNoticeWorker{m: m})
}

func (w *expireWorker) Work(ctx context.Context, _ *river.Job[ExpirePlansArgs]) error {
	_, _, err := w.m.ExpirePlans(ctx)
	return err
}

// ExpirePlans moves Pro subscriptions whose period ended into grace, and those whose grace
// ended to Free; it returns how many of each.
func (m *Module) ExpirePlans(ctx context.Context) (graced, lapsed int, err error) {
	now := m.d.Clock.Now()
	for {
		subs, err := lapsingSubscriptions(ctx, m.d.DB, now, 200)
		if err != nil || len(subs) == 0 {
			return graced, lapsed, err
		}
		progress := false
		for _, sub := range subs {
			g, l, err := m.expireOne(ctx, sub.StoreID, now)
			if err != nil {
				return graced, lapsed, err
			}
			graced, lapsed = graced+g, lapsed+l
			progress = progress || g+l > 0
		}
		if !progress {
			return graced, lapsed, nil
		}
	}
}

// expireOne moves one store's plan along, re-reading it locked: a payment may have landed
// since the list was read.
func (m *Module) expireOne(ctx context.Context, storeID int64, now time.Time) (graced, lapsed int, err error) {
	var oldDomain string
	err = m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		sub, err := lockSubscription(ctx, tx, storeID)
		if err != nil {
			return err
		}
		if sub.Plan != "pro" {
			return nil
		}
		s, err := platformStore(ctx, tx, storeID)
		if err != nil {
			return err
		}
		if sub.Status == "active" && sub.RenewsAt != nil && !sub.RenewsAt.After(now) {
			until := sub.RenewsAt.AddDate(0, 0, m.pay.graceDays)
			if _, err := tx.NewRaw("UPDATE subscriptions SET status = 'past_due', grace_until = ?, updated_at = ? WHERE store_id = ?",
				until, now, storeID).Exec(ctx); err != nil {
				return fmt.Errorf("snapify: grace for store %d: %w", storeID, err)
			}
			sub.Status, sub.GraceUntil = "past_due", &until
			graced = 1
			if until.After(now) {
				return m.queuePlanNotices(ctx, tx, s, noticeGrace, 0, until)
			}
		}
		if sub.Status == "past_due" && sub.GraceUntil != nil && !sub.GraceUntil.After(now) {
			if s.CustomDomain != nil {
				oldDomain = *s.CustomDomain
			}
			if err := setStorePlan(ctx, tx, s, "free", 0, nil, now); err != nil {
				return err
			}
			if _, err := tx.NewRaw("UPDATE subscriptions SET grace_until = NULL, payment_method = '' WHERE store_id = ?", storeID).Exec(ctx); err != nil {
				return fmt.Errorf("snapify: lapse store %d: %w", storeID, err)
			}
			// The cached pages go, under the domain the store had too.
			if _, err := m.d.Jobs.InsertTx(ctx, tx, InvalidateStoreCacheArgs{StoreID: s.ID, Slug: s.Slug, Domain: oldDomain}, nil); err != nil {
				return fmt.Errorf("snapify: enqueue cache invalidation of store %d: %w", s.ID, err)
			}
			lapsed = 1
			return m.queuePlanNotices(ctx, tx, s, noticeLapsed, 0, *sub.GraceUntil)
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	_ = m.forgetDomain(ctx, oldDomain)
	return graced, lapsed, nil
}
