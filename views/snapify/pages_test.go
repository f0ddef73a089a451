package snapify

import (
	"github.com/alorig/alorig/shared/money"

	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"
)

// Rules every page obeys, checked over the whole sample set: a full document, nothing that
// blocks rendering, every image sized, at most one image fetched eagerly and it is the one with
// srcset/sizes, and structured data that parses.
func TestEveryPageIsAFastCompleteDocument(t *testing.T) {
	t.Parallel()
	samples := SamplePages()
	require.GreaterOrEqual(t, len(samples), 25)
	for _, s := range samples {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			raw := render(t, s.Page)
			require.True(t, strings.HasPrefix(raw, "<!doctype html>"), "starts with a doctype")
			p := parse(t, raw)

			require.Contains(t, []string{"en", "ur"}, p.htmlAttr("lang"))
			require.Contains(t, []string{"ltr", "rtl"}, p.htmlAttr("dir"))
			titles := p.all(tag("title"))
			require.Len(t, titles, 1)
			require.NotEmpty(t, strings.TrimSpace(textOf(titles[0])))
			require.Len(t, p.all(tag("style")), 1, "critical CSS is one inline <style>")
			require.Len(t, p.all(tagWith("meta", "name", "viewport")), 1)

			// Nothing that blocks rendering or costs a request before first paint.
			for _, l := range p.all(tag("link")) {
				rel, _ := attr(l, "rel")
				require.NotContains(t, []string{"stylesheet", "preload", "modulepreload", "import"}, rel)
			}
			for _, sc := range p.all(tag("script")) {
				_, hasSrc := attr(sc, "src")
				require.False(t, hasSrc, "no external script")
				typ, _ := attr(sc, "type")
				require.Equal(t, "application/ld+json", typ, "the only scripts are JSON-LD data")
			}
			require.NotContains(t, raw, "@font-face")
			require.NotContains(t, raw, "@import")

			eager := p.eagerImages()
			require.LessOrEqual(t, len(eager), 1, "one LCP image at most")
			for _, img := range p.all(tag("img")) {
				w, okW := attr(img, "width")
				h, okH := attr(img, "height")
				require.True(t, okW && okH && w != "0" && h != "0", "img has explicit width and height")
				_, hasAlt := attr(img, "alt")
				require.True(t, hasAlt)
				if v, _ := attr(img, "fetchpriority"); v == "high" {
					_, lazy := attr(img, "loading")
					require.False(t, lazy, "the LCP image is not lazy")
					_, srcset := attr(img, "srcset")
					_, sizes := attr(img, "sizes")
					require.True(t, srcset && sizes, "the LCP image is responsive")
					continue
				}
				loading, _ := attr(img, "loading")
				decoding, _ := attr(img, "decoding")
				require.Equal(t, "lazy", loading)
				require.Equal(t, "async", decoding)
			}
			p.jsonLD()
		})
	}
}

func TestLCPImageIsTheFirstContentImage(t *testing.T) {
	t.Parallel()
	en := SampleStore(Bazaar, English, Pro)
	home := sampleHome(en)
	cases := []struct {
		name    string
		page    page
		wantSrc string // "" means no eager image
	}{
		{"home without banner: first card", renderPage(t, StoreHome(home)), home.Products[0].Images[0].Src},
		{"home with banner: the banner", renderPage(t, StoreHome(sampleHome(SampleStore(Mehndi, Urdu, Free)))), SampleStore(Mehndi, Urdu, Free).Banner.Src},
		{"product: first gallery image", renderPage(t, ProductDetail(SampleProductPage(en))), SampleProduct(en).Images[0].Src},
		{"category: first card", renderPage(t, Category(sampleCategory(en))), sampleCategory(en).Products[0].Images[0].Src},
		{"hub: first store", renderPage(t, Hub(sampleHub())), sampleHub().Stores[0].Image.Src},
		{"confirmation: text is the LCP", renderPage(t, OrderConfirmation(sampleConfirmation(en))), ""},
		{"404: no images", renderPage(t, NotFound(NotFoundPage{Meta: Meta{Title: "x"}})), ""},
	}
	for _, c := range cases {
		eager := c.page.eagerImages()
		if c.wantSrc == "" {
			require.Empty(t, eager, c.name)
			continue
		}
		require.Len(t, eager, 1, c.name)
		src, _ := attr(eager[0], "src")
		require.Equal(t, c.wantSrc, src, c.name)
	}
}

