package snapify

import (
	"context"
	"fmt"

	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/tenant"
	"github.com/uptrace/bun"
)

func productBySlug(ctx context.Context, db bun.IDB, t storeScope, slug string) (*Product, error) {
	p := new(Product)
	if err := tenant.Select(db.NewSelect().Model(p), t, "store_id").Where("slug = ?", slug).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: product %q of store %d: %w", slug, t.ID(), database.NoRows(err))
	}
	return p, nil
}

func productByID(ctx context.Context, db bun.IDB, t storeScope, id int64) (*Product, error) {
	p := new(Product)
	if err := tenant.Select(db.NewSelect().Model(p), t, "store_id").Where("id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: product %d of store %d: %w", id, t.ID(), database.NoRows(err))
	}
	return p, nil
}

// productQuery lists products of a store, newest first.
type productQuery struct {
	CategoryID *int64
	ActiveOnly bool
	ExcludeID  int64
	Limit      int
	Offset     int
}

func listProducts(ctx context.Context, db bun.IDB, t storeScope, q productQuery) ([]Product, int, error) {
	var out []Product
	sel := tenant.Select(db.NewSelect().Model(&out), t, "store_id").OrderExpr("created_at DESC, id DESC")
	if q.CategoryID != nil {
		sel = sel.Where("category_id = ?", *q.CategoryID)
	}
	if q.ActiveOnly {
		sel = sel.Where("status = 'active'")
	}
	if q.ExcludeID != 0 {
		sel = sel.Where("id <> ?", q.ExcludeID)
	}
	if q.Limit <= 0 {
		q.Limit = 24
	}
	sel = sel.Limit(q.Limit).Offset(q.Offset)
	n, err := sel.ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("snapify: products of store %d: %w", t.ID(), err)
	}
	return out, n, nil
}

// reserveStock takes qty of a product off the shelf; false when fewer than qty are left
// (the check and the decrement are one statement, so parallel orders cannot oversell).
func reserveStock(ctx context.Context, tx bun.IDB, t storeScope, productID int64, qty int) (bool, error) {
	res, err := tx.NewRaw("UPDATE products SET stock = stock - ? WHERE store_id = ? AND id = ? AND stock >= ?",
		qty, t.ID(), productID, qty).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("snapify: reserve stock of product %d: %w", productID, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// restockProduct puts qty of a product back on the shelf; products without stock tracking
// are left alone.
func restockProduct(ctx context.Context, tx bun.IDB, t storeScope, productID int64, qty int) error {
	if _, err := tx.NewRaw("UPDATE products SET stock = stock + ? WHERE store_id = ? AND id = ? AND stock IS NOT NULL",
		qty, t.ID(), productID).Exec(ctx); err != nil {
		return fmt.Errorf("snapify: restock product %d: %w", productID, err)
	}
	return nil
}

// itemSlugTaken says whether slug names another product or category of the store: both live
// at /{store}/{slug}, so they share one namespace. exceptProduct and exceptCategory are the
// item being renamed (0 for none).
func itemSlugTaken(ctx context.Context, db bun.IDB, t storeScope, slug string, exceptProduct, exceptCategory int64) (bool, error) {
	var taken bool
	err := db.NewRaw(`SELECT EXISTS (SELECT 1 FROM products WHERE store_id = ? AND slug = ? AND id <> ?)
			OR EXISTS (SELECT 1 FROM categories WHERE store_id = ? AND slug = ? AND id <> ?)`,
		t.ID(), slug, exceptProduct, t.ID(), slug, exceptCategory).Scan(ctx, &taken)
	if err != nil {
		return false, fmt.Errorf("snapify: slug check: %w", err)
	}
	return taken, nil
}

// insertProduct adds p to the store's products, reading back its id.
func insertProduct(ctx context.Context, tx bun.IDB, t storeScope, p *Product) error {
	p.StoreID = t.ID()
	if _, err := tx.NewInsert().Model(p).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("snapify: insert product of store %d: %w", t.ID(), err)
	}
	return nil
}

// lockProduct loads one of the store's products with its row locked until the transaction ends.
func lockProduct(ctx context.Context, tx bun.IDB, t storeScope, id int64) (*Product, error) {
	p := new(Product)
	if err := tenant.Filter(tx.NewSelect().Model(p), t, "store_id").Where("id = ?", id).For("UPDATE").Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: product %d of store %d: %w", id, t.ID(), database.NoRows(err))
	}
	return p, nil
}

// updateProduct writes every column of p.
func updateProduct(ctx context.Context, tx bun.IDB, t storeScope, p *Product) error {
	if _, err := tenant.Filter(tx.NewUpdate().Model(p), t, "store_id").WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("snapify: update product %d: %w", p.ID, err)
	}
	return nil
}

// deleteProduct removes one of the store's products, or is database.ErrNotFound.
func deleteProduct(ctx context.Context, tx bun.IDB, t storeScope, id int64) error {
	res, err := tenant.Delete(tx.NewDelete().Model((*Product)(nil)), t, "store_id").Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("snapify: delete product %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("snapify: product %d of store %d: %w", id, t.ID(), database.ErrNotFound)
	}
	return nil
}
