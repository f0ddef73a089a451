package snapify

import (
	"github.com/alorig/alorig/shared/money"

	"context"
	"errors"
	"io"

	"github.com/a-h/templ"
)

// ErrProOnly is returned by rendering a Pro-only page (city landing) for a Free store, so a
// routing mistake shows up as an error instead of a page the seller has not paid for.
var ErrProOnly = errors.New("snapify views: city landing pages are a Pro feature")

// doc is what the document shell needs beyond the page body.
type doc struct {
	lang       Lang
	t          *ui
	meta       Meta
	css        string
	themeColor string
	bodyClass  string
	siteName   string
	ogType     string
	ogTitle    string // WhatsApp previews show og:title, so a product's carries its price
	pricePaisa int64  // used only when ogType is "product"
	ld         []any
}

func storeDoc(s Store, m Meta, ld ...any) doc {
	spec := specFor(s.Theme)
	if m.OGImage.Src == "" {
		m.OGImage = firstNonEmptyImage(s.Banner, s.Logo)
	}
	return doc{
		lang:       s.Lang.norm(),
		t:          text(s.Lang),
		meta:       m,
		css:        CriticalCSS(s.Theme),
		themeColor: spec.color,
		bodyClass:  spec.body,
		siteName:   s.Name,
		ogType:     "website",
		ld:         ld,
	}
}

func platformDoc(m Meta, ld ...any) doc {
	return doc{
		lang:       English,
		t:          text(English),
		meta:       m,
		css:        PlatformCSS(),
		themeColor: platformSpec.color,
		siteName:   "Snapify",
		ogType:     "website",
		ld:         ld,
	}
}

func ogTitle(d doc) string {
	if d.ogTitle != "" {
		return d.ogTitle
	}
	return d.meta.Title
}

func firstNonEmptyImage(ims ...Image) Image {
	for _, im := range ims {
		if im.Src != "" {
			return im
		}
	}
	return Image{}
}

// cardSlot tells the browser how wide a grid image is drawn under this store's layout, so it
// picks the smallest candidate that is still sharp.
func cardSlot(s Store) imgSlot { return specFor(s.Theme).card }

var (
	gallerySlot = imgSlot{sizes: "(min-width:62rem) 26rem,(min-width:48rem) calc((100vw - 3rem) * .44),calc((100vw - 2rem) * .88)", maxW: 720}
	bannerSlot  = imgSlot{sizes: "(min-width:62rem) 60rem,calc(100vw - 2rem)", maxW: 640}
	thumbSlot   = imgSlot{sizes: "64px", maxW: 192}
	storeSlot   = imgSlot{sizes: "72px", maxW: 216}
	logoSlot    = imgSlot{sizes: "40px", maxW: 120}
)

// styleTag inlines the critical CSS. The stylesheet is our own constant text (never seller
// input), so it is written raw; templ would otherwise escape the '>' in child selectors.
func styleTag(css string) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		_, err := io.WriteString(w, "<style>"+css+"</style>")
		return err
	})
}

func errorComponent(err error) templ.Component {
	return templ.ComponentFunc(func(context.Context, io.Writer) error { return err })
}

// CityLanding renders /{store}/delivery-to-{city}. Free stores get ErrProOnly from Render.
func CityLanding(p CityPage) templ.Component {
	if p.Store.Tier != Pro {
		return errorComponent(ErrProOnly)
	}
	return cityLanding(p)
}

// NotFound renders the 404 page, in the store's theme when a store is known.
func NotFound(p NotFoundPage) templ.Component {
	p.Meta.NoIndex = true
	if p.Store != nil {
		return storeNotFound(*p.Store, p)
	}
	return platformNotFound(p)
}

func productDoc(p ProductPage) doc {
	m := p.Meta
	if m.OGImage.Src == "" {
		m.OGImage = firstImage(p.Product)
	}
	d := storeDoc(p.Store, m, productLD(p.Store, p.Product), breadcrumbLD(p.Breadcrumbs))
	d.ogType = "product"
	d.pricePaisa = p.Product.PricePaisa
	d.ogTitle = p.Product.Title + " — " + money.FormatPKR(p.Product.PricePaisa)
	return d
}
