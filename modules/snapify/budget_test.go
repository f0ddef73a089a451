package snapify_test

import (
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"text/tabwriter"

	"github.com/stretchr/testify/require"
)

var budgetTable = flag.Bool("budget-table", false, "print the bytes-per-page-type table (scripts/snapify-page-budget.sh)")

// Budgets from issue 4, for a 412-px phone.
const (
	budgetHTMLGzip = 30 << 10
	budgetCSS      = 15 << 10
	budgetTotal    = 200 << 10
	phoneWidth     = 412.0
	phoneDPR       = 2.625 // a common 412-px Android phone
)

var (
	imgTag    = regexp.MustCompile(`<img\b[^>]*>`)
	attrRe    = regexp.MustCompile(`\s([a-z-]+)="([^"]*)"`)
	styleBody = regexp.MustCompile(`(?s)<style>(.*?)</style>`)
	blocking  = regexp.MustCompile(`<link[^>]+rel="stylesheet"|<script\b[^>]*\bsrc=`)
)

// slotWidth evaluates a sizes attribute for the phone: media conditions are min-width ones, so
// the first entry whose condition holds at 412 px (or the last, which has none) applies.
func slotWidth(sizes string) float64 {
	for _, part := range splitTop(sizes) {
		part = strings.TrimSpace(part)
		if strings.HasPrefix(part, "(") {
			end := strings.Index(part, ")")
			cond, rest := part[1:end], strings.TrimSpace(part[end+1:])
			if v, ok := strings.CutPrefix(cond, "min-width:"); ok && length(strings.TrimSpace(v)) > phoneWidth {
				continue
			}
			part = rest
		}
		return length(part)
	}
	return phoneWidth
}

func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// length evaluates a CSS length (px, rem, vw, calc with + - * / and parentheses).
func length(s string) float64 {
	s = strings.ReplaceAll(strings.TrimSpace(s), "calc", "")
	toks := regexp.MustCompile(`[0-9.]+(px|rem|vw|em)?|[-+*/()]`).FindAllString(s, -1)
	pos := 0
	var expr, term, factor func() float64
	factor = func() float64 {
		t := toks[pos]
		pos++
		if t == "(" {
			v := expr()
			pos++
			return v
		}
		unit := strings.TrimLeft(t, "0123456789.")
		n, _ := strconv.ParseFloat(strings.TrimSuffix(t, unit), 64)
		switch unit {
		case "rem", "em":
			return n * 16
		case "vw":
			return n * phoneWidth / 100
		}
		return n
	}
	term = func() float64 {
		v := factor()
		for pos < len(toks) && (toks[pos] == "*" || toks[pos] == "/") {
			op := toks[pos]
			pos++
			if op == "*" {
				v *= factor()
			} else {
				v /= factor()
			}
		}
		return v
	}
	expr = func() float64 {
		v := term()
		for pos < len(toks) && (toks[pos] == "+" || toks[pos] == "-") {
			op := toks[pos]
			pos++
			if op == "+" {
				v += term()
			} else {
				v -= term()
			}
		}
		return v
	}
	return expr()
}

// chosenImage is the candidate a 412-px, 2.625x phone fetches for an <img>.
func chosenImage(tag string) string {
	attrs := map[string]string{}
	for _, m := range attrRe.FindAllStringSubmatch(tag, -1) {
		attrs[m[1]] = strings.ReplaceAll(m[2], "&amp;", "&")
	}
	if attrs["srcset"] == "" {
		return attrs["src"]
	}
	need := slotWidth(attrs["sizes"]) * phoneDPR
	best, bestW, largest, largestW := "", 0, "", 0
	for _, c := range strings.Split(attrs["srcset"], ", ") {
		f := strings.Fields(c)
		if len(f) != 2 {
			continue
		}
		w, _ := strconv.Atoi(strings.TrimSuffix(f[1], "w"))
		if w > largestW {
			largest, largestW = f[0], w
		}
		if float64(w) >= need && (best == "" || w < bestW) {
			best, bestW = f[0], w
		}
	}
	if best == "" {
		return largest
	}
	return best
}

