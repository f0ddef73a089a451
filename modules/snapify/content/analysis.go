package content

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	_ "image/jpeg" // photos arrive as JPEG or PNG (the media pipeline's outputs)
	_ "image/png"
	"math"
	"slices"
	"strings"

	"github.com/alorig/alorig/shared/ai"
)

// Analysis is what the photo shows.
type Analysis struct {
	Category string `json:"category"`
	Colour   string `json:"colour"`
	Material string `json:"material"`
	Style    string `json:"style"`
}

// Categories are the product kinds the analysis names (the schema's enum).
var Categories = []string{"clothing", "shoes", "jewellery", "bags", "beauty", "home", "electronics", "food", "handicrafts", "kids", "other"}

var analysisSchema = ai.MustSchema("product_image_analysis", `{"type":"object","additionalProperties":false,
 "required":["category","colour","material","style"],
 "properties":{
  "category":{"type":"string","enum":["clothing","shoes","jewellery","bags","beauty","home","electronics","food","handicrafts","kids","other"]},
  "colour":{"type":"string","minLength":2,"maxLength":30},
  "material":{"type":"string","minLength":2,"maxLength":30},
  "style":{"type":"string","minLength":2,"maxLength":30}}}`)

const analysisSystem = `You look at one product photo from a small Pakistani online shop and name what it shows.
Answer in English, lower case, one or two words per field: the product category (from the list), its main colour,
its material ("unknown" if the photo does not show it) and its style (e.g. casual, formal, bridal, traditional, modern).
Use the seller's caption as a hint, but trust the photo.`

func (p *Pipeline) analyse(ctx context.Context, in *Input) (*Analysis, *Run, error) {
	if in.Photo == nil {
		return nil, nil, ErrNoPhoto
	}
	input, _ := json.Marshal(map[string]string{"caption": strings.TrimSpace(in.Title + " " + in.Caption), "description": in.Description})
	photo := *in.Photo
	resp, err := p.AI.Call(ctx, &ai.Request{Task: "snapify.content.analysis", System: analysisSystem,
		Prompt: "What does this product photo show?", Input: input, Images: []ai.Image{photo}, Schema: analysisSchema, MaxTokens: 200,
		Offline: func(json.RawMessage) (json.RawMessage, error) {
			a, err := AnalyseOffline(photo.Data, in.Title+" "+in.Caption+" "+in.Description)
			if err != nil {
				return nil, err
			}
			return json.Marshal(a)
		}}, p.Audit)
	run := runOf(resp)
	if err != nil {
		return nil, run, err
	}
	var a Analysis
	if err := json.Unmarshal(resp.JSON, &a); err != nil {
		return nil, run, fmt.Errorf("content: analysis: %w", err)
	}
	a.Colour, a.Material, a.Style = strings.ToLower(a.Colour), strings.ToLower(a.Material), strings.ToLower(a.Style)
	return &a, run, nil
}

// AnalyseOffline is the rules-based analysis: the colour is the most common named colour
// among the pixels of the photo's central area (product photos are framed on the product;
// the border, usually a wall or a sheet, is left out), and the category, material and style
// are the first of each list's keywords (English, Roman Urdu and Urdu) found in the seller's
// words; with none found they are "other", "unknown" and "casual".
func AnalyseOffline(photo []byte, words string) (*Analysis, error) {
	img, _, err := image.Decode(bytes.NewReader(photo))
	if err != nil {
		return nil, fmt.Errorf("content: decode photo: %w", err)
	}
	return &Analysis{Category: firstKeyword(words, categoryWords, "other"), Colour: DominantColour(img),
		Material: firstKeyword(words, materialWords, "unknown"), Style: firstKeyword(words, styleWords, "casual")}, nil
}

// Named colours of the offline rules, in sRGB.
var palette = []struct {
	name    string
	r, g, b float64
}{
	{"black", 20, 20, 20}, {"white", 245, 245, 245}, {"grey", 128, 128, 128}, {"red", 200, 30, 40},
	{"maroon", 120, 20, 35}, {"pink", 240, 140, 180}, {"orange", 240, 130, 30}, {"yellow", 240, 210, 40},
	{"green", 40, 150, 60}, {"olive", 110, 120, 40}, {"teal", 20, 130, 130}, {"blue", 40, 80, 200},
	{"navy", 20, 30, 90}, {"purple", 120, 50, 150}, {"brown", 120, 75, 40}, {"beige", 220, 200, 160},
	{"gold", 200, 160, 60},
}

// DominantColour names the most common colour of the central 60 % of img (sampled on a grid
// of at most 64×64 points), each pixel counted for the nearest palette colour by distance in
// a luma-weighted RGB space. Ties go to the palette's order, so the answer is deterministic.
func DominantColour(img image.Image) string {
	b := img.Bounds()
	x0, x1 := b.Min.X+b.Dx()/5, b.Max.X-b.Dx()/5
	y0, y1 := b.Min.Y+b.Dy()/5, b.Max.Y-b.Dy()/5
	if x1 <= x0 || y1 <= y0 {
		x0, x1, y0, y1 = b.Min.X, b.Max.X, b.Min.Y, b.Max.Y
	}
	stepX, stepY := max(1, (x1-x0)/64), max(1, (y1-y0)/64)
	counts := make([]int, len(palette))
	for y := y0; y < y1; y += stepY {
		for x := x0; x < x1; x += stepX {
			r, g, bl, a := img.At(x, y).RGBA()
			if a < 0x8000 {
				continue // transparent: not the product
			}
			counts[nearest(float64(r>>8), float64(g>>8), float64(bl>>8))]++
		}
	}
	best := 0
	for i, n := range counts {
		if n > counts[best] {
			best = i
		}
	}
	return palette[best].name
}

