package content

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alorig/alorig/shared/ai"
	"github.com/alorig/alorig/shared/money"
)

// Generated is stage 3's product copy.
type Generated struct {
	Title           string   `json:"title"`
	Description     string   `json:"description"`
	Bullets         []string `json:"bullets"`
	MetaDescription string   `json:"meta_description"`
}

// The limits are the product form's (title 2–140, description up to 5,000) and what search
// engines show of a meta description (about 155 characters).
var contentSchema = ai.MustSchema("product_content", `{"type":"object","additionalProperties":false,
 "required":["title","description","bullets","meta_description"],
 "properties":{
  "title":{"type":"string","minLength":2,"maxLength":140},
  "description":{"type":"string","minLength":20,"maxLength":2000},
  "bullets":{"type":"array","minItems":1,"maxItems":6,"items":{"type":"string","minLength":2,"maxLength":120}},
  "meta_description":{"type":"string","minLength":20,"maxLength":160}}}`)

func contentSystem(ur bool) string {
	lang := "English"
	if ur {
		lang = "Urdu, in Urdu script (prices and numbers in Western digits, e.g. Rs 1,500)"
	}
	return `You write product listings for small Pakistani online shops whose buyers order on WhatsApp and pay cash on delivery.
Write in ` + lang + `. Keep the seller's facts (price, size, fabric, what they said in their voice note); never invent
a brand, a discount, a guarantee or a delivery time. The title is short and specific (what it is, colour, material);
the description is two or three plain sentences; 3 to 5 bullet points of facts; a meta description under 155 characters that does not name the price
(it changes, and the page shows the current one).`
}

func (p *Pipeline) generate(ctx context.Context, in *Input, a *Analysis, transcript string) (*Generated, *Run, error) {
	input, _ := json.Marshal(map[string]any{"seller_title": in.Title, "seller_description": in.Description, "caption": in.Caption,
		"price": money.FormatPKR(in.PricePaisa), "category": in.Category, "analysis": a, "voice_note": transcript,
		"store": in.StoreName, "city": in.City, "language": in.Lang})
	resp, err := p.AI.Call(ctx, &ai.Request{Task: "snapify.content.generate", System: contentSystem(urdu(in)),
		Prompt: "Write this product's listing.", Input: input, Schema: contentSchema, MaxTokens: 1200,
		Offline: func(json.RawMessage) (json.RawMessage, error) {
			return json.Marshal(GenerateOffline(in, a, transcript))
		}}, p.Audit)
	run := runOf(resp)
	if err != nil {
		return nil, run, err
	}
	var g Generated
	if err := json.Unmarshal(resp.JSON, &g); err != nil {
		return nil, run, fmt.Errorf("content: generate: %w", err)
	}
	g.Title, g.Description, g.MetaDescription = strings.TrimSpace(g.Title), strings.TrimSpace(g.Description), strings.TrimSpace(g.MetaDescription)
	return &g, run, nil
}

// Urdu names of the analysis's words, for the offline Urdu copy.
var urduWords = map[string]string{
	"black": "کالا", "white": "سفید", "grey": "سلیٹی", "red": "لال", "maroon": "میرون", "pink": "گلابی", "orange": "نارنجی",
	"yellow": "پیلا", "green": "سبز", "olive": "زیتونی", "teal": "فیروزی", "blue": "نیلا", "navy": "گہرا نیلا", "purple": "جامنی",
	"brown": "بھورا", "beige": "بادامی", "gold": "سنہرا",
	"lawn": "لان", "cotton": "سوتی", "khaddar": "کھدر", "silk": "ریشم", "chiffon": "شیفون", "linen": "لینن", "wool": "اون",
	"leather": "چمڑا", "velvet": "مخمل", "denim": "ڈینم", "silver": "چاندی", "brass": "پیتل", "wood": "لکڑی",
	"clay": "مٹی", "plastic": "پلاسٹک", "glass": "شیشہ",
	"bridal": "دلہن کے لیے", "formal": "فارمل", "embroidered": "کڑھائی والا", "traditional": "روایتی", "modern": "جدید", "casual": "روزمرہ",
}

