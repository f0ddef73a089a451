package snapify

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The platform's home and hub pages tell search engines about the site (with the search URL
// template a sitelinks search box uses) and the organisation behind it, in JSON that parses.
func TestPlatformPagesDescribeTheSiteAndItsSearch(t *testing.T) {
	t.Parallel()
	for name, p := range map[string]page{
		"home": renderPage(t, PlatformHome(samplePlatformHome())),
		"hub":  renderPage(t, Hub(sampleHub())),
	} {
		t.Run(name, func(t *testing.T) {
			site := p.ldOfType("WebSite")
			require.Equal(t, "https://schema.org", site["@context"])
			require.Equal(t, "Snapify", site["name"])
			require.Equal(t, "https://snapify.pk/", site["url"])
			action := site["potentialAction"].(map[string]any)
			require.Equal(t, "SearchAction", action["@type"])
			target := action["target"].(map[string]any)
			require.Equal(t, "EntryPoint", target["@type"])
			require.Equal(t, "https://snapify.pk/search?q={search_term_string}", target["urlTemplate"])
			require.Equal(t, "required name=search_term_string", action["query-input"])

			org := p.ldOfType("Organization")
			require.Equal(t, "Snapify", org["name"])
			require.Equal(t, "https://snapify.pk/", org["url"])
		})
	}
	hub := renderPage(t, Hub(sampleHub()))
	hub.ldOfType("ItemList")
	hub.ldOfType("BreadcrumbList")
}

// The search template is the path the search form sends its GET to, so the two cannot part.
func TestSiteSearchTemplateIsTheSearchForm(t *testing.T) {
	t.Parallel()
	ld := platformLD("https://snapify.pk/")[0].(ldWebSite)
	tmpl := ld.Action.Target.URLTemplate
	require.True(t, strings.HasPrefix(tmpl, "https://snapify.pk"+PlatformSearchPath+"?q="), tmpl)
	require.Nil(t, platformLD(""), "no origin, no block")
}

// Store names on a hub are seller text inside a <script> element: "</script>" in one cannot end
// the element, and the name comes back intact from the JSON.
func TestHubStructuredDataCannotBeBrokenOutOf(t *testing.T) {
	t.Parallel()
	h := sampleHub()
	h.Stores[0].Name = hostileTitle
	h.Heading = hostileText
	h.Breadcrumbs[1].Name = hostileText
	p := renderPage(t, Hub(h))
	requireInert(t, p)
	require.NotContains(t, p.raw, "</script><script>")
	list := p.ldOfType("ItemList")
	first := list["itemListElement"].([]any)[0].(map[string]any)
	require.Equal(t, hostileTitle, first["name"])
	require.Equal(t, hostileText, list["name"])
	p.ldOfType("WebSite")
	p.ldOfType("Organization")
}
