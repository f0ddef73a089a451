package content

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/alorig/alorig/shared/ai"
	"github.com/alorig/alorig/shared/money"
	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// PostSide is the social image's side in pixels: 1080×1080 is the square both Instagram and
// Facebook show without cropping.
const PostSide = 1080

// Social is stage 5's output: the post image (JPEG) and its caption.
type Social struct {
	Caption  string   `json:"caption"`
	Hashtags []string `json:"hashtags"`
	Image    []byte   `json:"-"`
	MIME     string   `json:"mime"`
	Width    int      `json:"width"`
	Height   int      `json:"height"`
}

var socialSchema = ai.MustSchema("product_social_caption", `{"type":"object","additionalProperties":false,
 "required":["caption","hashtags"],
 "properties":{
  "caption":{"type":"string","minLength":10,"maxLength":1500},
  "hashtags":{"type":"array","minItems":1,"maxItems":10,"items":{"type":"string","minLength":2,"maxLength":41}}}}`)

const socialSystem = `You write the caption of a Facebook and Instagram post for one product of a small Pakistani online shop.
Write in the store's language, two to four short lines: what it is, the price, and how to order (WhatsApp, cash on
delivery). No invented discounts or promises. Then 3 to 8 hashtags people in Pakistan follow.`

func (p *Pipeline) social(ctx context.Context, in *Input, a *Analysis, g *Generated) (*Social, *Run, error) {
	if in.Photo == nil {
		return nil, nil, ErrNoPhoto
	}
	if g == nil {
		g = &Generated{Title: tidy(in.Title)}
	}
	input, _ := json.Marshal(map[string]any{"title": g.Title, "bullets": g.Bullets, "price": money.FormatPKR(in.PricePaisa),
		"analysis": a, "store": in.StoreName, "city": in.City, "url": in.StoreURL, "language": in.Lang})
	resp, err := p.AI.Call(ctx, &ai.Request{Task: "snapify.content.social", System: socialSystem, Prompt: "Write the post's caption.",
		Input: input, Schema: socialSchema, MaxTokens: 600,
		Offline: func(json.RawMessage) (json.RawMessage, error) {
			c := CaptionOffline(in, a, g)
			return json.Marshal(map[string]any{"caption": c.Caption, "hashtags": c.Hashtags})
		}}, p.Audit)
	run := runOf(resp)
	if err != nil {
		return nil, run, err
	}
	var s Social
	if err := json.Unmarshal(resp.JSON, &s); err != nil {
		return nil, run, fmt.Errorf("content: social: %w", err)
	}
	s.Hashtags = hashtags(s.Hashtags)
	overlay := g.Title
	if !isLatin(overlay) {
		// The embedded Go fonts have Latin glyphs only and x/image draws no Arabic-script
		// shaping: an Urdu title would come out as disjoined letters in the wrong order, so
		// the seller's own title is drawn if it is Latin, else the store's name.
		overlay = tidy(in.Title)
		if !isLatin(overlay) {
			overlay = in.StoreName
		}
	}
	img, err := RenderPost(in.Photo.Data, overlay, money.FormatPKR(in.PricePaisa), in.StoreName)
	if err != nil {
		return nil, run, err
	}
	s.Image, s.MIME, s.Width, s.Height = img, "image/jpeg", PostSide, PostSide
	return &s, run, nil
}

// CaptionOffline: the title, the price, the first two facts, the ordering line, and hashtags
// from the category, colour, city and store name.
func CaptionOffline(in *Input, a *Analysis, g *Generated) *Social {
	price := money.FormatPKR(in.PricePaisa)
	lines := []string{g.Title, price}
	if urdu(in) {
		lines = []string{g.Title, "قیمت: " + price}
	}
	for i, b := range g.Bullets {
		if i < 2 && !strings.Contains(b, price) {
			lines = append(lines, "• "+b)
		}
	}
	order := "Order on WhatsApp – cash on delivery"
	if urdu(in) {
		order = "واٹس ایپ پر آرڈر کریں – کیش آن ڈیلیوری"
	}
	if in.StoreURL != "" {
		order += ": " + in.StoreURL
	}
	lines = append(lines, order)
	s := &Social{Caption: cut(strings.Join(lines, "\n"), 1500)}
	tag := func(words ...string) {
		var b strings.Builder
		for _, w := range words {
			for _, r := range strings.ToLower(w) {
				if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
					b.WriteRune(r)
				}
			}
		}
		t := b.String()
		if len(t) >= 2 && len(t) <= 40 && len(s.Hashtags) < 10 {
			for _, h := range s.Hashtags {
				if h == "#"+t {
					return
				}
			}
			s.Hashtags = append(s.Hashtags, "#"+t)
		}
	}
	if a != nil && a.Category != "" && a.Category != "other" {
		tag(a.Category)
		tag(a.Colour, a.Category)
	}
	if in.City != "" {
		tag(in.City)
		tag("shop", in.City)
	}
	tag(in.StoreName)
	tag("cash", "on", "delivery")
	tag("pakistan", "online", "shopping")
	return s
}

