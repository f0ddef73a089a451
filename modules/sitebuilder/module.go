// Package sitebuilder is the Alorig Site Builder: multi-tenant websites with a native block CMS
// (the cms surface replaces the seed's Payload container). This first version carries sites and
// pages, serves published sites on <slug>.alorig.site and verified custom domains, and the
// landing page; the editor follows in its own issue.
package sitebuilder

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/tenant"
	"github.com/alorig/alorig/shared/web"
	"github.com/alorig/alorig/views/landing"
	sbviews "github.com/alorig/alorig/views/sitebuilder"
	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"
)

// SitesDomain is the parent domain of every built site.
const SitesDomain = "alorig.site"

// Module is the Site Builder.
type Module struct{ d platform.Deps }

// New builds the module.
func New(d platform.Deps) (platform.Module, error) { return &Module{d: d}, nil }

func (m *Module) Name() string { return "sitebuilder" }

type site struct {
	bun.BaseModel `bun:"table:sites"`
	ID            int64   `bun:"id,pk"`
	Slug          string  `bun:"slug"`
	Name          string  `bun:"name"`
	CustomDomain  *string `bun:"custom_domain"`
	Published     bool    `bun:"published"`
}

// siteByHost finds the published site a host names: <slug>.alorig.site or a custom domain.
func (m *Module) siteByHost(ctx context.Context, host string) (*site, error) {
	s := new(site)
	q := m.d.DB.NewSelect().Model(s).Where("published")
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

// ClaimHost tells the dispatcher which hosts are built sites.
func (m *Module) ClaimHost(ctx context.Context, host string) (bool, error) {
	_, err := m.siteByHost(ctx, host)
	if errors.Is(err, database.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

func (m *Module) isOwnHost(host string) bool {
	host = web.CanonicalHost(host)
	for _, h := range m.d.Module.Hosts {
		if h == host {
			return true
		}
	}
	return host == "sitebuilder.localhost"
}

func (m *Module) Web(e *echo.Echo) {
	e.GET("/*", func(c echo.Context) error {
		if !m.isOwnHost(c.Request().Host) {
			return m.renderSite(c)
		}
		if c.Request().URL.Path != "/" {
			return web.NotFound("no such page")
		}
		return web.Render(c, http.StatusOK, landing.Landing(landing.Page{
			Module: "sitebuilder", Title: "Alorig Site Builder", Tagline: "Websites for many businesses, one platform",
			Summary:  "Each site is a tenant with its own pages of typed blocks, served on its own subdomain of " + SitesDomain + " or a verified custom domain with automatic TLS.",
			Features: []string{"Sites on <name>." + SitesDomain + " and custom domains", "Pages as ordered blocks, edited in the CMS surface"},
		}))
	})
	auth.Routes(e.Group("/api/v1/auth"), m.d.Accounts, nil)
}

type page struct {
	bun.BaseModel `bun:"table:pages"`
	Title         string          `bun:"title"`
	Blocks        []sbviews.Block `bun:"blocks,type:jsonb"`
}

func (m *Module) renderSite(c echo.Context) error {
	ctx := c.Request().Context()
	s, err := m.siteByHost(ctx, web.CanonicalHost(c.Request().Host))
	if err != nil {
		if errors.Is(err, database.ErrNotFound) {
			return web.NotFound("no site is published at this host name")
		}
		return err
	}
	p := new(page)
	scope := tenant.Grant[site](s.ID) // the host resolved to this published site
	err = tenant.Select(m.d.DB.NewSelect().Model(p), scope, "site_id").Where("path = ?", c.Request().URL.Path).Where("published").Scan(ctx)
	if err != nil {
		if errors.Is(database.NoRows(err), database.ErrNotFound) {
			return web.NotFound("no such page on " + s.Name)
		}
		return fmt.Errorf("sitebuilder: page of site %d: %w", s.ID, err)
	}
	return web.Render(c, http.StatusOK, sbviews.Page(s.Name, p.Title, p.Blocks))
}

// Seed creates a demo site at demo.alorig.site with a published home page.
func (m *Module) Seed(ctx context.Context) error {
	now := m.d.Clock.Now()
	var owner int64
	err := m.d.DB.NewRaw(`INSERT INTO users (email, display_name, role, created_at, updated_at) VALUES ('demo@sitebuilder.localhost', 'Demo owner', 'member', ?, ?)
		ON CONFLICT (email) DO UPDATE SET updated_at = EXCLUDED.updated_at RETURNING id`, now, now).Scan(ctx, &owner)
	if err != nil {
		return fmt.Errorf("sitebuilder: seed owner: %w", err)
	}
	var siteID int64
	err = m.d.DB.NewRaw(`INSERT INTO sites (owner_id, slug, name, published, created_at, updated_at) VALUES (?, 'demo', 'Demo Bakery', true, ?, ?)
		ON CONFLICT (slug) DO UPDATE SET updated_at = EXCLUDED.updated_at RETURNING id`, owner, now, now).Scan(ctx, &siteID)
	if err != nil {
		return fmt.Errorf("sitebuilder: seed site: %w", err)
	}
	_, err = m.d.DB.NewRaw(`INSERT INTO pages (site_id, path, title, blocks, published, created_at, updated_at)
		VALUES (?, '/', 'Fresh bread every morning', ?, true, ?, ?) ON CONFLICT (site_id, path) DO NOTHING`,
		siteID, `[{"type":"heading","text":"Fresh bread every morning"},{"type":"text","text":"Open daily from 7:00 in Gulberg, Lahore."}]`, now, now).Exec(ctx)
	if err != nil {
		return fmt.Errorf("sitebuilder: seed page: %w", err)
	}
	return nil
}
