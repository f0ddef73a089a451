package reportcard

import (
	"bytes"
	"image"
	"image/draw"
	"testing"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"github.com/stretchr/testify/require"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// The image checks. A phrase goes through the renderer's own path (bidi runs, font choice,
// shaping, PDF glyph placement, font subsetting) into a one-line PDF, which poppler's
// pdftoppm rasterises. Beside it, the test rasterises the same phrase straight from a
// HarfBuzz shaping of the whole phrase as one right-to-left (or left-to-right) run, drawing
// the glyph outlines itself with x/image/vector: no PDF, no bidi code, no layout code of the
// package. The two ink masks, cropped to their ink and brought to one size, must agree pixel
// for pixel within one pixel. Unshaped letters, or shaped ones laid left to right, differ
// from the reference in most of their ink, and the negative controls below prove the check
// notices.

const (
	testDPI  = 144
	testSize = 36.0
)

// singleLinePDF draws s as one line with the package's own pipeline.
func singleLinePDF(t testing.TB, e *textEngine, s string, urduDoc bool) []byte {
	t.Helper()
	d := newDocument(e, "test")
	p := d.newPage()
	l := e.layout(s, false, urduDoc)
	d.drawLine(p, l, 40, 200, testSize, black, false)
	var b bytes.Buffer
	require.NoError(t, d.write(&b))
	return b.Bytes()
}

// mask is a bitmap of inked pixels.
type mask struct {
	w, h int
	on   []bool
}

func (m mask) at(x, y int) bool { return x >= 0 && y >= 0 && x < m.w && y < m.h && m.on[y*m.w+x] }

// inkOf thresholds an image and crops it to its ink.
func inkOf(img *image.Gray) mask {
	b := img.Bounds()
	x0, y0, x1, y1 := b.Max.X, b.Max.Y, -1, -1
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if img.GrayAt(x, y).Y < 128 {
				x0, y0 = min(x0, x), min(y0, y)
				x1, y1 = max(x1, x), max(y1, y)
			}
		}
	}
	if x1 < 0 {
		return mask{}
	}
	m := mask{w: x1 - x0 + 1, h: y1 - y0 + 1}
	m.on = make([]bool, m.w*m.h)
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			m.on[(y-y0)*m.w+x-x0] = img.GrayAt(x, y).Y < 128
		}
	}
	return m
}

// resized samples m to w×h (nearest neighbour).
func (m mask) resized(w, h int) mask {
	out := mask{w: w, h: h, on: make([]bool, w*h)}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			out.on[y*w+x] = m.at(x*m.w/w, y*m.h/h)
		}
	}
	return out
}

// covered is the share of a's ink that lies within r pixels of b's ink.
func covered(a, b mask, r int) float64 {
	var ink, hit int
	for y := 0; y < a.h; y++ {
		for x := 0; x < a.w; x++ {
			if !a.at(x, y) {
				continue
			}
			ink++
		near:
			for dy := -r; dy <= r; dy++ {
				for dx := -r; dx <= r; dx++ {
					if b.at(x+dx, y+dy) {
						hit++
						break near
					}
				}
			}
		}
	}
	if ink == 0 {
		return 0
	}
	return float64(hit) / float64(ink)
}

// agreement is the worse of the two coverages of got and want, after bringing want to got's
// size; 1 means every inked pixel of each has ink of the other within a pixel.
func agreement(got, want mask) float64 {
	if got.w == 0 || want.w == 0 {
		return 0
	}
	want = want.resized(got.w, got.h)
	return min(covered(got, want, 1), covered(want, got, 1))
}