func TestProductPageSEO(t *testing.T) {
	t.Parallel()
	s := SampleStore(Bazaar, English, Pro)
	pp := SampleProductPage(s)
	pp.Product.PricePaisa = 125050
	pp.Product.CompareAtPaisa = 150000
	pp.Meta.OGImage = Image{Src: "https://cdn.example/og.jpg", Width: 1200, Height: 630}
	p := renderPage(t, ProductDetail(pp))

	require.Equal(t, pp.Meta.Canonical, p.canonical())
	require.Equal(t, pp.Meta.Description, p.meta("description"))
	require.Equal(t, "product", p.meta("og:type"))
	require.Equal(t, pp.Meta.Canonical, p.meta("og:url"))
	require.Equal(t, "https://cdn.example/og.jpg", p.meta("og:image"))
	require.Equal(t, "1200", p.meta("og:image:width"))
	require.Equal(t, "630", p.meta("og:image:height"))
	require.Equal(t, "1250.50", p.meta("product:price:amount"))
	require.Equal(t, "PKR", p.meta("product:price:currency"))
	// WhatsApp previews show only title, description and image, so the title carries the price.
	require.Equal(t, pp.Product.Title+" — Rs 1,250.50", p.meta("og:title"))

	prod := p.ldOfType("Product")
	require.Equal(t, "https://schema.org", prod["@context"])
	require.Equal(t, pp.Product.Title, prod["name"])
	require.Len(t, prod["image"], len(pp.Product.Images))
	offer := prod["offers"].(map[string]any)
	require.Equal(t, "Offer", offer["@type"])
	require.Equal(t, 1250.5, offer["price"])
	require.Equal(t, "PKR", offer["priceCurrency"])
	require.Equal(t, "https://schema.org/InStock", offer["availability"])
	require.Equal(t, pp.Product.URL, offer["url"])

	crumbs := p.ldOfType("BreadcrumbList")["itemListElement"].([]any)
	require.Len(t, crumbs, len(pp.Breadcrumbs))
	for i, c := range crumbs {
		item := c.(map[string]any)
		require.Equal(t, float64(i+1), item["position"])
		require.Equal(t, pp.Breadcrumbs[i].Name, item["name"])
		require.Equal(t, pp.Breadcrumbs[i].URL, item["item"])
	}

	require.Contains(t, p.raw, "Rs 1,250.50")
	require.Contains(t, p.raw, "Rs 1,500")
	require.Contains(t, p.raw, "-16%", "discount rounds down: 249.50 of 1500 is 16.6%")

	// The GET form carries variant choices and quantity to the order page.
	forms := p.all(tagWith("form", "class", "buy"))
	require.Len(t, forms, 1)
	action, _ := attr(forms[0], "action")
	require.Equal(t, pp.OrderURL, action)
	require.Len(t, p.all(tagWith("select", "name", VariantField("size"))), 1)
	require.Len(t, p.all(tagWith("select", "name", FieldQuantity)), 1)
	wa := p.all(tagWith("a", "class", "btn wa"))
	require.Len(t, wa, 1)
	href, _ := attr(wa[0], "href")
	require.Equal(t, pp.WhatsAppOrderURL, href)
}

func TestOutOfStockProduct(t *testing.T) {
	t.Parallel()
	pp := SampleProductPage(SampleStore(Organic, English, Pro))
	pp.Product.InStock = false
	p := renderPage(t, ProductDetail(pp))
	offer := p.ldOfType("Product")["offers"].(map[string]any)
	require.Equal(t, "https://schema.org/OutOfStock", offer["availability"])
	buttons := p.all(tagWith("button", "type", "submit"))
	var disabled int
	for _, b := range buttons {
		if _, ok := attr(b, "disabled"); ok {
			disabled++
		}
	}
	require.Equal(t, 1, disabled, "the order button is disabled")
	require.Empty(t, p.all(tagWith("select", "name", VariantField("size"))))
}

func TestStoreHomeAndAboutDescribeTheStore(t *testing.T) {
	t.Parallel()
	s := SampleStore(Boutique, English, Free)
	for name, p := range map[string]page{
		"home":  renderPage(t, StoreHome(sampleHome(s))),
		"about": renderPage(t, About(sampleAbout(s))),
	} {
		st := p.ldOfType("Store")
		require.Equal(t, s.Name, st["name"], name)
		require.Equal(t, s.URL, st["url"], name)
		require.Equal(t, "+923001234567", st["telephone"], name)
		addr := st["address"].(map[string]any)
		require.Equal(t, "Lahore", addr["addressLocality"], name)
		require.Equal(t, "PK", addr["addressCountry"], name)
		require.Equal(t, "website", p.meta("og:type"), name)
		require.Contains(t, p.raw, "Made with Snapify", "free stores carry the badge")
	}
	pro := render(t, StoreHome(sampleHome(SampleStore(Boutique, English, Pro))))
	require.NotContains(t, pro, "Made with Snapify", "Pro removes the badge")
}

