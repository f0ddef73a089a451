package billing

import (
	"context"
	"time"

	"github.com/alorig/alorig/shared/database"
	"github.com/uptrace/bun"
)

// The sources of a plan.
const (
	sourceStripe = "stripe"
	sourceGrant  = "grant"
)

// planRow is a row of billing_plans: one per user, the plan they hold and why.
type planRow struct {
	bun.BaseModel     `bun:"table:billing_plans"`
	UserID            int64      `bun:"user_id,pk"`
	Plan              string     `bun:"plan"`
	Status            string     `bun:"status"`
	Source            string     `bun:"source"`
	SubscriptionID    *string    `bun:"stripe_subscription_id"`
	PeriodEnd         *time.Time `bun:"current_period_end"`
	CancelAtPeriodEnd bool       `bun:"cancel_at_period_end"`
	GraceUntil        *time.Time `bun:"grace_until"`
	GrantedUntil      *time.Time `bun:"granted_until"`
	AppliedPlan       string     `bun:"applied_plan"`
	UpdatedAt         time.Time  `bun:"updated_at"`
}

// customerRow is a row of billing_customers: the Stripe customer made for a user.
type customerRow struct {
	bun.BaseModel `bun:"table:billing_customers"`
	UserID        int64     `bun:"user_id,pk"`
	CustomerID    string    `bun:"stripe_customer_id"`
	CreatedAt     time.Time `bun:"created_at"`
}

// eventRow is a row of billing_events: a Stripe event already handled (its id is Stripe's).
type eventRow struct {
	bun.BaseModel `bun:"table:billing_events"`
	ID            string    `bun:"id,pk"`
	Type          string    `bun:"type"`
	CreatedAt     time.Time `bun:"created_at"`
	ReceivedAt    time.Time `bun:"received_at"`
	Outcome       string    `bun:"outcome"`
}

func planOf(ctx context.Context, db bun.IDB, userID int64) (*planRow, error) {
	r := new(planRow)
	if err := db.NewSelect().Model(r).Where("user_id = ?", userID).Scan(ctx); err != nil {
		return nil, database.NoRows(err)
	}
	return r, nil
}

// planNow reads what PlanOf needs, on every request that checks an entitlement: a $n query on
// database/sql, which the driver prepares once per connection, rather than bun's formatted
// text, a new statement for the server to parse each time (about 100 µs against 240 µs).
func planNow(ctx context.Context, db *bun.DB, userID int64) (*planRow, error) {
	r := &planRow{UserID: userID}
	err := db.DB.QueryRowContext(ctx, `SELECT plan, status, source, grace_until, granted_until FROM billing_plans WHERE user_id = $1`, userID).
		Scan(&r.Plan, &r.Status, &r.Source, &r.GraceUntil, &r.GrantedUntil)
	if err != nil {
		return nil, database.NoRows(err)
	}
	return r, nil
}

func upsertPlan(ctx context.Context, db bun.IDB, r *planRow) error {
	_, err := db.NewInsert().Model(r).On("CONFLICT (user_id) DO UPDATE").
		Set("plan = EXCLUDED.plan, status = EXCLUDED.status, source = EXCLUDED.source").
		Set("stripe_subscription_id = EXCLUDED.stripe_subscription_id, current_period_end = EXCLUDED.current_period_end").
		Set("cancel_at_period_end = EXCLUDED.cancel_at_period_end, grace_until = EXCLUDED.grace_until").
		Set("granted_until = EXCLUDED.granted_until, applied_plan = EXCLUDED.applied_plan, updated_at = EXCLUDED.updated_at").
		Exec(ctx)
	return err
}

// lapsing lists users whose plan may have ended by now (a grace period or a grant that ran
// out) while the module still holds them above the free plan.
func lapsing(ctx context.Context, db bun.IDB, free string, now time.Time) ([]int64, error) {
	var ids []int64
	err := db.NewSelect().Model((*planRow)(nil)).Column("user_id").Where("applied_plan <> ?", free).
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("grace_until <= ?", now).WhereOr("granted_until <= ?", now)
		}).Order("user_id").Scan(ctx, &ids)
	return ids, err
}

func customerOf(ctx context.Context, db bun.IDB, userID int64) (string, error) {
	var id string
	if err := db.NewSelect().Model((*customerRow)(nil)).Column("stripe_customer_id").Where("user_id = ?", userID).Scan(ctx, &id); err != nil {
		return "", database.NoRows(err)
	}
	return id, nil
}

func customerUser(ctx context.Context, db bun.IDB, customerID string) (int64, error) {
	var id int64
	if err := db.NewSelect().Model((*customerRow)(nil)).Column("user_id").Where("stripe_customer_id = ?", customerID).Scan(ctx, &id); err != nil {
		return 0, database.NoRows(err)
	}
	return id, nil
}

// insertCustomer keeps the first customer stored for a user; the caller re-reads.
func insertCustomer(ctx context.Context, db bun.IDB, r *customerRow) error {
	_, err := db.NewInsert().Model(r).On("CONFLICT (user_id) DO NOTHING").Exec(ctx)
	return err
}

// recordEvent stores a handled event; false when its id was stored before (a replay).
func recordEvent(ctx context.Context, db bun.IDB, r *eventRow) (bool, error) {
	res, err := db.NewInsert().Model(r).On("CONFLICT (id) DO NOTHING").Exec(ctx)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

func setEventOutcome(ctx context.Context, db bun.IDB, id, outcome string) error {
	_, err := db.NewUpdate().Model((*eventRow)(nil)).Set("outcome = ?", outcome).Where("id = ?", id).Exec(ctx)
	return err
}

func userExists(ctx context.Context, db bun.IDB, userID int64) error {
	ok, err := db.NewSelect().Table("users").Where("id = ?", userID).Exists(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return database.ErrNotFound
	}
	return nil
}

func userByEmail(ctx context.Context, db bun.IDB, email string) (int64, error) {
	var id int64
	if err := db.NewSelect().Table("users").Column("id").Where("email = ?", email).Scan(ctx, &id); err != nil {
		return 0, database.NoRows(err)
	}
	return id, nil
}
