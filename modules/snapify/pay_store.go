package snapify

import (
	"context"
	"fmt"
	"time"

	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/tenant"
	"github.com/uptrace/bun"
)

// Queries of the payments and payment_callbacks tables (migration 20261220030000_payments).

// Payment is one Pro checkout: pending until a verified callback settles it, then paid or
// failed for good.
type Payment struct {
	bun.BaseModel  `bun:"table:payments"`
	ID             int64      `bun:"id,pk,autoincrement" json:"-"`
	StoreID        int64      `bun:"store_id" json:"-"`
	UserID         int64      `bun:"user_id" json:"-"`
	Gateway        string     `bun:"gateway" json:"gateway" enum:"jazzcash,easypaisa"`
	Ref            string     `bun:"ref" json:"ref" doc:"our reference, as the gateway shows it (pp_TxnRefNo, orderRefNum)"`
	Plan           string     `bun:"plan" json:"plan"`
	Months         int        `bun:"months" json:"months"`
	AmountPaisa    int64      `bun:"amount_paisa" json:"amount_paisa"`
	Status         string     `bun:"status" json:"status" enum:"pending,paid,failed"`
	GatewayCode    string     `bun:"gateway_code" json:"gateway_code,omitempty"`
	GatewayMessage string     `bun:"gateway_message" json:"gateway_message,omitempty"`
	GatewayTxn     string     `bun:"gateway_txn" json:"gateway_txn,omitempty"`
	PeriodStart    *time.Time `bun:"period_start" json:"period_start,omitempty"`
	PeriodEnd      *time.Time `bun:"period_end" json:"period_end,omitempty"`
	ExpiresAt      time.Time  `bun:"expires_at" json:"expires_at" doc:"the gateway refuses the checkout after this"`
	PaidAt         *time.Time `bun:"paid_at" json:"paid_at,omitempty"`
	CreatedAt      time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt      time.Time  `bun:"updated_at" json:"-"`
}

// paymentCallback is one callback received, accepted or refused.
type paymentCallback struct {
	bun.BaseModel `bun:"table:payment_callbacks"`
	ID            int64             `bun:"id,pk,autoincrement"`
	Gateway       string            `bun:"gateway"`
	Ref           string            `bun:"ref"`
	PaymentID     *int64            `bun:"payment_id"`
	Outcome       string            `bun:"outcome"`
	Reason        string            `bun:"reason"`
	Fields        map[string]string `bun:"fields,type:jsonb"`
	ReceivedAt    time.Time         `bun:"received_at"`
}

func insertPayment(ctx context.Context, db bun.IDB, p *Payment) error {
	if _, err := db.NewInsert().Model(p).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("snapify: record payment %s: %w", p.Ref, err)
	}
	return nil
}

// lockPaymentByRef loads the payment with reference ref for update, or database.ErrNotFound.
// A callback names no store, so this spans stores; the row it finds says which store it is.
func lockPaymentByRef(ctx context.Context, tx bun.IDB, ref string) (*Payment, error) {
	p := new(Payment)
	if err := tx.NewSelect().Model(p).Where("ref = ?", ref).For("UPDATE").Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: payment %s: %w", ref, database.NoRows(err))
	}
	return p, nil
}

// paymentByRef reads a payment without locking it.
func paymentByRef(ctx context.Context, db bun.IDB, ref string) (*Payment, error) {
	p := new(Payment)
	if err := db.NewSelect().Model(p).Where("ref = ?", ref).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: payment %s: %w", ref, database.NoRows(err))
	}
	return p, nil
}

// paymentsOf lists a store's last payments, newest first.
func paymentsOf(ctx context.Context, db bun.IDB, t storeScope, limit int) ([]Payment, error) {
	var out []Payment
	if err := tenant.Filter(db.NewSelect().Model(&out), t, "store_id").Order("created_at DESC", "id DESC").Limit(limit).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: payments of store %d: %w", t.ID(), err)
	}
	if out == nil {
		out = []Payment{}
	}
	return out, nil
}

func insertPaymentCallback(ctx context.Context, db bun.IDB, c *paymentCallback) error {
	if c.Fields == nil {
		c.Fields = map[string]string{}
	}
	if _, err := db.NewInsert().Model(c).Exec(ctx); err != nil {
		return fmt.Errorf("snapify: record %s callback: %w", c.Gateway, err)
	}
	return nil
}

// lockSubscription reads a store's subscription for update.
func lockSubscription(ctx context.Context, tx bun.IDB, storeID int64) (*Subscription, error) {
	sub := new(Subscription)
	if err := tx.NewSelect().Model(sub).Where("store_id = ?", storeID).For("UPDATE").Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: subscription of store %d: %w", storeID, database.NoRows(err))
	}
	return sub, nil
}

// lapsingSubscriptions are Pro subscriptions whose period ended (status active, renews_at
// passed: they enter grace) or whose grace ended (status past_due): the expiry job's work.
func lapsingSubscriptions(ctx context.Context, db bun.IDB, now time.Time, limit int) ([]Subscription, error) {
	var out []Subscription
	if err := db.NewSelect().Model(&out).Where("plan = 'pro'").
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("status = 'active' AND renews_at IS NOT NULL AND renews_at <= ?", now).
				WhereOr("status = 'past_due' AND grace_until IS NOT NULL AND grace_until <= ?", now)
		}).Order("renews_at").Limit(limit).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: lapsing subscriptions: %w", err)
	}
	return out, nil
}
