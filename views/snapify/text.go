package snapify

import (
	"github.com/alorig/alorig/shared/wame"

	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// paragraphs splits seller plain text on blank lines; single newlines inside a paragraph become
// spaces because sellers type on phones and wrap by accident.
func paragraphs(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var out []string
	for _, block := range strings.Split(s, "\n\n") {
		p := strings.Join(strings.Fields(block), " ")
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// firstParagraphs joins the paragraphs and cuts at max bytes on a rune boundary; for
// descriptions in structured data, where one line is expected.
func firstParagraphs(s string, max int) string {
	joined := strings.Join(paragraphs(s), " ")
	if len(joined) <= max {
		return joined
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(joined[cut]) {
		cut--
	}
	return strings.TrimRightFunc(joined[:cut], unicode.IsSpace) + "…"
}

// chatURL is the wa.me link that opens a chat with the store ("" without a number).
func chatURL(phone string) string { return wame.Link(digits(phone), "") }

// initial is the letter drawn when a store has no logo.
func initial(name string) string {
	for _, r := range strings.TrimSpace(name) {
		return string(unicode.ToUpper(r))
	}
	return "S"
}

func itoa(n int) string { return strconv.Itoa(n) }

func hasImage(im Image) bool { return im.Src != "" }

func firstImage(p Product) Image {
	if len(p.Images) > 0 {
		return p.Images[0]
	}
	return Image{}
}

// orAlt gives an image the text of what it shows when the seller left alt empty.
func orAlt(im Image, fallback string) string {
	if strings.TrimSpace(im.Alt) != "" {
		return im.Alt
	}
	return fallback
}

func csrfField(name string) string {
	if name == "" {
		return DefaultCSRFField
	}
	return name
}

func ogType(product bool) string {
	if product {
		return "product"
	}
	return "website"
}

func joinNonEmpty(sep string, parts ...string) string {
	kept := parts[:0:0]
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}
