package reportcard

import (
	"strings"
	"sync"
	"unicode"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/bidi"
)

// glyph is one shaped glyph; lengths are in font units (1000 to the em for the Noto fonts).
type glyph struct {
	id     uint16
	adv    float32
	dx, dy float32
	// text is what the glyph stands for in the ToUnicode map: the runes of its cluster for
	// the cluster's first inked glyph, "" for the other glyphs of the cluster. Only Latin
	// runs use it; see charSlot for Urdu.
	text    string
	cluster int32 // index of the cluster's first rune in the run's text
}

// charSlot places one character of a run's text, in logical order, on the stretch of the line
// its cluster's glyphs cover (font units from the run's start). Urdu text is extracted from
// an invisible layer of these characters rather than from the Nastaliq glyphs: one Nastaliq
// skeleton glyph serves several letters (ج ح خ share one, their dots are separate glyphs) and
// its joins step the glyphs up and down the line, so no ToUnicode map of the drawn glyphs
// could give back the letters, nor a text extractor the line.
type charSlot struct {
	r      rune
	x0, x1 float32
}

// shapedRun is text of one font and one direction, shaped once and then shared read-only by
// every document that prints it (the cache below keeps it).
type shapedRun struct {
	font   fontID
	rtl    bool
	text   string  // logical order
	glyphs []glyph // visual order, left to right
	chars  []charSlot
	adv    float32 // font units
	scale  float64 // the font's size relative to the nominal size (fontFile.scale)
}

// placedRun is a shapedRun at its place in a line.
type placedRun struct {
	*shapedRun
	level int
}

// line is one line of text laid out in visual order, left to right.
type line struct {
	runs []placedRun
}

// width is the line's advance in points at the given size.
func (l line) width(size float64) float64 {
	var w float64
	for _, r := range l.runs {
		w += float64(r.adv) * size * r.scale / 1000
	}
	return w
}

// textEngine turns strings into lines of shaped runs. It is safe for concurrent use: the fonts
// are read-only, each HarfBuzz shaper and its faces belong to one goroutine at a time (a pool),
// and shaped runs are cached by font, direction and text, so the labels, subject names and
// digits that every card repeats are shaped once per process.
type textEngine struct {
	fonts [numFonts]*fontFile
	pool  sync.Pool

	mu       sync.Mutex
	cur, old map[runKey]*shapedRun
	// noShaping and forceLTR break the engine on purpose, so tests can show that the image
	// checks catch unshaped Urdu and Urdu laid out left to right.
	noShaping, forceLTR bool
}

type runKey struct {
	font fontID
	rtl  bool
	text string
}

// cacheGeneration bounds the run cache: when the current map holds this many runs it becomes
// the old one and the map before it is dropped, so repeated strings stay while one-off ones
// (names, remarks) age out.
const cacheGeneration = 20000

type shapeWorker struct {
	shaper shaping.HarfbuzzShaper
	faces  [numFonts]*font.Face
}

func newTextEngine(fonts [numFonts]*fontFile) *textEngine {
	e := &textEngine{fonts: fonts, cur: map[runKey]*shapedRun{}}
	e.pool.New = func() any {
		w := &shapeWorker{}
		for i, f := range fonts {
			w.faces[i] = font.NewFace(f.font)
		}
		return w
	}
	return e
}

func (e *textEngine) shape(id fontID, rtl bool, text string) *shapedRun {
	k := runKey{id, rtl, text}
	e.mu.Lock()
	r, ok := e.cur[k]
	if !ok {
		if r, ok = e.old[k]; ok {
			e.cur[k] = r
		}
	}
	e.mu.Unlock()
	if ok {
		return r
	}
	r = e.shapeUncached(id, rtl, text)
	e.mu.Lock()
	if len(e.cur) >= cacheGeneration {
		e.old, e.cur = e.cur, make(map[runKey]*shapedRun, cacheGeneration)
	}
	e.cur[k] = r
	e.mu.Unlock()
	return r
}

var (
	langUrdu    = language.NewLanguage("ur")
	langEnglish = language.NewLanguage("en")
)