func nearest(r, g, b float64) int {
	best, bestD := 0, math.Inf(1)
	for i, c := range palette {
		// Weights after the eye's sensitivity (the "redmean" approximation's constants).
		dr, dg, db := r-c.r, g-c.g, b-c.b
		rm := (r + c.r) / 2
		d := (2+rm/256)*dr*dr + 4*dg*dg + (2+(255-rm)/256)*db*db
		if d < bestD {
			best, bestD = i, d
		}
	}
	return best
}

type keyword struct {
	value string
	words []string
}

var categoryWords = []keyword{
	{"shoes", []string{"shoe", "shoes", "sandal", "chappal", "khussa", "joota", "jootay", "sneaker", "heels", "جوتا", "جوتے", "کھسہ", "چپل"}},
	{"jewellery", []string{"jewellery", "jewelry", "necklace", "earring", "earrings", "jhumka", "bangle", "bangles", "choori", "ring", "bracelet", "زیور", "جھمکے", "چوڑیاں", "انگوٹھی"}},
	{"bags", []string{"bag", "bags", "handbag", "purse", "clutch", "wallet", "backpack", "بیگ", "پرس"}},
	{"beauty", []string{"lipstick", "cream", "serum", "perfume", "attar", "mehndi", "henna", "makeup", "soap", "خوشبو", "مہندی", "کریم"}},
	{"kids", []string{"kids", "baby", "toy", "toys", "bachay", "bachon", "بچوں", "کھلونا"}},
	{"clothing", []string{"kurta", "kurti", "shirt", "suit", "lawn", "shalwar", "kameez", "dupatta", "abaya", "saree", "sari", "lehenga", "frock", "dress", "trouser", "jeans", "shawl", "kapray", "کرتا", "قمیض", "شلوار", "سوٹ", "دوپٹہ", "شال", "کپڑے"}},
	{"home", []string{"cushion", "bedsheet", "curtain", "rug", "carpet", "lamp", "vase", "decor", "plate", "mug", "چادر", "پردے", "قالین"}},
	{"electronics", []string{"phone", "mobile", "charger", "earbuds", "headphones", "cable", "watch", "speaker", "موبائل", "چارجر", "گھڑی"}},
	{"food", []string{"achar", "pickle", "honey", "shehad", "mithai", "sweets", "biscuits", "dry fruit", "masala", "اچار", "شہد", "مٹھائی", "مصالحہ"}},
	{"handicrafts", []string{"handmade", "handicraft", "pottery", "ajrak", "rilli", "truck art", "embroidery", "hand made", "دستکاری", "اجرک", "رلی"}},
}

var materialWords = []keyword{
	{"lawn", []string{"lawn", "لان"}}, {"cotton", []string{"cotton", "سوتی", "کاٹن"}}, {"khaddar", []string{"khaddar", "khadar", "کھدر"}},
	{"silk", []string{"silk", "ریشم", "ریشمی"}}, {"chiffon", []string{"chiffon", "شیفون"}}, {"linen", []string{"linen", "لینن"}},
	{"wool", []string{"wool", "woollen", "pashmina", "اون", "پشمینہ"}}, {"leather", []string{"leather", "چمڑا", "چمڑے"}},
	{"velvet", []string{"velvet", "مخمل"}}, {"denim", []string{"denim", "jeans"}}, {"gold", []string{"gold", "sona", "سونا"}},
	{"silver", []string{"silver", "chandi", "چاندی"}}, {"brass", []string{"brass", "peetal", "پیتل"}}, {"wood", []string{"wood", "wooden", "لکڑی"}},
	{"clay", []string{"clay", "terracotta", "مٹی"}}, {"plastic", []string{"plastic", "پلاسٹک"}}, {"glass", []string{"glass", "شیشہ"}},
}

var styleWords = []keyword{
	{"bridal", []string{"bridal", "dulhan", "wedding", "shadi", "barat", "walima", "دلہن", "شادی"}},
	{"formal", []string{"formal", "party", "fancy", "festive", "eid", "عید", "فینسی"}},
	{"embroidered", []string{"embroidered", "embroidery", "kadhai", "chikankari", "کڑھائی"}},
	{"traditional", []string{"traditional", "desi", "cultural", "ajrak", "phulkari", "روایتی"}},
	{"modern", []string{"modern", "western", "trendy", "stylish"}},
	{"casual", []string{"casual", "daily", "everyday", "simple", "سادہ"}},
}

// firstKeyword is the value of the first list entry any of whose words occurs in text as a
// whole word (Urdu words as a substring: Urdu is not split on Latin word boundaries).
func firstKeyword(text string, list []keyword, none string) string {
	lower := strings.ToLower(text)
	words := strings.FieldsFunc(lower, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
	for _, k := range list {
		for _, w := range k.words {
			if w[0] >= 0x80 || strings.Contains(w, " ") {
				if strings.Contains(lower, w) {
					return k.value
				}
			} else if slices.Contains(words, w) {
				return k.value
			}
		}
	}
	return none
}
