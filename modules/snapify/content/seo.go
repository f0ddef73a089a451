package content

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/alorig/alorig/shared/ai"
	"github.com/alorig/alorig/shared/money"
)

// SEO is stage 4's output.
type SEO struct {
	MetaTitle       string     `json:"meta_title"`
	MetaDescription string     `json:"meta_description"`
	Keywords        []string   `json:"keywords"`
	CityPages       []CityPage `json:"city_pages"`
	// Schema is the schema.org Product fields the product page's JSON-LD can carry, built
	// here from the facts rather than asked of a model.
	Schema map[string]any `json:"schema,omitempty"`
}

// CityPage is a delivery-to-{city} page worth having for this product (Pro stores' city
// pages), with the heading to give it.
type CityPage struct {
	City    string `json:"city"`
	Heading string `json:"heading"`
}

// BigCities are the cities the offline rules suggest delivery pages for after the store's own
// (Pakistan's largest by population).
var BigCities = []string{"Karachi", "Lahore", "Islamabad", "Rawalpindi", "Faisalabad", "Multan", "Peshawar"}

var seoSchema = ai.MustSchema("product_seo", `{"type":"object","additionalProperties":false,
 "required":["meta_title","meta_description","keywords","city_pages"],
 "properties":{
  "meta_title":{"type":"string","minLength":5,"maxLength":60},
  "meta_description":{"type":"string","minLength":20,"maxLength":160},
  "keywords":{"type":"array","minItems":1,"maxItems":12,"items":{"type":"string","minLength":2,"maxLength":40}},
  "city_pages":{"type":"array","maxItems":5,"items":{"type":"object","additionalProperties":false,"required":["city","heading"],
   "properties":{"city":{"type":"string","minLength":2,"maxLength":40},"heading":{"type":"string","minLength":5,"maxLength":80}}}}}}`)

const seoSystem = `You optimise one product page of a small Pakistani online shop for Google search in Pakistan.
Give a meta title under 60 characters (product first, then the store), a meta description under 155 characters that
names cash on delivery but not the price (the price changes and the page shows it), 5 to 10 search keywords people in Pakistan type (English and Roman Urdu), and up
to 5 cities (the store's own city first) whose "delivery to {city}" page should feature this product, each with a heading.
Write the title and description in the store's language.`

func (p *Pipeline) optimise(ctx context.Context, in *Input, a *Analysis, g *Generated) (*SEO, *Run, error) {
	if g == nil {
		g = &Generated{Title: tidy(in.Title), Description: tidy(in.Description)}
	}
	input, _ := json.Marshal(map[string]any{"title": g.Title, "description": g.Description, "price": money.FormatPKR(in.PricePaisa),
		"analysis": a, "store": in.StoreName, "city": in.City, "language": in.Lang})
	resp, err := p.AI.Call(ctx, &ai.Request{Task: "snapify.content.seo", System: seoSystem, Prompt: "Optimise this product page.",
		Input: input, Schema: seoSchema, MaxTokens: 800,
		Offline: func(json.RawMessage) (json.RawMessage, error) { return json.Marshal(SEOOffline(in, a, g)) }}, p.Audit)
	run := runOf(resp)
	if err != nil {
		return nil, run, err
	}
	var s SEO
	if err := json.Unmarshal(resp.JSON, &s); err != nil {
		return nil, run, fmt.Errorf("content: seo: %w", err)
	}
	s.Schema = productSchema(in, a, g)
	return &s, run, nil
}

// SEOOffline: the meta title is the title and the store's name cut to 60 characters; the
// meta description stage 3's (or the description cut to 155); the keywords are the title's
// words with the colour, material, category, city and the shoppers' phrases ("cash on
// delivery", "online shopping pakistan"); the city pages are the store's city then
// BigCities, five in all.
func SEOOffline(in *Input, a *Analysis, g *Generated) *SEO {
	s := &SEO{MetaTitle: cut(g.Title+" | "+in.StoreName, 60), MetaDescription: g.MetaDescription}
	if s.MetaDescription == "" {
		s.MetaDescription = cut(g.Description, 155)
	}
	if len([]rune(s.MetaDescription)) < 20 {
		s.MetaDescription = cut(g.Title+" – "+money.FormatPKR(in.PricePaisa)+", cash on delivery. "+in.StoreName, 155)
	}
	seen := map[string]bool{}
	add := func(k string) {
		k = strings.ToLower(strings.TrimSpace(k))
		if len([]rune(k)) >= 2 && len([]rune(k)) <= 40 && !seen[k] && len(s.Keywords) < 12 {
			seen[k] = true
			s.Keywords = append(s.Keywords, k)
		}
	}
	add(tidy(in.Title))
	if a != nil {
		if a.Colour != "" && a.Category != "" && a.Category != "other" {
			add(a.Colour + " " + a.Category)
		}
		if a.Material != "" && a.Material != "unknown" {
			add(a.Material)
		}
		if a.Category != "" && a.Category != "other" {
			add(a.Category + " online")
			if in.City != "" {
				add(a.Category + " " + in.City)
			}
		}
	}
	add("cash on delivery")
	add("online shopping pakistan")
	add(in.StoreName)
	cities := []string{}
	if in.City != "" {
		cities = append(cities, in.City)
	}
	for _, c := range BigCities {
		if len(cities) < 5 && !slices.ContainsFunc(cities, func(x string) bool { return strings.EqualFold(x, c) }) {
			cities = append(cities, c)
		}
	}
	for _, c := range cities {
		h := cut(g.Title+" – delivery to "+c, 80)
		if urdu(in) {
			h = cut(g.Title+" – "+c+" میں ڈیلیوری", 80)
		}
		s.CityPages = append(s.CityPages, CityPage{City: c, Heading: h})
	}
	return s
}

// productSchema is the schema.org Product the page can describe the product with.
func productSchema(in *Input, a *Analysis, g *Generated) map[string]any {
	m := map[string]any{"@type": "Product", "name": g.Title, "description": cut(g.Description, 5000),
		"offers": map[string]any{"@type": "Offer", "price": money.Decimal(in.PricePaisa), "priceCurrency": "PKR",
			"availability": "https://schema.org/InStock", "acceptedPaymentMethod": "http://purl.org/goodrelations/v1#COD"}}
	if in.StoreURL != "" {
		m["url"] = in.StoreURL
	}
	if in.StoreName != "" {
		m["brand"] = map[string]any{"@type": "Brand", "name": in.StoreName}
	}
	if a != nil {
		if a.Colour != "" {
			m["color"] = a.Colour
		}
		if a.Material != "" && a.Material != "unknown" {
			m["material"] = a.Material
		}
		if a.Category != "" && a.Category != "other" {
			m["category"] = a.Category
		}
	}
	return m
}
