package sitebuilder

import (
	"context"
	"strings"

	"github.com/alorig/alorig/shared/database"
	"github.com/uptrace/bun"
)

// site is a tenant: it answers on <slug>.alorig.site and, once verified, on a custom domain.
type site struct {
	bun.BaseModel `bun:"table:sites"`
	ID            int64   `bun:"id,pk"`
	Slug          string  `bun:"slug"`
	Name          string  `bun:"name"`
	CustomDomain  *string `bun:"custom_domain"`
	Published     bool    `bun:"published"`
}

// publishedSiteByHost finds the published site a host names: <slug>.alorig.site or a custom
// domain. host is already canonical (lower case, no port). A miss is database.ErrNotFound.
func publishedSiteByHost(ctx context.Context, db bun.IDB, host string) (*site, error) {
	s := new(site)
	q := db.NewSelect().Model(s).Where("published")
	if slug, ok := strings.CutSuffix(host, "."+SitesDomain); ok && !strings.Contains(slug, ".") {
		q = q.Where("slug = ?", slug)
	} else {
		q = q.Where("custom_domain = ?", host)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, database.NoRows(err)
	}
	return s, nil
}
