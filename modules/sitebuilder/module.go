// Package sitebuilder is the Alorig Site Builder: multi-tenant websites with a native block CMS
// (the cms surface replaces the seed's Payload container). This first version carries sites and
// pages, serves published sites on <slug>.alorig.site and verified custom domains, and the
// landing page; the editor follows in its own issue.
//
// It is the reference layout of a module (docs/platform.md, "The shape"): this file builds the
// module and says what it registers; routes.go is the route table (with the API document);
// hosts.go tells the module's own hosts from published sites'; site_handlers.go and
// landing_handlers.go parse and answer; site_service.go holds the use cases; site_store.go and
// page_store.go are the queries; errors.go maps domain errors to answers; seed.go is the demo
// data.
package sitebuilder

import (
	"context"
	"errors"

	"github.com/alorig/alorig/shared/platform"
)

// SitesDomain is the parent domain of every built site.
const SitesDomain = "alorig.site"

// Module is the Site Builder.
type Module struct {
	d     platform.Deps
	sites *siteService
}

// New builds the module. It registers the web routes (routes.go), claims the hosts of
// published sites (platform.HostClaimer) and seeds the demo site (platform.Seeder).
func New(d platform.Deps) (platform.Module, error) {
	return &Module{d: d, sites: &siteService{db: d.DB}}, nil
}

func (m *Module) Name() string { return "sitebuilder" }

// ClaimHost tells the dispatcher which hosts are built sites.
func (m *Module) ClaimHost(ctx context.Context, host string) (bool, error) {
	_, err := m.sites.ByHost(ctx, host)
	if errors.Is(err, ErrNoSite) {
		return false, nil
	}
	return err == nil, err
}

var (
	_ platform.HostClaimer = (*Module)(nil)
	_ platform.Seeder      = (*Module)(nil)
)
