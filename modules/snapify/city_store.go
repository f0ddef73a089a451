package snapify

import (
	"context"
	"fmt"

	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/tenant"
	"github.com/uptrace/bun"
)

func cityPage(ctx context.Context, db bun.IDB, t storeScope, citySlug string) (*CityPageRow, error) {
	c := new(CityPageRow)
	if err := tenant.Select(db.NewSelect().Model(c), t, "store_id").Where("city_slug = ?", citySlug).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: city page %q of store %d: %w", citySlug, t.ID(), database.NoRows(err))
	}
	return c, nil
}
