package snapify

import (
	_ "embed"
	"strings"
)

//go:embed css/base.css
var baseCSSSource string

// themeSpec is everything that differs between store templates: colours and shapes as custom
// properties, plus body classes that flip a few layout rules in base.css.
type themeSpec struct {
	vars  string  // custom properties for :root
	body  string  // layout switches: cards-tall, cards-list, hdr-c, trim
	color string  // <meta name="theme-color">, the phone's address bar
	card  imgSlot // product card images under this layout
}

// Shared by every theme; a theme may override any of them.
const commonVars = "--wa:#15803d;--err:#b91c1c;--okc:#15803d;"

const (
	// Card widths as base.css lays them out: 1rem page padding each side, .75rem gaps, a 62rem
	// wrapper. Exact sizes keep the browser from fetching a bigger candidate than it draws.
	gridSizes = "(min-width:62rem) 14.4rem,(min-width:60rem) calc((100vw - 4.25rem) / 4),(min-width:40rem) calc((100vw - 3.5rem) / 3),calc((100vw - 2.75rem) / 2)"
	listSizes = "7.5rem"
)

var (
	gridSlot = imgSlot{sizes: gridSizes, maxW: 320}
	tallSlot = imgSlot{sizes: gridSizes, maxW: 264} // 3:4 cards carry a third more pixels per width
	listSlot = imgSlot{sizes: listSizes, maxW: 240}
)

var themeSpecs = map[Theme]themeSpec{
	Bazaar: {
		vars:  "--bg:#fff8f1;--fg:#24160e;--mu:#6b5547;--sf:#fff;--bd:#f0dccb;--p:#c2410c;--pf:#fff;--pc:#c2410c;--ac:#be123c;--r:10px;--img:#fbe7d6",
		color: "#c2410c",
		card:  gridSlot,
	},
	Minimal: {
		vars:  "--bg:#fff;--fg:#111;--mu:#666;--sf:#fff;--bd:#e5e5e5;--p:#111;--pf:#fff;--pc:#111;--ac:#111;--r:0;--img:#f2f2f2",
		body:  "hdr-c",
		color: "#ffffff",
		card:  gridSlot,
	},
	Boutique: {
		vars:  `--bg:#fbf7f4;--fg:#2b1b24;--mu:#76606b;--sf:#fff;--bd:#ecdfe3;--p:#6b2144;--pf:#fff;--pc:#6b2144;--ac:#b4235a;--r:4px;--img:#f3e7ea;--hf:Georgia,"Times New Roman",serif`,
		body:  "cards-tall hdr-c",
		color: "#6b2144",
		card:  tallSlot,
	},
	Mehndi: {
		vars:  `--bg:#fbfaf0;--fg:#1f2a14;--mu:#5f6a4a;--sf:#fff;--bd:#e3dfc0;--p:#3f6212;--pf:#fff;--pc:#3f6212;--ac:#92400e;--r:14px;--img:#eef0d6;--hf:Georgia,"Times New Roman",serif`,
		body:  "cards-tall hdr-c trim",
		color: "#3f6212",
		card:  tallSlot,
	},
	Tech: {
		vars:  "--bg:#0f172a;--fg:#e5edf7;--mu:#94a3b8;--sf:#17223a;--bd:#293651;--p:#38bdf8;--pf:#04121f;--pc:#7dd3fc;--ac:#e11d48;--r:8px;--img:#1e293b;--err:#fca5a5;--okc:#4ade80;color-scheme:dark",
		body:  "cards-list",
		color: "#0f172a",
		card:  listSlot,
	},
	Kids: {
		vars:  `--bg:#f3f9ff;--fg:#1c2340;--mu:#566089;--sf:#fff;--bd:#d6e6fb;--p:#db2777;--pf:#fff;--pc:#1d4ed8;--ac:#2563eb;--r:20px;--img:#e2efff;--hf:ui-rounded,"SF Pro Rounded","Arial Rounded MT Bold",system-ui,sans-serif`,
		color: "#db2777",
		card:  gridSlot,
	},
	Organic: {
		vars:  "--bg:#f7f4ec;--fg:#1e2a1f;--mu:#5b6657;--sf:#fffdf8;--bd:#e2dccb;--p:#2f6b3a;--pf:#fff;--pc:#2f6b3a;--ac:#b45309;--r:10px;--img:#ebe6d8",
		color: "#2f6b3a",
		card:  gridSlot,
	},
}

// platformSpec dresses Snapify's own pages (home, hubs, platform search, platform 404).
var platformSpec = themeSpec{
	vars:  "--bg:#f6f7f5;--fg:#14201a;--mu:#55625b;--sf:#fff;--bd:#dfe5e1;--p:#0b6e4f;--pf:#fff;--pc:#0b6e4f;--ac:#c2410c;--r:12px;--img:#e8ece9",
	color: "#0b6e4f",
	card:  gridSlot,
}

// specFor falls back to Bazaar so a theme name the views do not know still renders a store.
func specFor(t Theme) themeSpec {
	if s, ok := themeSpecs[t]; ok {
		return s
	}
	return themeSpecs[Bazaar]
}

var (
	baseCSS     = minifyCSS(baseCSSSource)
	themeCSS    = buildThemeCSS()
	platformCSS = baseCSS + ":root{" + commonVars + platformSpec.vars + "}"
)

func buildThemeCSS() map[Theme]string {
	m := make(map[Theme]string, len(themeSpecs))
	for t, s := range themeSpecs {
		m[t] = baseCSS + ":root{" + commonVars + s.vars + "}"
	}
	return m
}

// CriticalCSS is the complete stylesheet inlined into every page of a store with this theme.
// It is exported so budget checks can report its size.
func CriticalCSS(t Theme) string {
	if css, ok := themeCSS[t]; ok {
		return css
	}
	return themeCSS[Bazaar]
}

// PlatformCSS is the stylesheet inlined into Snapify's own pages.
func PlatformCSS() string { return platformCSS }

// minifyCSS strips comments and the whitespace CSS does not need. It is written for the
// hand-made stylesheet in css/: spaces before ':' are kept because "a :is(b)" is a descendant
// selector, and '+' and '-' keep their spaces because calc() needs them.
func minifyCSS(src string) string {
	out := make([]byte, 0, len(src))
	space := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				i = len(src)
			} else {
				i += end + 3
			}
			space = true
			continue
		case c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f':
			space = true
			continue
		}
		if space && len(out) > 0 && !strings.ContainsRune("{};:,>(", rune(out[len(out)-1])) && !strings.ContainsRune("{};,>)", rune(c)) {
			out = append(out, ' ')
		}
		space = false
		if c == '}' && len(out) > 0 && out[len(out)-1] == ';' {
			out = out[:len(out)-1]
		}
		if c == '"' || c == '\'' {
			j := i + 1
			for j < len(src) && src[j] != c {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(src) {
				j = len(src) - 1
			}
			out = append(out, src[i:j+1]...)
			i = j
			continue
		}
		out = append(out, c)
	}
	return string(out)
}
