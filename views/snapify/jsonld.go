package snapify

import (
	"github.com/alorig/alorig/shared/money"

	"encoding/json"
	"strings"

	"github.com/a-h/templ"
)

const schemaContext = "https://schema.org"

type ldProduct struct {
	Context     string   `json:"@context"`
	Type        string   `json:"@type"`
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Image       []string `json:"image,omitempty"`
	SKU         string   `json:"sku,omitempty"`
	URL         string   `json:"url,omitempty"`
	Category    string   `json:"category,omitempty"`
	Brand       *ldOrg   `json:"brand,omitempty"`
	Offers      ldOffer  `json:"offers"`
}

type ldOffer struct {
	Type          string      `json:"@type"`
	Price         json.Number `json:"price"`
	PriceCurrency string      `json:"priceCurrency"`
	Availability  string      `json:"availability"`
	ItemCondition string      `json:"itemCondition"`
	URL           string      `json:"url,omitempty"`
	Seller        *ldOrg      `json:"seller,omitempty"`
}

type ldOrg struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type ldStore struct {
	Context     string     `json:"@context"`
	Type        string     `json:"@type"`
	Name        string     `json:"name"`
	URL         string     `json:"url,omitempty"`
	Description string     `json:"description,omitempty"`
	Image       string     `json:"image,omitempty"`
	Logo        string     `json:"logo,omitempty"`
	Telephone   string     `json:"telephone,omitempty"`
	Address     ldAddress  `json:"address"`
	AreaServed  string     `json:"areaServed,omitempty"`
	Payment     string     `json:"paymentAccepted,omitempty"`
	Currencies  string     `json:"currenciesAccepted,omitempty"`
	SameAs      []string   `json:"sameAs,omitempty"`
	Contact     *ldContact `json:"contactPoint,omitempty"`
}

type ldAddress struct {
	Type     string `json:"@type"`
	Street   string `json:"streetAddress,omitempty"`
	Locality string `json:"addressLocality,omitempty"`
	Region   string `json:"addressRegion,omitempty"`
	Country  string `json:"addressCountry"`
}

type ldContact struct {
	Type        string `json:"@type"`
	Telephone   string `json:"telephone"`
	ContactType string `json:"contactType"`
}

type ldBreadcrumbs struct {
	Context string       `json:"@context"`
	Type    string       `json:"@type"`
	Items   []ldListItem `json:"itemListElement"`
}

type ldListItem struct {
	Type     string `json:"@type"`
	Position int    `json:"position"`
	Name     string `json:"name,omitempty"`
	Item     string `json:"item,omitempty"`
	URL      string `json:"url,omitempty"`
}

type ldItemList struct {
	Context string       `json:"@context"`
	Type    string       `json:"@type"`
	Name    string       `json:"name,omitempty"`
	Items   []ldListItem `json:"itemListElement"`
}

func availability(inStock bool) string {
	if inStock {
		return "https://schema.org/InStock"
	}
	return "https://schema.org/OutOfStock"
}

func productLD(s Store, p Product) ldProduct {
	imgs := make([]string, 0, len(p.Images))
	for _, im := range p.Images {
		if im.Src != "" {
			imgs = append(imgs, im.Src)
		}
	}
	seller := &ldOrg{Type: "Organization", Name: s.Name, URL: s.URL}
	return ldProduct{
		Context:     schemaContext,
		Type:        "Product",
		Name:        p.Title,
		Description: firstParagraphs(p.Description, 5000),
		Image:       imgs,
		SKU:         p.SKU,
		URL:         p.URL,
		Category:    p.Category.Name,
		Brand:       &ldOrg{Type: "Brand", Name: s.Name},
		Offers: ldOffer{
			Type:          "Offer",
			Price:         json.Number(money.Decimal(p.PricePaisa)),
			PriceCurrency: "PKR",
			Availability:  availability(p.InStock),
			ItemCondition: "https://schema.org/NewCondition",
			URL:           p.URL,
			Seller:        seller,
		},
	}
}