func gunzip(t *testing.T, b string) string {
	t.Helper()
	r, err := gzip.NewReader(strings.NewReader(b))
	require.NoError(t, err)
	out, err := io.ReadAll(r)
	require.NoError(t, err)
	return string(out)
}

// TestPageBudgets measures every buyer page type of the demo data the way a 412-px phone
// loads it: the HTML as the server gzips it, the inlined CSS, and the image candidates the browser picks.
func TestPageBudgets(t *testing.T) {
	t.Parallel()
	env, _ := seeded(t)
	pages := []struct{ name, host, path string }{
		{"store home", host, "/ali-fabrics"},
		{"product", host, "/ali-fabrics/embroidered-lawn-3-piece-suit-maroon"},
		{"category", host, "/ali-fabrics/lawn"},
		{"city landing (Pro)", host, "/karachi-gadgets/delivery-to-lahore"},
		{"about", host, "/ali-fabrics/about"},
		{"platform hub", host, "/best-clothing-stores-punjab"},
		{"store home, Urdu", host, "/noor-boutique"},
		{"store home, Pro 20 products", "shop.karachigadgets.pk", "/"},
		{"store search", host, "/ali-fabrics/search?q=lawn"},
		{"order form", host, "/ali-fabrics/order?product=printed-lawn-2-piece-teal"},
		{"platform home", host, "/"},
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	if *budgetTable {
		fmt.Fprintln(tw, "page\tHTML\tHTML gz\tCSS\timages\ttotal\t")
	}
	for _, p := range pages {
		res, body := env.Do("GET", p.host, p.path, nil, "")
		require.Equal(t, http.StatusOK, res.StatusCode, p.name)
		html := []byte(body)
		css := 0
		for _, m := range styleBody.FindAllSubmatch(html, -1) {
			css += len(m[1])
		}
		require.Empty(t, blocking.FindAll(html, -1), "%s has a render-blocking request", p.name)
		images := 0
		for _, tag := range imgTag.FindAllString(body, -1) {
			u := chosenImage(tag)
			u = strings.TrimPrefix(strings.TrimPrefix(u, "http://snapify.localhost"), "http://shop.karachigadgets.pk")
			r, b := env.Do("GET", host, u, nil, "")
			require.Equal(t, 200, r.StatusCode, "%s: image %s", p.name, u)
			images += len(b)
		}
		// The HTML as the server sends it to a browser that accepts gzip (the budget's measure;
		// a browser that also accepts Brotli gets cached pages smaller still).
		zres, zbody := env.Do("GET", p.host, p.path, map[string]string{"Accept-Encoding": "gzip, deflate"}, "")
		require.Equal(t, "gzip", zres.Header.Get("Content-Encoding"), p.name)
		htmlGz := len(zbody)
		// The same page (the order form's idempotency key differs from request to request).
		require.Len(t, gunzip(t, zbody), len(body), "%s: the compressed page is the page", p.name)
		total := htmlGz + images
		if *budgetTable {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t\n", p.name, len(html), htmlGz, css, images, total)
		}
		require.LessOrEqual(t, htmlGz, budgetHTMLGzip, "%s: gzipped HTML", p.name)
		require.LessOrEqual(t, css, budgetCSS, "%s: critical CSS", p.name)
		require.LessOrEqual(t, total, budgetTotal, "%s: total transfer", p.name)
	}
	if *budgetTable {
		_ = tw.Flush()
		fmt.Printf("budgets: HTML gz ≤ %d, CSS ≤ %d, total ≤ %d bytes (412-px phone at %.3gx; images as the browser picks them from srcset)\n",
			budgetHTMLGzip, budgetCSS, budgetTotal, phoneDPR)
	}
}