// GenerateOffline writes the listing from templates: the seller's title with the photo's
// colour and material put in front when the title does not name them (English stores); a
// description from the seller's own description and voice note with the analysis's facts and
// the store's cash-on-delivery line; bullets of the facts; a meta description cut at a word
// under 155 characters.
func GenerateOffline(in *Input, a *Analysis, transcript string) *Generated {
	if a == nil {
		a = &Analysis{Material: "unknown"}
	}
	title := tidy(in.Title)
	price := money.FormatPKR(in.PricePaisa)
	own := strings.TrimSpace(tidy(in.Description) + " " + sentence(tidy(transcript)))
	g := &Generated{}
	if urdu(in) {
		g.Title = title
		var facts []string
		if c := urduWords[a.Colour]; c != "" {
			facts = append(facts, "رنگ: "+c)
			g.Bullets = append(g.Bullets, "رنگ: "+c)
		}
		if m := urduWords[a.Material]; m != "" {
			facts = append(facts, "میٹیریل: "+m)
			g.Bullets = append(g.Bullets, "میٹیریل: "+m)
		}
		if s := urduWords[a.Style]; s != "" {
			g.Bullets = append(g.Bullets, "انداز: "+s)
		}
		g.Bullets = append(g.Bullets, "قیمت: "+price, "واٹس ایپ پر آرڈر، کیش آن ڈیلیوری")
		d := title
		if len(facts) > 0 {
			d += "، " + strings.Join(facts, "، ")
		}
		d += "۔ "
		if own != "" {
			d += own + " "
		}
		d += in.StoreName + " سے واٹس ایپ پر آرڈر کریں، ادائیگی ڈیلیوری پر۔"
		g.Description = strings.TrimSpace(d)
		where := "پورے پاکستان میں"
		if in.City != "" {
			where = in.City + " اور پورے پاکستان میں"
		}
		// No price in stored text: it changes, and a filled-in meta description would keep
		// the old one (the page names the current price in its own markup).
		g.MetaDescription = cut(title+"۔ "+where+" کیش آن ڈیلیوری، "+in.StoreName+" سے واٹس ایپ پر آرڈر کریں۔", 155)
		return g
	}
	lowerTitle := strings.ToLower(title)
	var front []string
	for _, w := range []string{a.Colour, a.Material} {
		if w != "" && w != "unknown" && !strings.Contains(lowerTitle, w) && isLatin(title) {
			front = append(front, upperFirst(w))
		}
	}
	g.Title = cut(strings.TrimSpace(strings.Join(front, " ")+" "+upperFirst(title)), 140)
	if a.Colour != "" {
		g.Bullets = append(g.Bullets, "Colour: "+upperFirst(a.Colour))
	}
	if a.Material != "" && a.Material != "unknown" {
		g.Bullets = append(g.Bullets, "Material: "+upperFirst(a.Material))
	}
	if a.Style != "" {
		g.Bullets = append(g.Bullets, "Style: "+upperFirst(a.Style))
	}
	g.Bullets = append(g.Bullets, "Price: "+price, "Order on WhatsApp, pay cash on delivery")
	d := g.Title
	if a.Style != "" && a.Material != "" && a.Material != "unknown" {
		d += fmt.Sprintf(", %s, in %s", a.Style, a.Material)
	} else if a.Style != "" {
		d += ", " + a.Style
	}
	d += ". "
	if own != "" {
		d += own + " "
	}
	d += "Order from " + in.StoreName + " on WhatsApp and pay cash on delivery."
	g.Description = strings.TrimSpace(d)
	where := "across Pakistan"
	if in.City != "" {
		where = "in " + in.City + " and across Pakistan"
	}
	// No price in stored text (see the Urdu branch above).
	g.MetaDescription = cut(fmt.Sprintf("%s from %s. Cash on delivery %s; order on WhatsApp.", g.Title, in.StoreName, where), 155)
	return g
}

// tidy collapses runs of white space.
func tidy(s string) string { return strings.Join(strings.Fields(s), " ") }

// sentence ends s with a full stop unless it ends in punctuation already.
func sentence(s string) string {
	if s == "" {
		return ""
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	if unicode.IsPunct(r) {
		return s
	}
	return s + "."
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// isLatin reports whether s has no letters outside the Latin script.
func isLatin(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.In(r, unicode.Latin) {
			return false
		}
	}
	return true
}

// cut shortens s to at most n characters, at a word boundary, with an ellipsis if cut.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)[:n-1]
	out := string(runes)
	if i := strings.LastIndex(out, " "); i > n/2 {
		out = out[:i]
	}
	return strings.TrimRight(out, " ,.;:-،") + "…"
}
