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
