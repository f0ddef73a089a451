package snapify

import (
	"context"
	"fmt"

	"github.com/alorig/alorig/shared/database"
	"github.com/uptrace/bun"
)

// hubBySlug reads the hub page at snapify.pk/{slug}. A miss is database.ErrNotFound.
func hubBySlug(ctx context.Context, db bun.IDB, slug string) (*HubPageRow, error) {
	h := new(HubPageRow)
	if err := db.NewSelect().Model(h).Where("slug = ?", slug).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: hub %s: %w", slug, database.NoRows(err))
	}
	return h, nil
}