func storeLD(s Store) ldStore {
	phone := e164(s.WhatsAppPhone)
	ld := ldStore{
		Context:     schemaContext,
		Type:        "Store",
		Name:        s.Name,
		URL:         s.URL,
		Description: firstParagraphs(firstNonEmpty(s.About, s.Tagline), 1000),
		Image:       firstNonEmpty(s.Banner.Src, s.Logo.Src),
		Logo:        s.Logo.Src,
		Telephone:   phone,
		Address: ldAddress{
			Type:     "PostalAddress",
			Street:   s.Address,
			Locality: s.City,
			Region:   s.Region,
			Country:  "PK",
		},
		AreaServed: "PK",
		Payment:    "Cash",
		Currencies: "PKR",
	}
	if phone != "" {
		ld.Contact = &ldContact{Type: "ContactPoint", Telephone: phone, ContactType: "sales"}
	}
	return ld
}

func breadcrumbLD(crumbs []Link) ldBreadcrumbs {
	items := make([]ldListItem, len(crumbs))
	for i, c := range crumbs {
		items[i] = ldListItem{Type: "ListItem", Position: i + 1, Name: c.Name, Item: c.URL}
	}
	return ldBreadcrumbs{Context: schemaContext, Type: "BreadcrumbList", Items: items}
}

func storeListLD(name string, stores []StoreCard) ldItemList {
	items := make([]ldListItem, len(stores))
	for i, s := range stores {
		items[i] = ldListItem{Type: "ListItem", Position: i + 1, Name: s.Name, URL: s.URL}
	}
	return ldItemList{Context: schemaContext, Type: "ItemList", Name: name, Items: items}
}

type ldWebSite struct {
	Context string         `json:"@context"`
	Type    string         `json:"@type"`
	Name    string         `json:"name"`
	URL     string         `json:"url"`
	Action  ldSearchAction `json:"potentialAction"`
}

type ldSearchAction struct {
	Type       string       `json:"@type"`
	Target     ldEntryPoint `json:"target"`
	QueryInput string       `json:"query-input"`
}

type ldEntryPoint struct {
	Type        string `json:"@type"`
	URLTemplate string `json:"urlTemplate"`
}

type ldOrganization struct {
	Context     string `json:"@context"`
	Type        string `json:"@type"`
	Name        string `json:"name"`
	URL         string `json:"url"`
	Description string `json:"description"`
	AreaServed  string `json:"areaServed"`
}

// platformLD is what the platform's own pages say about Snapify: the site with its search
// (so a search engine can offer a search box that lands on /search) and the organisation
// behind it. origin is the public origin, such as https://snapify.pk; without one (a page
// rendered outside a request) there is nothing absolute to point at and no block is written.
func platformLD(origin string) []any {
	origin = strings.TrimRight(origin, "/")
	if origin == "" {
		return nil
	}
	return []any{
		ldWebSite{Context: schemaContext, Type: "WebSite", Name: "Snapify", URL: origin + "/",
			Action: ldSearchAction{Type: "SearchAction",
				Target:     ldEntryPoint{Type: "EntryPoint", URLTemplate: origin + PlatformSearchPath + "?q={search_term_string}"},
				QueryInput: "required name=search_term_string"}},
		ldOrganization{Context: schemaContext, Type: "Organization", Name: "Snapify", URL: origin + "/",
			Description: "Online shops of WhatsApp sellers across Pakistan, with cash on delivery.", AreaServed: "PK"},
	}
}

// jsonLD renders one structured-data block. templ's JSONScript encodes with encoding/json, whose
// default HTML escaping writes '<', '>' and '&' as \u003c, \u003e, \u0026, so seller text such
// as "</script>" cannot end the element.
func jsonLD(v any) templ.Component {
	return templ.JSONScript("", v).WithType("application/ld+json")
}

// e164 turns a stored WhatsApp number into "+923001234567" for schema.org, or "" if it holds no
// digits.
func e164(phone string) string {
	d := digits(phone)
	if d == "" {
		return ""
	}
	return "+" + d
}

func digits(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// cityStoreLD is the store seen from one city's landing page: it serves that city.
func cityStoreLD(s Store, city string) ldStore {
	ld := storeLD(s)
	ld.AreaServed = city
	return ld
}
