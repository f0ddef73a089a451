package sitebuilder

import (
	"context"
	"fmt"
)

// Seed creates a demo site at demo.alorig.site with a published home page. Idempotent: every
// insert is an upsert or does nothing on conflict.
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