// referenceInk shapes s as one run with go-text directly and fills the glyph outlines.
func referenceInk(t testing.TB, data []byte, s string, rtl bool, script language.Script, lang string) mask {
	t.Helper()
	face, err := font.ParseTTF(bytes.NewReader(data))
	require.NoError(t, err)
	scale := float32(testSize * urduScale)
	if script != language.Arabic {
		scale = testSize
	}
	px := scale * testDPI / 72 / float32(face.Upem()) // pixels per font unit
	runes := []rune(s)
	in := shaping.Input{Text: runes, RunEnd: len(runes), Direction: di.DirectionLTR, Face: face,
		Size: fixed.I(int(face.Upem())), Script: script, Language: language.NewLanguage(lang)}
	if rtl {
		in.Direction = di.DirectionRTL
	}
	var sh shaping.HarfbuzzShaper
	out := sh.Shape(in)
	w := int(float32(out.Advance)/64*px) + 200
	h := int(3*scale*testDPI/72) + 40
	base := float32(h) * 0.6
	r := vector.NewRasterizer(w, h)
	pen := float32(100)
	for _, g := range out.Glyphs {
		ox := pen + float32(g.XOffset)/64*px
		oy := base - float32(g.YOffset)/64*px
		if data, ok := face.GlyphData(g.GlyphID).(font.GlyphOutline); ok {
			for i, seg := range data.Segments {
				p := func(i int) (float32, float32) { return ox + seg.Args[i].X*px, oy - seg.Args[i].Y*px }
				switch seg.Op {
				case ot.SegmentOpMoveTo:
					if i > 0 {
						r.ClosePath() // the rasteriser leaves a contour open otherwise
					}
					r.MoveTo(p(0))
				case ot.SegmentOpLineTo:
					r.LineTo(p(0))
				case ot.SegmentOpQuadTo:
					x1, y1 := p(0)
					x2, y2 := p(1)
					r.QuadTo(x1, y1, x2, y2)
				case ot.SegmentOpCubeTo:
					x1, y1 := p(0)
					x2, y2 := p(1)
					x3, y3 := p(2)
					r.CubeTo(x1, y1, x2, y2, x3, y3)
				}
			}
			r.ClosePath()
		}
		pen += float32(g.XAdvance) / 64 * px
	}
	alpha := image.NewAlpha(image.Rect(0, 0, w, h))
	r.Draw(alpha, alpha.Bounds(), image.Opaque, image.Point{})
	grey := image.NewGray(alpha.Bounds())
	draw.Draw(grey, grey.Bounds(), image.White, image.Point{}, draw.Src)
	for i, a := range alpha.Pix {
		grey.Pix[i] = 255 - a
	}
	return inkOf(grey)
}

// blobs counts the 8-connected blobs of ink that are bigger than specks (dots of the
// letters are specks at this size only when tiny, so the phrases below carry no dots).
func blobs(m mask, minPixels int) int {
	seen := make([]bool, len(m.on))
	n := 0
	for i, on := range m.on {
		if !on || seen[i] {
			continue
		}
		size := 0
		stack := []int{i}
		seen[i] = true
		for len(stack) > 0 {
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			size++
			x, y := j%m.w, j/m.w
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					if k := (y+dy)*m.w + x + dx; m.at(x+dx, y+dy) && !seen[k] {
						seen[k] = true
						stack = append(stack, k)
					}
				}
			}
		}
		if size >= minPixels {
			n++
		}
	}
	return n
}

// columnRuns splits the ink into stretches of columns separated by blank columns and returns
// their widths from left to right.
func columnRuns(m mask) []int {
	var runs []int
	cur := 0
	for x := 0; x < m.w; x++ {
		inked := false
		for y := 0; y < m.h; y++ {
			if m.at(x, y) {
				inked = true
				break
			}
		}
		switch {
		case inked:
			cur++
		case cur > 0:
			runs = append(runs, cur)
			cur = 0
		}
	}
	if cur > 0 {
		runs = append(runs, cur)
	}
	return runs
}

// urduPhrase: a label of the card, a name, and letters whose joins in Nastaliq step down the
// line (the cascade a left-to-right or unshaped layout loses).
const urduPhrase = "طالب علم کا نام محمد علی خان"

