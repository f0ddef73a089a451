package snapify

import (
	"net/url"
	"strings"

	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"

	"github.com/alorig/alorig/modules/snapify/rules"
	sv "github.com/alorig/alorig/views/snapify"
)

// site is where a page is being served: the origin and the path prefix of the store
// ("/slug" on snapify hosts, "" on the store's own domain).
type site struct {
	origin string // scheme://host of the request
	prefix string
	custom bool
}

func (st site) storeHome() string {
	if st.prefix == "" {
		return "/"
	}
	return st.prefix
}

func (st site) path(p string) string { return st.prefix + "/" + p }

func (st site) abs(p string) string {
	if strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") {
		return p
	}
	return st.origin + p
}

// canonicalBase is the store's one address for search engines: its own domain when one is
// active, so the snapify.pk copy does not compete with it.
func (m *Module) canonicalBase(s *Store, st site) string {
	if d := s.ActiveDomain(); d != "" {
		return m.customOrigin(d)
	}
	if st.custom {
		return st.origin
	}
	return st.origin + "/" + s.Slug
}

// Origins on pages are never taken from the request: pages are cached per canonical host, so
// a Host header with a port or other letter case would otherwise write its own origin into a
// page every later buyer gets. The configured public URL (ALORIG_SNAPIFY_PUBLIC_URL) gives
// snapify's origin and the scheme of every origin; without one the scheme is https and
// snapify's host the canonical form of the one the request reached (one of a fixed set).

// platformOrigin is snapify's public origin. c is the request, or nil outside one.
func (m *Module) platformOrigin(c echo.Context) string {
	if u := strings.TrimRight(m.d.Config.Snapify.PublicBaseURL, "/"); u != "" {
		return u
	}
	if c != nil {
		if h := web.CanonicalHost(c.Request().Host); m.isOwnHost(h) {
			return m.publicScheme() + "://" + h
		}
	}
	return "https://snapify.pk"
}

// customOrigin is the origin of a store's own domain (a canonical host: lower case, no port).
func (m *Module) customOrigin(domain string) string { return m.publicScheme() + "://" + domain }

// publicScheme is the configured public URL's scheme, else https (custom domains are always
// given certificates).
func (m *Module) publicScheme() string {
	if u, err := url.Parse(m.d.Config.Snapify.PublicBaseURL); err == nil && u.Scheme == "http" {
		return "http"
	}
	return "https"
}

func (m *Module) image(p Picture, st site) sv.Image {
	if m.files == nil || p.Hash == "" {
		return sv.Image{}
	}
	pic := m.delivery.Picture(p.Stored, "")
	return sv.Image{Src: st.abs(pic.Src), Srcset: absSrcset(pic.SrcSet, st), Width: pic.Width, Height: pic.Height, Alt: p.Alt}
}

// absSrcset leaves srcset URLs as they are when they are already absolute; local-disk URLs are
// site-relative, which browsers resolve against the page.
func absSrcset(s string, _ site) string { return s }

func (m *Module) imagePtr(p *Picture, st site) sv.Image {
	if p == nil {
		return sv.Image{}
	}
	return m.image(*p, st)
}

func (m *Module) viewStore(s *Store, cats []Category, st site) sv.Store {
	out := sv.Store{Name: s.Name, Slug: s.Slug, URL: m.canonicalBase(s, st), Tagline: s.Tagline, About: s.About,
		City: s.City, Region: s.Region, Address: s.Address, Theme: sv.Theme(s.Theme), Lang: sv.Lang(s.Lang),
		Tier: sv.Tier(s.Tier), WhatsAppPhone: strings.TrimPrefix(s.WhatsAppPhone, "+"),
		Logo: m.imagePtr(s.Logo, st), Banner: m.imagePtr(s.Banner, st), Verified: s.Verified,
		SearchURL: st.path("search"), AboutURL: st.path("about"), DeliveryNote: s.DeliveryNote}
	for _, c := range cats {
		if c.ProductCount > 0 {
			out.Categories = append(out.Categories, sv.Link{Name: c.Name, URL: st.path(c.Slug)})
		}
	}
	return out
}

func (m *Module) viewProduct(p *Product, cats []Category, st site, absolute bool) sv.Product {
	u := st.path(p.Slug)
	if absolute {
		u = st.abs(u)
	}
	out := sv.Product{Title: p.Title, URL: u, Description: p.Description, PricePaisa: p.PricePaisa,
		CompareAtPaisa: p.CompareAtPaisa, InStock: p.InStock(), SKU: p.SKU}
	for _, im := range p.Images {
		out.Images = append(out.Images, m.image(im, st))
	}
	for _, v := range p.Variants {
		out.Variants = append(out.Variants, sv.Variant{Key: v.Key, Label: v.Label, Options: v.Options})
	}
	if p.CategoryID != nil {
		for _, c := range cats {
			if c.ID == *p.CategoryID {
				out.Category = sv.Link{Name: c.Name, URL: st.path(c.Slug)}
			}
		}
	}
	return out
}

func (m *Module) viewProducts(ps []Product, cats []Category, st site) []sv.Product {
	out := make([]sv.Product, 0, len(ps))
	for i := range ps {
		out = append(out, m.viewProduct(&ps[i], cats, st, false))
	}
	return out
}

func sellerPhone(s *Store) rules.Phone {
	p, err := rules.ParsePhone(s.WhatsAppPhone)
	if err != nil {
		return rules.Phone("+" + strings.TrimPrefix(s.WhatsAppPhone, "+"))
	}
	return p
}

func describe(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	r := []rune(text)
	if len(r) <= n {
		return text
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}
