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