func TestCityLandingIsPro(t *testing.T) {
	t.Parallel()
	free := sampleCity(SampleStore(Kids, English, Free))
	var b strings.Builder
	err := CityLanding(free).Render(t.Context(), &b)
	require.True(t, errors.Is(err, ErrProOnly))
	require.Empty(t, b.String())

	pro := sampleCity(SampleStore(Kids, English, Pro))
	p := renderPage(t, CityLanding(pro))
	require.Equal(t, "Multan", p.ldOfType("Store")["areaServed"])
	h1 := p.all(tag("h1"))
	require.Len(t, h1, 1)
	require.Equal(t, "Delivery to Multan", textOf(h1[0]))
	require.Contains(t, p.raw, "Free delivery")
}

func TestUrduStoreIsRightToLeft(t *testing.T) {
	t.Parallel()
	s := SampleStore(Mehndi, Urdu, Pro)
	pp := SampleProductPage(s)
	p := renderPage(t, ProductDetail(pp))
	require.Equal(t, "ur", p.htmlAttr("lang"))
	require.Equal(t, "rtl", p.htmlAttr("dir"))
	require.Equal(t, "ur_PK", p.meta("og:locale"))

	h1 := p.all(tag("h1"))
	require.Len(t, h1, 1)
	dir, _ := attr(h1[0], "dir")
	require.Equal(t, "auto", dir, "seller text picks its own direction")
	require.Equal(t, pp.Product.Title, textOf(h1[0]))
	for _, para := range p.all(func(n *html.Node) bool {
		return n.Data == "p" && n.Parent != nil && n.Parent.Data == "section" && strings.Contains(pp.Product.Description, textOf(n))
	}) {
		d, _ := attr(para, "dir")
		require.Equal(t, "auto", d)
	}
	require.Contains(t, p.raw, "واٹس ایپ پر آرڈر کریں", "chrome is in Urdu")
	require.Contains(t, p.raw, `class="cards-tall hdr-c trim"`)

	// An English store stays left to right.
	en := renderPage(t, ProductDetail(SampleProductPage(SampleStore(Mehndi, English, Pro))))
	require.Equal(t, "en", en.htmlAttr("lang"))
	require.Equal(t, "ltr", en.htmlAttr("dir"))

	// An unknown language value falls back to English rather than lang="".
	odd := SampleStore(Bazaar, English, Pro)
	odd.Lang = "xx"
	require.Equal(t, "en", renderPage(t, About(sampleAbout(odd))).htmlAttr("lang"))
}

func TestOrderForm(t *testing.T) {
	t.Parallel()
	f := SampleOrderForm(SampleStore(Bazaar, English, Pro))
	f.CSRFField = "csrf_token"
	p := renderPage(t, OrderForm(f))
	require.Equal(t, "noindex,follow", p.meta("robots"))

	forms := p.all(tagWith("form", "method", "post"))
	require.Len(t, forms, 1)
	action, _ := attr(forms[0], "action")
	require.Equal(t, f.ActionURL, action)

	hidden := map[string]string{}
	for _, in := range p.all(tagWith("input", "type", "hidden")) {
		n, _ := attr(in, "name")
		v, _ := attr(in, "value")
		hidden[n] = v
	}
	require.Equal(t, f.CSRFToken, hidden["csrf_token"])
	require.Equal(t, f.IdempotencyKey, hidden[FieldIdempotency])
	require.Equal(t, "item-2", hidden["product"])
	require.Equal(t, "2", hidden[FieldQuantity])

	phone := p.all(tagWith("input", "name", FieldPhone))
	require.Len(t, phone, 1)
	typ, _ := attr(phone[0], "type")
	require.Equal(t, "tel", typ)
	inv, _ := attr(phone[0], "aria-invalid")
	require.Equal(t, "true", inv)
	val, _ := attr(phone[0], "value")
	require.Equal(t, "0300 12", val, "a rejected form comes back filled in")
	require.Contains(t, p.raw, f.Errors[FieldPhone])

	name := p.all(tagWith("input", "name", FieldName))
	require.Len(t, name, 1)
	_, invalid := attr(name[0], "aria-invalid")
	require.False(t, invalid)
	_, required := attr(name[0], "required")
	require.True(t, required)

	cod := p.all(tagWith("input", "name", FieldPayment))
	require.Len(t, cod, 1)
	v, _ := attr(cod[0], "value")
	require.Equal(t, PaymentCOD, v)
	_, checked := attr(cod[0], "checked")
	require.True(t, checked)
	require.Contains(t, p.raw, money.FormatPKR(f.TotalPaisa))

	// The default CSRF field name matches echo's middleware.
	f.CSRFField = ""
	p = renderPage(t, OrderForm(f))
	require.Len(t, p.all(tagWith("input", "name", DefaultCSRFField)), 1)
}