func (e *textEngine) shapeUncached(id fontID, rtl bool, text string) *shapedRun {
	runes := []rune(text)
	f := e.fonts[id]
	run := &shapedRun{font: id, rtl: rtl, text: text, scale: f.scale}
	if e.noShaping {
		// Nominal glyphs, in logical order, left to right: what a PDF writer without a shaper
		// produces.
		for _, r := range runes {
			gid, _ := f.font.Cmap.Lookup(r)
			adv := float32(f.sfnt.advances[gid])
			run.glyphs = append(run.glyphs, glyph{id: uint16(gid), adv: adv, text: string(r), cluster: int32(len(run.glyphs))})
			run.adv += adv
		}
		run.chars = charSlots(run.glyphs, runes, false)
		return run
	}
	w := e.pool.Get().(*shapeWorker)
	in := shaping.Input{
		Text:      runes,
		RunEnd:    len(runes),
		Direction: di.DirectionLTR,
		Face:      w.faces[id],
		Size:      fixed.I(int(f.upem)),
		Script:    language.Latin,
		Language:  langEnglish,
	}
	if rtl {
		in.Direction = di.DirectionRTL
	}
	if id == urduRegular {
		in.Script, in.Language = language.Arabic, langUrdu
	}
	out := w.shaper.Shape(in)
	e.pool.Put(w)

	run.glyphs = make([]glyph, len(out.Glyphs))
	mapped := map[int]bool{}
	for i, g := range out.Glyphs {
		run.glyphs[i] = glyph{
			id:      uint16(g.GlyphID),
			adv:     float32(g.XAdvance) / 64,
			dx:      float32(g.XOffset) / 64,
			dy:      float32(g.YOffset) / 64,
			cluster: int32(g.ClusterIndex),
		}
		run.adv += run.glyphs[i].adv
	}
	// The ToUnicode text of a cluster goes to one glyph: the first with an outline in logical
	// order (for right-to-left runs that is the rightmost), so extraction neither drops nor
	// repeats letters. Nastaliq clusters carry zero-width helper glyphs that get nothing.
	order := make([]int, len(out.Glyphs))
	for i := range order {
		order[i] = i
		if rtl {
			order[i] = len(order) - 1 - i
		}
	}
	for pass := 0; pass < 2; pass++ {
		for _, i := range order {
			g := out.Glyphs[i]
			c := g.ClusterIndex
			if mapped[c] || (pass == 0 && len(f.sfnt.glyphs) > int(g.GlyphID) && f.sfnt.glyphs[g.GlyphID] == nil && !isSpace(runes, c)) {
				continue
			}
			mapped[c] = true
			end := min(c+max(g.RuneCount, 1), len(runes))
			run.glyphs[i].text = string(runes[c:end])
		}
	}
	if id == urduRegular {
		run.chars = charSlots(run.glyphs, runes, rtl)
	}
	return run
}

// charSlots spreads each cluster's runes evenly over the width its glyphs cover, the first
// rune on the right in right-to-left text.
func charSlots(glyphs []glyph, runes []rune, rtl bool) []charSlot {
	type span struct {
		x0, x1 float32
		seen   bool
	}
	spans := make([]span, len(runes)+1)
	var pen float32
	for _, g := range glyphs {
		c := int(g.cluster)
		if c < 0 || c >= len(runes) {
			pen += g.adv
			continue
		}
		s := &spans[c]
		if !s.seen {
			s.x0, s.x1, s.seen = pen, pen+g.adv, true
		} else {
			s.x0, s.x1 = min(s.x0, pen), max(s.x1, pen+g.adv)
		}
		pen += g.adv
	}
	var out []charSlot
	for c := 0; c < len(runes); {
		end := c + 1
		for end < len(runes) && !spans[end].seen {
			end++
		}
		s := spans[c]
		n := float32(end - c)
		w := (s.x1 - s.x0) / n
		for k := c; k < end; k++ {
			i := float32(k - c)
			x0 := s.x0 + i*w
			if rtl {
				x0 = s.x1 - (i+1)*w
			}
			out = append(out, charSlot{r: runes[k], x0: x0, x1: x0 + w})
		}
		c = end
	}
	return out
}

func isSpace(runes []rune, i int) bool { return i < len(runes) && unicode.IsSpace(runes[i]) }

// isArabic reports whether r belongs to the Urdu font: Arabic-script letters, marks, digits
// and punctuation, and the joiners and marks that only make sense inside Arabic text.
func isArabic(r rune) bool {
	switch {
	case r >= 0x0600 && r <= 0x06FF, r >= 0x0750 && r <= 0x077F,
		r >= 0xFB50 && r <= 0xFDFF, r >= 0xFE70 && r <= 0xFEFF:
		return true
	case r == 0x200C || r == 0x200D:
		return true
	}
	return false
}

