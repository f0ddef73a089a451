package sitebuilder

import (
	"context"
	"errors"
	"fmt"

	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/tenant"
	"github.com/uptrace/bun"
)

// siteService holds the use cases of sites. Handlers call one method each; the service turns
// the stores' database.ErrNotFound into the domain errors of errors.go and is the only code
// that grants a site's tenant scope.
type siteService struct{ db bun.IDB }

// ByHost resolves a canonical host to its published site, or ErrNoSite.
func (s *siteService) ByHost(ctx context.Context, host string) (*site, error) {
	st, err := publishedSiteByHost(ctx, s.db, host)
	if errors.Is(err, database.ErrNotFound) {
		return nil, ErrNoSite
	}
	if err != nil {
		return nil, fmt.Errorf("sitebuilder: site at %s: %w", host, err)
	}
	return st, nil
}

// PublishedPage is what a visitor of a built site reads: the published site at host and its
// published page at path. ErrNoSite when no site is published there, a *NoPageError (which
// names the site) when the site has no such page.
func (s *siteService) PublishedPage(ctx context.Context, host, path string) (*site, *page, error) {
	st, err := s.ByHost(ctx, host)
	if err != nil {
		return nil, nil, err
	}
	// The host resolved to this published site, and a published site is public: that is the
	// whole access check, so this is where the scope is granted.
	scope := tenant.Grant[site](st.ID)
	p, err := publishedPage(ctx, s.db, scope, path)
	if errors.Is(err, database.ErrNotFound) {
		return st, nil, &NoPageError{Site: st.Name}
	}
	if err != nil {
		return st, nil, fmt.Errorf("sitebuilder: page of site %d: %w", st.ID, err)
	}
	return st, p, nil
}
