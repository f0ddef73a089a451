package snapify

import (
	"context"
	"fmt"

	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/tenant"
	"github.com/uptrace/bun"
)

func orderByID(ctx context.Context, db bun.IDB, t storeScope, id int64) (*Order, error) {
	o := new(Order)
	if err := tenant.Select(db.NewSelect().Model(o), t, "store_id").Where("id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: order %d of store %d: %w", id, t.ID(), database.NoRows(err))
	}
	return o, nil
}

func orderByNumber(ctx context.Context, db bun.IDB, t storeScope, number string) (*Order, error) {
	o := new(Order)
	if err := tenant.Select(db.NewSelect().Model(o), t, "store_id").Where("number = ?", number).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: order %s of store %d: %w", number, t.ID(), database.NoRows(err))
	}
	return o, nil
}

func listOrders(ctx context.Context, db bun.IDB, t storeScope, status string, limit, offset int) ([]Order, int, error) {
	var out []Order
	sel := tenant.Select(db.NewSelect().Model(&out), t, "store_id").OrderExpr("created_at DESC, id DESC").Limit(limit).Offset(offset)
	if status != "" {
		sel = sel.Where("status = ?", status)
	}
	n, err := sel.ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("snapify: orders of store %d: %w", t.ID(), err)
	}
	return out, n, nil
}

// orderByIdempotencyKey is the order a key already created, or database.ErrNotFound.
func orderByIdempotencyKey(ctx context.Context, db bun.IDB, t storeScope, key string) (*Order, error) {
	o := new(Order)
	if err := tenant.Filter(db.NewSelect().Model(o), t, "store_id").Where("idempotency_key = ?", key).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: idempotency lookup: %w", database.NoRows(err))
	}
	return o, nil
}

// insertOrder adds o to the store's orders, reading back its id.
func insertOrder(ctx context.Context, tx bun.IDB, t storeScope, o *Order) error {
	o.StoreID = t.ID()
	if _, err := tx.NewInsert().Model(o).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("snapify: insert order of store %d: %w", t.ID(), err)
	}
	return nil
}

// lockOrder loads one of the store's orders with its row locked until the transaction ends,
// so two status changes of one order run one after the other.
func lockOrder(ctx context.Context, tx bun.IDB, t storeScope, id int64) (*Order, error) {
	o := new(Order)
	if err := tenant.Filter(tx.NewSelect().Model(o), t, "store_id").Where("id = ?", id).For("UPDATE").Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: order %d of store %d: %w", id, t.ID(), database.NoRows(err))
	}
	return o, nil
}

// updateOrderStatus writes o's status, its time and tracking number.
func updateOrderStatus(ctx context.Context, tx bun.IDB, t storeScope, o *Order) error {
	if _, err := tx.NewUpdate().Model(o).Column("status", "status_changed_at", "updated_at", "tracking_number").
		Where("store_id = ?", t.ID()).WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("snapify: update order %d: %w", o.ID, err)
	}
	return nil
}