// cleanLine prepares one line of input for layout: explicit bidi embeddings and isolates are
// dropped (their levels would need the full algorithm's stack; nothing on a card needs them),
// and tabs, newlines and other controls become spaces.
func cleanLine(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
			return -1
		case unicode.IsControl(r):
			return ' '
		}
		return r
	}, s)
}

// bidiRun is a logical run of one resolved embedding level.
type bidiRun struct {
	text  []rune
	level int
}

// bidiRuns splits s into runs with their UBA embedding levels. golang.org/x/text/unicode/bidi
// resolves the levels but hands back only their direction, so the level is rebuilt from it:
// without explicit embeddings (cleanLine drops them) a right-to-left paragraph has level 1 for
// right-to-left text and 2 for the rest, and a left-to-right one has 0, 1 for right-to-left
// text, and 2 for numbers that follow right-to-left text (rules W2, W7 and I1).
func bidiRuns(s string, rtl bool) []bidiRun {
	if s == "" {
		return nil
	}
	var p bidi.Paragraph
	text := s
	if !rtl {
		// x/text fixes the paragraph level only for right-to-left; a left mark in front makes
		// rule P2 choose left-to-right whatever the first strong letter is.
		text = "\u200e" + s
	}
	if _, err := p.SetString(text, bidi.DefaultDirection(map[bool]bidi.Direction{true: bidi.RightToLeft, false: bidi.LeftToRight}[rtl])); err != nil {
		return []bidiRun{{text: []rune(s), level: map[bool]int{true: 1, false: 0}[rtl]}}
	}
	o, err := p.Order()
	if err != nil || o.NumRuns() == 0 {
		return []bidiRun{{text: []rune(s), level: map[bool]int{true: 1, false: 0}[rtl]}}
	}
	var runs []bidiRun
	for i := 0; i < o.NumRuns(); i++ {
		r := o.Run(i)
		rs := []rune(r.String())
		if !rtl && i == 0 && len(rs) > 0 && rs[0] == '\u200e' {
			rs = rs[1:]
		}
		if len(rs) == 0 {
			continue
		}
		isRTL := r.Direction() == bidi.RightToLeft
		switch {
		case rtl && isRTL:
			runs = append(runs, bidiRun{rs, 1})
		case rtl:
			runs = append(runs, bidiRun{rs, 2})
		case isRTL:
			runs = append(runs, bidiRun{rs, 1})
		case len(runs) > 0 && runs[len(runs)-1].level == 1:
			// Numbers right after right-to-left text stay numbers (level 2) up to the first
			// left-to-right letter; what follows is plain left-to-right text.
			cut := len(rs)
			for j, c := range rs {
				if p, _ := bidi.LookupRune(c); p.Class() == bidi.L {
					cut = j
					break
				}
			}
			lastNum := -1
			for j := 0; j < cut; j++ {
				if p, _ := bidi.LookupRune(rs[j]); p.Class() == bidi.EN || p.Class() == bidi.AN {
					lastNum = j
				}
			}
			if lastNum >= 0 {
				runs = append(runs, bidiRun{rs[:lastNum+1], 2})
				rs = rs[lastNum+1:]
			}
			if len(rs) > 0 {
				runs = append(runs, bidiRun{rs, 0})
			}
		default:
			runs = append(runs, bidiRun{rs, 0})
		}
	}
	return runs
}

// fontFor picks the font of each rune of a bidi run: Arabic script goes to the Urdu font,
// letters of other scripts to the Latin font, and digits, spaces and punctuation follow the
// letters around them (or the document's language in a run without letters), falling back to
// whichever font has the glyph.
func (e *textEngine) fontFor(rs []rune, bold, urduDoc bool) []fontID {
	latin := latinRegular
	if bold {
		latin = latinBold
	}
	ids := make([]fontID, len(rs))
	const unset = fontID(255)
	for i, r := range rs {
		switch {
		case isArabic(r):
			ids[i] = urduRegular
		case unicode.IsLetter(r):
			ids[i] = latin
		default:
			ids[i] = unset
		}
	}
	def := latin
	if urduDoc {
		def = urduRegular
	}
	prev := unset
	for i := range ids {
		if ids[i] != unset {
			prev = ids[i]
			continue
		}
		pick := prev
		if pick == unset {
			for j := i + 1; j < len(ids); j++ {
				if ids[j] != unset {
					pick = ids[j]
					break
				}
			}
		}
		if pick == unset {
			pick = def
		}
		if !e.fonts[pick].has(rs[i]) {
			if pick == urduRegular {
				pick = latin
			} else if e.fonts[urduRegular].has(rs[i]) {
				pick = urduRegular
			}
		}
		ids[i] = pick
	}
	return ids
}

