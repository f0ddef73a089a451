package snapify

import (
	"strconv"
	"strings"
)

// imgSlot is a place an image is drawn: the sizes attribute the browser needs to pick a
// candidate, and the widest candidate worth its bytes there. The cap keeps a 24-product grid
// inside the 200 KB page budget on a 2.6x phone, where the browser would otherwise fetch
// 500-px thumbnails for 184-px cards.
type imgSlot struct {
	sizes string
	maxW  int
}

// srcCandidate is one entry of a srcset: a URL and its descriptor ("480w", "2x" or none).
type srcCandidate struct {
	url   string
	desc  string
	width int // from a "w" descriptor, 0 otherwise
}

// parseSrcset follows the HTML parsing rules closely enough for CDN output: a URL runs to the
// next whitespace (so Cloudinary's "c_fill,w_320" commas stay inside it), descriptors run to the
// next comma.
func parseSrcset(s string) []srcCandidate {
	var out []srcCandidate
	i := 0
	for i < len(s) {
		for i < len(s) && (isHTMLSpace(s[i]) || s[i] == ',') {
			i++
		}
		if i >= len(s) {
			break
		}
		start := i
		for i < len(s) && !isHTMLSpace(s[i]) {
			i++
		}
		c := srcCandidate{url: s[start:i]}
		if strings.HasSuffix(c.url, ",") {
			c.url = strings.TrimRight(c.url, ",")
		} else {
			ds := i
			for i < len(s) && s[i] != ',' {
				i++
			}
			c.desc = strings.TrimSpace(s[ds:i])
		}
		if w, ok := strings.CutSuffix(c.desc, "w"); ok {
			c.width, _ = strconv.Atoi(w)
		}
		out = append(out, c)
	}
	return out
}

// capSrcset drops width candidates wider than maxW. If every width candidate is wider, the
// narrowest one stays so the image still has a source.
func capSrcset(s string, maxW int) string {
	if maxW <= 0 || s == "" {
		return s
	}
	cands := parseSrcset(s)
	kept := make([]srcCandidate, 0, len(cands))
	narrowest := -1
	for i, c := range cands {
		if c.width == 0 || c.width <= maxW {
			kept = append(kept, c)
		}
		if c.width > 0 && (narrowest < 0 || c.width < cands[narrowest].width) {
			narrowest = i
		}
	}
	if len(kept) == len(cands) {
		return s
	}
	hasWidth := false
	for _, c := range kept {
		if c.width > 0 {
			hasWidth = true
		}
	}
	if !hasWidth && narrowest >= 0 {
		kept = append(kept, cands[narrowest])
	}
	var b strings.Builder
	for i, c := range kept {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.url)
		if c.desc != "" {
			b.WriteByte(' ')
			b.WriteString(c.desc)
		}
	}
	return b.String()
}

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}