var (
	fontsOnce             sync.Once
	boldFont, regularFont *opentype.Font
	fontsErr              error
)

func fonts() (*opentype.Font, *opentype.Font, error) {
	fontsOnce.Do(func() {
		if boldFont, fontsErr = opentype.Parse(gobold.TTF); fontsErr == nil {
			regularFont, fontsErr = opentype.Parse(goregular.TTF)
		}
	})
	return boldFont, regularFont, fontsErr
}

// RenderPost draws the post image: the photo scaled to cover the 1080×1080 square (centred,
// the overflow cropped), a dark translucent band over its lower third, and in it the title
// (Go Bold, wrapped to two lines and cut with an ellipsis), the price (larger, in amber) and
// the store's name. The result is a JPEG at quality 88.
func RenderPost(photo []byte, title, price, store string) ([]byte, error) {
	src, _, err := image.Decode(bytes.NewReader(photo))
	if err != nil {
		return nil, fmt.Errorf("content: decode photo: %w", err)
	}
	bold, regular, err := fonts()
	if err != nil {
		return nil, fmt.Errorf("content: fonts: %w", err)
	}
	dst := image.NewRGBA(image.Rect(0, 0, PostSide, PostSide))
	b := src.Bounds()
	// Cover: the shorter side fills the square.
	scale := max(float64(PostSide)/float64(b.Dx()), float64(PostSide)/float64(b.Dy()))
	w, h := int(float64(b.Dx())*scale+0.5), int(float64(b.Dy())*scale+0.5)
	off := image.Pt((PostSide-w)/2, (PostSide-h)/2)
	xdraw.CatmullRom.Scale(dst, image.Rectangle{Min: off, Max: off.Add(image.Pt(w, h))}, src, b, xdraw.Src, nil)

	band := image.Rect(0, PostSide*2/3, PostSide, PostSide)
	xdraw.Draw(dst, band, image.NewUniform(color.NRGBA{0, 0, 0, 165}), image.Point{}, xdraw.Over)

	face := func(f *opentype.Font, size float64) (font.Face, error) {
		return opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	}
	titleFace, err := face(bold, 54)
	if err != nil {
		return nil, err
	}
	priceFace, err := face(bold, 72)
	if err != nil {
		return nil, err
	}
	storeFace, err := face(regular, 34)
	if err != nil {
		return nil, err
	}
	const margin = 56
	y := band.Min.Y + 80
	for _, line := range wrap(titleFace, title, PostSide-2*margin, 2) {
		drawText(dst, titleFace, line, margin, y, color.White)
		y += 66
	}
	drawText(dst, priceFace, price, margin, PostSide-72, color.NRGBA{255, 193, 7, 255})
	sw := font.MeasureString(storeFace, store).Round()
	drawText(dst, storeFace, store, PostSide-margin-sw, PostSide-78, color.NRGBA{230, 230, 230, 255})

	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 88}); err != nil {
		return nil, fmt.Errorf("content: encode post: %w", err)
	}
	return buf.Bytes(), nil
}

// hashtags normalises a model's hashtags: "#" in front, letters, digits and "_" only,
// duplicates dropped.
func hashtags(in []string) []string {
	var out []string
	for _, h := range in {
		var b strings.Builder
		for _, r := range strings.TrimPrefix(strings.TrimSpace(h), "#") {
			if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' {
				b.WriteRune(r)
			}
		}
		t := "#" + b.String()
		if b.Len() >= 2 && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

func drawText(dst *image.RGBA, face font.Face, s string, x, y int, c color.Color) {
	d := font.Drawer{Dst: dst, Src: image.NewUniform(c), Face: face, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

// wrap breaks s into at most maxLines lines no wider than width, the last cut with "…".
func wrap(face font.Face, s string, width, maxLines int) []string {
	words := strings.Fields(s)
	var lines []string
	cur := ""
	for i := 0; i < len(words); i++ {
		try := strings.TrimSpace(cur + " " + words[i])
		if font.MeasureString(face, try).Round() <= width || cur == "" {
			cur = try
			continue
		}
		lines = append(lines, cur)
		cur = words[i]
		if len(lines) == maxLines-1 {
			cur = strings.Join(words[i:], " ")
			break
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	for i, l := range lines {
		if font.MeasureString(face, l).Round() > width {
			r := []rune(l)
			for len(r) > 1 && font.MeasureString(face, string(r)+"…").Round() > width {
				r = r[:len(r)-1]
			}
			lines[i] = strings.TrimRight(string(r), " ") + "…"
		}
	}
	return lines
}