// paragraphRTL is the direction of a paragraph (rules P2 and P3: its first strong letter),
// or the document's when it has none, as a browser does with dir="auto": an English remark on
// an Urdu card reads left to right, a roll number "12-B" follows the card.
func paragraphRTL(s string, docRTL bool) bool {
	for _, r := range s {
		p, _ := bidi.LookupRune(r)
		switch p.Class() {
		case bidi.L:
			return false
		case bidi.R, bidi.AL:
			return true
		}
	}
	return docRTL
}

// layout lays s out as one line: bidi runs, split by font, shaped, and put in visual order by
// rule L2 of the Unicode bidi algorithm. urduDoc picks the font of a run without letters and
// the paragraph direction of a line without letters.
func (e *textEngine) layout(s string, bold, urduDoc bool) line {
	s = cleanLine(s)
	var runs []placedRun
	for _, br := range bidiRuns(s, paragraphRTL(s, urduDoc)) {
		if e.forceLTR {
			br.level = 0
		}
		ids := e.fontFor(br.text, bold, urduDoc)
		odd := br.level%2 == 1
		start := 0
		var pieces []placedRun
		for i := 1; i <= len(br.text); i++ {
			if i < len(br.text) && ids[i] == ids[start] {
				continue
			}
			pieces = append(pieces, placedRun{e.shape(ids[start], odd, string(br.text[start:i])), br.level})
			start = i
		}
		runs = append(runs, pieces...)
	}
	reorder(runs)
	return line{runs: runs}
}

// reorder applies rule L2: from the highest level down to the lowest odd one, reverse every
// maximal sequence of runs at that level or above.
func reorder(runs []placedRun) {
	maxL := 0
	for _, r := range runs {
		maxL = max(maxL, r.level)
	}
	for lvl := maxL; lvl >= 1; lvl-- {
		for i := 0; i < len(runs); {
			if runs[i].level < lvl {
				i++
				continue
			}
			j := i
			for j < len(runs) && runs[j].level >= lvl {
				j++
			}
			for a, b := i, j-1; a < b; a, b = a+1, b-1 {
				runs[a], runs[b] = runs[b], runs[a]
			}
			i = j
		}
	}
}

// measure is the width in points of s on one line.
func (e *textEngine) measure(s string, size float64, bold, rtl bool) float64 {
	return e.layout(s, bold, rtl).width(size)
}

// wrap breaks s into lines no wider than maxW points, at spaces, keeping explicit newlines.
// Words are measured one at a time (their shapes are cached), which is exact for Urdu and
// Latin because neither joins nor kerns across a space.
func (e *textEngine) wrap(s string, size, maxW float64, bold, rtl bool) []string {
	var lines []string
	space := e.measure(" ", size, bold, rtl)
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			lines = append(lines, "")
			continue
		}
		var cur []string
		var w float64
		for _, word := range words {
			ww := e.measure(word, size, bold, rtl)
			for ww > maxW && len([]rune(word)) > 1 {
				// A word wider than the column is cut where it still fits.
				rs := []rune(word)
				n := len(rs) - 1
				for n > 1 && e.measure(string(rs[:n]), size, bold, rtl) > maxW {
					n--
				}
				if len(cur) > 0 {
					lines = append(lines, strings.Join(cur, " "))
					cur, w = nil, 0
				}
				lines = append(lines, string(rs[:n]))
				word = string(rs[n:])
				ww = e.measure(word, size, bold, rtl)
			}
			switch {
			case len(cur) == 0:
				cur, w = []string{word}, ww
			case w+space+ww <= maxW:
				cur, w = append(cur, word), w+space+ww
			default:
				lines = append(lines, strings.Join(cur, " "))
				cur, w = []string{word}, ww
			}
		}
		lines = append(lines, strings.Join(cur, " "))
	}
	return lines
}
