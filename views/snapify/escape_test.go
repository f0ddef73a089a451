package snapify

import (
	"github.com/alorig/alorig/shared/money"

	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"
)

const (
	hostileTitle = `</script><script>alert("t")</script>`
	hostileText  = `"><img src=x onerror=alert(1)> </title><script>alert(2)</script> & <!--`
	hostileName  = `Evil" onmouseover="alert(3)`
)

// The parsed document must hold exactly the elements the templates wrote: no script other than
// JSON-LD, no event-handler attribute, and the hostile strings back as plain text.
func requireInert(t *testing.T, p page) {
	t.Helper()
	for _, sc := range p.all(tag("script")) {
		typ, _ := attr(sc, "type")
		require.Equal(t, "application/ld+json", typ, "no executable script")
	}
	for _, n := range p.all(func(*html.Node) bool { return true }) {
		for _, a := range n.Attr {
			require.False(t, strings.HasPrefix(strings.ToLower(a.Key), "on"), "event handler %s on <%s>", a.Key, n.Data)
		}
		if n.Data == "img" {
			src, _ := attr(n, "src")
			require.NotEqual(t, "x", src, "no injected <img>")
		}
	}
	require.NotContains(t, p.raw, "<script>alert")
}

func TestSellerTextIsEscapedEverywhere(t *testing.T) {
	t.Parallel()
	s := SampleStore(Bazaar, English, Pro)
	s.Name = hostileName
	s.Tagline = hostileText
	s.About = hostileText
	s.Address = hostileText
	s.DeliveryNote = hostileText
	s.Categories = append(s.Categories, Link{Name: hostileTitle, URL: "javascript:alert(4)"})

	pp := SampleProductPage(s)
	pp.Product.Title = hostileTitle
	pp.Product.Description = hostileText + "\n\n" + hostileTitle
	pp.Product.Images[0].Alt = hostileText
	pp.Product.Variants[0].Options = append(pp.Product.Variants[0].Options, hostileTitle)
	pp.Product.SKU = hostileTitle
	pp.Meta.Title = hostileTitle
	pp.Meta.Description = hostileText
	pp.Breadcrumbs = append(pp.Breadcrumbs, Link{Name: hostileTitle, URL: "https://x.test/"})

	p := renderPage(t, ProductDetail(pp))
	requireInert(t, p)

	// Text survives the round trip unchanged: escaped, not mangled or dropped.
	h1 := p.all(tag("h1"))
	require.Len(t, h1, 1)
	require.Equal(t, hostileTitle, textOf(h1[0]))
	titles := p.all(tag("title"))
	require.Equal(t, hostileTitle, textOf(titles[0]))
	require.Equal(t, hostileText, p.meta("description"))
	require.Equal(t, hostileTitle+" — "+money.FormatPKR(pp.Product.PricePaisa), p.meta("og:title"))
	require.Equal(t, hostileName, p.meta("og:site_name"))

	// JSON-LD: the '<' of "</script>" is \u003c in the source, and the parsed value is exact.
	require.NotContains(t, p.raw, `"name":"</script>`)
	require.Contains(t, p.raw, `\u003c/script\u003e`)
	prod := p.ldOfType("Product")
	require.Equal(t, hostileTitle, prod["name"])
	require.Equal(t, hostileTitle, prod["sku"])
	require.Equal(t, hostileName, prod["brand"].(map[string]any)["name"])
	crumbs := p.ldOfType("BreadcrumbList")["itemListElement"].([]any)
	require.Equal(t, hostileTitle, crumbs[len(crumbs)-1].(map[string]any)["name"])

	// A javascript: URL from the database never reaches an href.
	for _, a := range p.all(tag("a")) {
		href, _ := attr(a, "href")
		require.False(t, strings.HasPrefix(strings.ToLower(href), "javascript:"), href)
	}

	// Store pages that print the rest of the store's text.
	for name, page := range map[string]page{
		"home":  renderPage(t, StoreHome(sampleHome(s))),
		"about": renderPage(t, About(sampleAbout(s))),
	} {
		t.Run(name, func(t *testing.T) {
			requireInert(t, page)
			require.Equal(t, hostileName, page.ldOfType("Store")["name"])
			require.Equal(t, hostileText, page.ldOfType("Store")["address"].(map[string]any)["streetAddress"])
		})
	}
}

func TestBuyerInputIsEscapedInTheOrderForm(t *testing.T) {
	t.Parallel()
	f := SampleOrderForm(SampleStore(Kids, Urdu, Pro))
	f.Input = OrderInput{Name: hostileName, Phone: hostileText, Address: "</textarea>" + hostileTitle, City: hostileText, Notes: hostileTitle}
	f.Errors = map[string]string{FieldAddress: hostileText}
	f.FormError = hostileTitle
	f.CSRFToken = hostileName
	f.Hidden = append(f.Hidden, Hidden{Name: hostileName, Value: hostileText})
	p := renderPage(t, OrderForm(f))
	requireInert(t, p)

	areas := p.all(tagWith("textarea", "name", FieldAddress))
	require.Len(t, areas, 1)
	require.Equal(t, "</textarea>"+hostileTitle, textOf(areas[0]), "the textarea cannot be closed early")
	name := p.all(tagWith("input", "name", FieldName))
	require.Len(t, name, 1)
	v, _ := attr(name[0], "value")
	require.Equal(t, hostileName, v)

	q := renderPage(t, StoreSearch(StoreSearchPage{Meta: Meta{Title: "s"}, Store: SampleStore(Kids, English, Pro), Query: hostileText + " 100%s"}))
	requireInert(t, q)
	h1 := q.all(tag("h1"))
	require.Equal(t, "Results for “"+hostileText+" 100%s”", textOf(h1[0]), "a query with %s is shown as typed")
}

func TestPlatformPagesEscapeStoreText(t *testing.T) {
	t.Parallel()
	h := sampleHub()
	h.Heading = hostileTitle
	h.Intro = hostileText
	h.Stores[0].Name = hostileName
	h.Stores[1].Tagline = hostileText
	p := renderPage(t, Hub(h))
	requireInert(t, p)
	require.Equal(t, hostileTitle, p.ldOfType("ItemList")["name"])
}
