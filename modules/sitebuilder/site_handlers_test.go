package sitebuilder_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/alorig/alorig/modules/sitebuilder"
	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"

// A browser that follows a dead link on a published site gets the site's HTML 404 page; API
// clients, curl and requests without Accept keep problem+json. Both vary on Accept.
func TestPublishedSiteNotFoundByAccept(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t, map[string]platform.Constructor{"sitebuilder": sitebuilder.New})
	require.NoError(t, env.Mounted("sitebuilder").Module.(platform.Seeder).Seed(context.Background()))

	html := func(t testing.TB, res *http.Response, body string) {
		require.Equal(t, "text/html; charset=UTF-8", res.Header.Get("Content-Type"))
		require.Contains(t, res.Header.Values("Vary"), "Accept")
	}
	problem := func(t testing.TB, res *http.Response, body string) {
		require.Equal(t, "application/problem+json", res.Header.Get("Content-Type"))
		require.Contains(t, res.Header.Values("Vary"), "Accept")
	}
	env.Run(t, []testkit.Scenario{
		{Name: "browser gets the site's HTML 404", Host: "demo.alorig.site", Path: "/menu", Header: map[string]string{"Accept": browserAccept},
			Status: 404, Contains: []string{"<!doctype html>", "Page not found", "Demo Bakery", `href="/"`}, NotContains: []string{`"status"`}, Check: html},
		{Name: "text/html alone", Host: "demo.alorig.site", Path: "/menu", Header: map[string]string{"Accept": "text/html"}, Status: 404,
			Contains: []string{"Page not found"}, Check: html},
		{Name: "html ranked above json", Host: "demo.alorig.site", Path: "/menu", Header: map[string]string{"Accept": "application/json;q=0.5, text/html"}, Status: 404,
			Contains: []string{"Page not found"}, Check: html},
		{Name: "API client asking for JSON", Host: "demo.alorig.site", Path: "/menu", Header: map[string]string{"Accept": "application/json"}, Status: 404,
			Contains: []string{`"status":404`, "no such page on Demo Bakery"}, Check: problem},
		{Name: "json ranked above html", Host: "demo.alorig.site", Path: "/menu", Header: map[string]string{"Accept": "text/html;q=0.4, application/problem+json"}, Status: 404,
			Contains: []string{"no such page on Demo Bakery"}, Check: problem},
		{Name: "curl's */*", Host: "demo.alorig.site", Path: "/menu", Header: map[string]string{"Accept": "*/*"}, Status: 404,
			Contains: []string{"no such page on Demo Bakery"}, Check: problem},
		{Name: "no Accept", Host: "demo.alorig.site", Path: "/menu", Status: 404,
			Contains: []string{"no such page on Demo Bakery"}, Check: problem},
		{Name: "html refused with q=0", Host: "demo.alorig.site", Path: "/menu", Header: map[string]string{"Accept": "text/html;q=0, */*"}, Status: 404,
			Contains: []string{"no such page on Demo Bakery"}, Check: problem},
		{Name: "existing page unchanged for a browser", Host: "demo.alorig.site", Path: "/", Header: map[string]string{"Accept": browserAccept}, Status: 200,
			Contains: []string{"Fresh bread every morning", "Demo Bakery"}},
		{Name: "landing host 404 stays problem+json", Host: "sitebuilder.localhost", Path: "/nope", Header: map[string]string{"Accept": browserAccept}, Status: 404,
			Contains: []string{"no such page"}},
	})
}

// Unpublishing a site takes its pages and its host claim down with it.
func TestUnpublishedSiteIsNotServed(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t, map[string]platform.Constructor{"sitebuilder": sitebuilder.New})
	sb := env.Mounted("sitebuilder")
	ctx := context.Background()
	require.NoError(t, sb.Module.(platform.Seeder).Seed(ctx))
	claimed, err := sb.Module.(platform.HostClaimer).ClaimHost(ctx, "demo.alorig.site")
	require.NoError(t, err)
	require.True(t, claimed)
	_, err = sb.DB.ExecContext(ctx, "UPDATE sites SET published = false WHERE slug = 'demo'")
	require.NoError(t, err)
	claimed, err = sb.Module.(platform.HostClaimer).ClaimHost(ctx, "demo.alorig.site")
	require.NoError(t, err)
	require.False(t, claimed)
	env.Run(t, []testkit.Scenario{
		{Name: "unpublished", Host: "demo.alorig.site", Path: "/", Header: map[string]string{"Accept": browserAccept}, Status: 404},
	})
}
