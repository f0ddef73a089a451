package snapify

import (
	"context"
	"fmt"

	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/tenant"
	"github.com/uptrace/bun"
)

func listCategories(ctx context.Context, db bun.IDB, t storeScope) ([]Category, error) {
	var out []Category
	if err := tenant.Select(db.NewSelect().Model(&out), t, "store_id").OrderExpr("position, name").Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: categories of store %d: %w", t.ID(), err)
	}
	return out, nil
}

func categoryBySlug(ctx context.Context, db bun.IDB, t storeScope, slug string) (*Category, error) {
	c := new(Category)
	if err := tenant.Select(db.NewSelect().Model(c), t, "store_id").Where("slug = ?", slug).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: category %q of store %d: %w", slug, t.ID(), database.NoRows(err))
	}
	return c, nil
}

func categoryByID(ctx context.Context, db bun.IDB, t storeScope, id int64) (*Category, error) {
	c := new(Category)
	if err := tenant.Select(db.NewSelect().Model(c), t, "store_id").Where("id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: category %d of store %d: %w", id, t.ID(), database.NoRows(err))
	}
	return c, nil
}

// lockCategory loads one of the store's categories with its row locked until the transaction ends.
func lockCategory(ctx context.Context, tx bun.IDB, t storeScope, id int64) (*Category, error) {
	c := new(Category)
	if err := tenant.Filter(tx.NewSelect().Model(c), t, "store_id").Where("id = ?", id).For("UPDATE").Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: category %d of store %d: %w", id, t.ID(), database.NoRows(err))
	}
	return c, nil
}

// insertCategory adds c to the store's categories, reading back its id and product count.
func insertCategory(ctx context.Context, tx bun.IDB, t storeScope, c *Category) error {
	c.StoreID = t.ID()
	if _, err := tx.NewInsert().Model(c).Returning("id, product_count").Exec(ctx); err != nil {
		return fmt.Errorf("snapify: save category of store %d: %w", t.ID(), err)
	}
	return nil
}

// updateCategory writes the columns a seller may change.
func updateCategory(ctx context.Context, tx bun.IDB, t storeScope, c *Category) error {
	if _, err := tx.NewUpdate().Model(c).Column("name", "slug", "intro", "position", "updated_at").
		Where("store_id = ?", t.ID()).WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("snapify: save category of store %d: %w", t.ID(), err)
	}
	return nil
}

// deleteCategory removes one of the store's categories, or is database.ErrNotFound.
func deleteCategory(ctx context.Context, tx bun.IDB, t storeScope, id int64) error {
	res, err := tenant.Delete(tx.NewDelete().Model((*Category)(nil)), t, "store_id").Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("snapify: delete category %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("snapify: category %d of store %d: %w", id, t.ID(), database.ErrNotFound)
	}
	return nil
}