type urduChecks struct {
	agreement  float64 // with the HarfBuzz reference
	components int     // blobs of "محمد"
	alefRight  bool    // in "ا محمد" the alef, typed first, is the rightmost stretch
}

func checkUrdu(t *testing.T, e *textEngine) urduChecks {
	t.Helper()
	var c urduChecks
	got := inkOf(rasterise(t, singleLinePDF(t, e, urduPhrase, true), testDPI))
	want := referenceInk(t, notoNastaliqUrdu, urduPhrase, true, language.Arabic, "ur")
	c.agreement = agreement(got, want)

	c.components = blobs(inkOf(rasterise(t, singleLinePDF(t, e, "محمد", true), testDPI)), 20)

	runs := columnRuns(inkOf(rasterise(t, singleLinePDF(t, e, "ا محمد", true), testDPI)))
	c.alefRight = len(runs) >= 2 && runs[len(runs)-1]*3 < runs[0]
	return c
}

func TestUrduIsShapedAndRightToLeft(t *testing.T) {
	r, err := New()
	require.NoError(t, err)
	c := checkUrdu(t, r.eng)
	t.Logf("agreement with the HarfBuzz reference %.3f, blobs of محمد %d, alef rightmost %v", c.agreement, c.components, c.alefRight)
	require.GreaterOrEqual(t, c.agreement, 0.97, "the PDF's Urdu does not match the shaped reference")
	require.LessOrEqual(t, c.components, 2, "محمد is not joined")
	require.True(t, c.alefRight, "the first letter typed is not on the right")
}

// The negative controls: the same checks on a renderer broken on purpose must fail.
func TestUrduChecksCatchBrokenShaping(t *testing.T) {
	fonts, err := loadFonts()
	require.NoError(t, err)

	unshaped := newTextEngine(fonts)
	unshaped.noShaping = true
	c := checkUrdu(t, unshaped)
	t.Logf("unshaped: agreement %.3f, blobs %d, alef rightmost %v", c.agreement, c.components, c.alefRight)
	require.Less(t, c.agreement, 0.9)
	require.GreaterOrEqual(t, c.components, 4, "isolated letters should be four blobs")
	require.False(t, c.alefRight)

	ltr := newTextEngine(fonts)
	ltr.forceLTR = true
	c = checkUrdu(t, ltr)
	t.Logf("left to right: agreement %.3f, blobs %d, alef rightmost %v", c.agreement, c.components, c.alefRight)
	require.Less(t, c.agreement, 0.9)
	require.False(t, c.alefRight)
}

func TestEnglishLineMatchesReference(t *testing.T) {
	r, err := New()
	require.NoError(t, err)
	const phrase = "Report Card: Ali Khan"
	got := inkOf(rasterise(t, singleLinePDF(t, r.eng, phrase, false), testDPI))
	want := referenceInk(t, notoSansRegular, phrase, false, language.Latin, "en")
	a := agreement(got, want)
	t.Logf("agreement %.3f", a)
	require.GreaterOrEqual(t, a, 0.97)

	// Reversed letters must not pass.
	rs := []rune(phrase)
	for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
		rs[i], rs[j] = rs[j], rs[i]
	}
	require.Less(t, agreement(got, referenceInk(t, notoSansRegular, string(rs), false, language.Latin, "en")), 0.9)
}

func TestUrduLineExtractsAsTyped(t *testing.T) {
	r, err := New()
	require.NoError(t, err)
	for _, s := range []string{urduPhrase, "عبدالرحمٰن خان", "معاشرتی علوم", "کلاس ٹیچر کے تاثرات", "جماعت میں پوزیشن"} {
		got := pdfText(t, singleLinePDF(t, r.eng, s, true))
		require.Equal(t, s, trimmed(got), "extracted text of %q", s)
	}
}

func trimmed(s string) string { return string(bytes.TrimSpace([]byte(s))) }
