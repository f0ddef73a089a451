package sitebuilder

import (
	"context"

	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/tenant"
	sbviews "github.com/alorig/alorig/views/sitebuilder"
	"github.com/uptrace/bun"
)

// page is one page of a site: an ordered list of typed blocks.
type page struct {
	bun.BaseModel `bun:"table:pages"`
	Title         string          `bun:"title"`
	Blocks        []sbviews.Block `bun:"blocks,type:jsonb"`
}

// publishedPage reads the published page at path of the site the scope proves. Pages are
// tenant-owned, so the tenant is in the signature: there is no way to ask for a page without a
// scope, and an invalid scope matches nothing. A miss is database.ErrNotFound.
func publishedPage(ctx context.Context, db bun.IDB, scope tenant.Scope[site], path string) (*page, error) {
	p := new(page)
	err := tenant.Select(db.NewSelect().Model(p), scope, "site_id").
		Where("path = ?", path).Where("published").Scan(ctx)
	if err != nil {
		return nil, database.NoRows(err)
	}
	return p, nil
}