func TestOrderConfirmationSendsOnWhatsApp(t *testing.T) {
	t.Parallel()
	c := sampleConfirmation(SampleStore(Tech, English, Pro))
	c.WhatsAppURL = "https://wa.me/923001234567?text=Order%20SNP-99%20for%20Rs%203%2C000"
	p := renderPage(t, OrderConfirmation(c))
	wa := p.all(tagWith("a", "class", "btn wa"))
	require.Len(t, wa, 1)
	href, _ := attr(wa[0], "href")
	require.Equal(t, c.WhatsAppURL, href)
	require.Contains(t, p.raw, "SNP-24817")
	require.Contains(t, p.raw, "Thank you, Ayesha Khan!")
	require.Equal(t, "noindex,follow", p.meta("robots"))
}

func TestSearchAndNotFoundStayOutOfTheIndex(t *testing.T) {
	t.Parallel()
	s := SampleStore(Minimal, English, Pro)
	for name, c := range map[string]page{
		"store search":    renderPage(t, StoreSearch(sampleStoreSearch(s))),
		"platform search": renderPage(t, PlatformSearch(samplePlatformSearch())),
		"store 404":       renderPage(t, NotFound(NotFoundPage{Meta: Meta{Title: "x"}, Store: &s})),
		"platform 404":    renderPage(t, NotFound(NotFoundPage{Meta: Meta{Title: "x"}})),
	} {
		require.Equal(t, "noindex,follow", c.meta("robots"), name)
	}
	q := renderPage(t, StoreSearch(sampleStoreSearch(s)))
	in := q.all(tagWith("input", "name", "q"))
	require.Len(t, in, 1)
	v, _ := attr(in[0], "value")
	require.Equal(t, "lawn", v, "the search box keeps the query")

	home := renderPage(t, StoreHome(sampleHome(s)))
	require.Empty(t, home.all(tagWith("meta", "name", "robots")), "store pages are indexable")
}

func TestHubListsStores(t *testing.T) {
	t.Parallel()
	h := sampleHub()
	p := renderPage(t, Hub(h))
	list := p.ldOfType("ItemList")
	items := list["itemListElement"].([]any)
	require.Len(t, items, len(h.Stores))
	require.Equal(t, h.Stores[3].URL, items[3].(map[string]any)["url"])
	require.Equal(t, h.Meta.Canonical, p.canonical())
	require.Len(t, p.all(tagWith("li", "class", "sc")), len(h.Stores))
	p.ldOfType("BreadcrumbList")
}

func TestThemesShareMarkupButNotLooks(t *testing.T) {
	t.Parallel()
	seenCSS := map[string]Theme{}
	for _, th := range Themes() {
		css := CriticalCSS(th)
		prev, dup := seenCSS[css]
		require.False(t, dup, "%s and %s render the same CSS", th, prev)
		seenCSS[css] = th
		require.Contains(t, css, ":root{--wa:")
	}
	// Unknown themes fall back to Bazaar instead of an unstyled page.
	require.Equal(t, CriticalCSS(Bazaar), CriticalCSS("neon"))

	layouts := map[Theme]string{Tech: "cards-list", Boutique: "cards-tall", Mehndi: "trim", Minimal: "hdr-c"}
	for th, class := range layouts {
		p := renderPage(t, StoreHome(sampleHome(SampleStore(th, English, Pro))))
		body := p.all(tag("body"))
		require.Len(t, body, 1)
		c, _ := attr(body[0], "class")
		require.Contains(t, strings.Fields(c), class, th)
	}
	list := renderPage(t, StoreHome(sampleHome(SampleStore(Tech, English, Pro))))
	sizes, _ := attr(list.eagerImages()[0], "sizes")
	require.Equal(t, listSizes, sizes, "list rows ask for small images")
}
