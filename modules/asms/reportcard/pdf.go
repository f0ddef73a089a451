package reportcard

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"hash/fnv"
	"io"
	"sort"
	"strconv"
	"sync"
	"unicode/utf16"
)

// A4 in points.
const (
	pageW = 595.28
	pageH = 841.89
)

type rgb [3]float64

var (
	black     = rgb{0, 0, 0}
	darkBlue  = rgb{0.09, 0.20, 0.40}
	grey      = rgb{0.35, 0.35, 0.35}
	lightFill = rgb{0.90, 0.93, 0.97}
	rule      = rgb{0.55, 0.60, 0.68}
)

// document is one PDF being built: pages of drawing operators, and the glyphs and images they
// use. The PDF is written by hand (see docs/asms.md, "Report cards", for why): one Type0 font
// with Identity-H encoding per embedded font, so the content streams carry the shaper's glyph
// ids as they are; ToUnicode maps (and, for Urdu, an invisible text layer) so the text can be
// copied and searched; and each font program cut down to the glyphs the document uses.
type document struct {
	eng    *textEngine
	fonts  [numFonts]*fontUse
	pages  []*bytes.Buffer
	images []*pdfImage
	title  string
}

type fontUse struct {
	text  map[uint16]string // glyph id → the text it stands for ("" when none)
	chars map[rune]struct{} // characters of the invisible layer (Urdu runs)
}

func newDocument(eng *textEngine, title string) *document {
	return &document{eng: eng, title: title}
}

func (d *document) newPage() *bytes.Buffer {
	p := &bytes.Buffer{}
	d.pages = append(d.pages, p)
	return p
}

func (d *document) use(id fontID) *fontUse {
	if d.fonts[id] == nil {
		d.fonts[id] = &fontUse{text: map[uint16]string{}, chars: map[rune]struct{}{}}
	}
	return d.fonts[id]
}

// num appends v with at most two decimals, the precision every position here needs.
func num(b *bytes.Buffer, v float64) {
	var tmp [32]byte
	s := strconv.AppendFloat(tmp[:0], v, 'f', 2, 64)
	s = bytes.TrimRight(s, "0")
	s = bytes.TrimSuffix(s, []byte("."))
	if len(s) == 0 || (len(s) == 1 && s[0] == '-') || string(s) == "-0" {
		s = []byte("0")
	}
	b.Write(s)
}

func nums(b *bytes.Buffer, vs ...float64) {
	for i, v := range vs {
		if i > 0 {
			b.WriteByte(' ')
		}
		num(b, v)
	}
}

func setFill(b *bytes.Buffer, c rgb) {
	nums(b, c[0], c[1], c[2])
	b.WriteString(" rg\n")
}

func setStroke(b *bytes.Buffer, c rgb) {
	nums(b, c[0], c[1], c[2])
	b.WriteString(" RG\n")
}

// drawLine draws a laid-out line with its left end at x and its baseline at y, both measured
// from the page's top-left corner.
func (d *document) drawLine(p *bytes.Buffer, l line, x, y, size float64, c rgb, bold bool) {
	base := pageH - y
	for _, r := range l.runs {
		f := d.eng.fonts[r.font]
		use := d.use(r.font)
		size := size * f.scale
		k := size / f.upem // points per font unit
		u2t := 1000 / f.upem
		layered := r.chars != nil
		if layered {
			// The drawn glyphs stand for no text of their own (ActualText empty); the text
			// is the invisible layer below.
			p.WriteString("/Span <</ActualText ()>> BDC\n")
		}
		p.WriteString("BT\n")
		fmt.Fprintf(p, "/F%d ", r.font)
		num(p, size)
		p.WriteString(" Tf\n")
		setFill(p, c)
		fake := bold && f.fakeBold
		if fake {
			setStroke(p, c)
			num(p, size*0.035)
			p.WriteString(" w 2 Tr\n")
		}
		p.WriteString("1 0 0 1 ")
		nums(p, x, base)
		p.WriteString(" Tm\n")

		var pen, cx, rise float64 // text space units from the run's start
		open := false
		for _, g := range r.glyphs {
			if prev, ok := use.text[g.id]; !ok || (prev == "" && g.text != "" && !layered) {
				if layered {
					use.text[g.id] = ""
				} else {
					use.text[g.id] = g.text
				}
			}
			tx, ty := (pen+float64(g.dx))*u2t, float64(g.dy)*u2t
			if ty != rise {
				if open {
					p.WriteString("] TJ\n")
					open = false
				}
				num(p, ty*size/1000)
				p.WriteString(" Ts\n")
				rise = ty
			}
			if !open {
				p.WriteByte('[')
				open = true
			}
			if adj := cx - tx; adj > 0.01 || adj < -0.01 {
				num(p, adj)
			}
			fmt.Fprintf(p, "<%04X>", g.id)
			cx = tx + float64(f.sfnt.advances[g.id])*u2t
			pen += float64(g.adv)
		}
		if open {
			p.WriteString("] TJ\n")
		}
		if rise != 0 {
			p.WriteString("0 Ts\n")
		}
		if fake {
			p.WriteString("0 Tr\n")
		}
		p.WriteString("ET\n")
		if layered {
			p.WriteString("EMC\n")
			d.drawInvisible(p, r, use, x, base, size, k)
		}
		x += float64(r.adv) * k
	}
}

// drawInvisible writes the characters of an Urdu run as invisible text (render mode 3), each
// stretched over its slot on the baseline, in visual order (left to right) as PDF producers
// do and extractors expect: they apply the bidi algorithm and give back the logical text.
// Their font is the same program under a second CIDFont whose CIDs are the characters' code
// points (see writeFont).
func (d *document) drawInvisible(p *bytes.Buffer, r placedRun, use *fontUse, x, base, size, k float64) {
	// q…Q: the render mode is graphics state and would outlive ET.
	p.WriteString("q BT 3 Tr\n")
	fmt.Fprintf(p, "/U%d ", r.font)
	num(p, size)
	p.WriteString(" Tf\n")
	for i := range r.chars {
		ch := r.chars[i]
		if r.rtl {
			ch = r.chars[len(r.chars)-1-i]
		}
		if ch.r > 0xFFFF {
			continue
		}
		use.chars[ch.r] = struct{}{}
		// The CIDFont's glyphs all advance 1 em (DW 1000); the matrix squeezes each to its slot.
		w := float64(ch.x1-ch.x0) * k / size
		num(p, max(w, 0.01))
		p.WriteString(" 0 0 1 ")
		nums(p, x+float64(ch.x0)*k, base)
		fmt.Fprintf(p, " Tm <%04X> Tj\n", ch.r)
	}
	p.WriteString("ET Q\n")
}

func utf16Hex(b *bytes.Buffer, s string) {
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(b, "%04X", u)
	}
	b.WriteByte('>')
}

func rect(p *bytes.Buffer, x, y, w, h float64, fill *rgb, stroke *rgb, lw float64) {
	if fill != nil {
		setFill(p, *fill)
	}
	if stroke != nil {
		setStroke(p, *stroke)
		num(p, lw)
		p.WriteString(" w\n")
	}
	nums(p, x, pageH-y-h, w, h)
	switch {
	case fill != nil && stroke != nil:
		p.WriteString(" re B\n")
	case fill != nil:
		p.WriteString(" re f\n")
	default:
		p.WriteString(" re S\n")
	}
}

func hline(p *bytes.Buffer, x1, x2, y, lw float64, c rgb) {
	setStroke(p, c)
	num(p, lw)
	p.WriteString(" w\n")
	nums(p, x1, pageH-y)
	p.WriteString(" m ")
	nums(p, x2, pageH-y)
	p.WriteString(" l S\n")
}

func vline(p *bytes.Buffer, x, y1, y2, lw float64, c rgb) {
	setStroke(p, c)
	num(p, lw)
	p.WriteString(" w\n")
	nums(p, x, pageH-y1)
	p.WriteString(" m ")
	nums(p, x, pageH-y2)
	p.WriteString(" l S\n")
}

// drawImage places image i of the document in the box x, y, w, h (top-left origin).
func (d *document) drawImage(p *bytes.Buffer, img *pdfImage, x, y, w, h float64) {
	idx := -1
	for i, have := range d.images {
		if have == img {
			idx = i
		}
	}
	if idx < 0 {
		d.images = append(d.images, img)
		idx = len(d.images) - 1
	}
	p.WriteString("q ")
	nums(p, w, 0, 0, h, x, pageH-y-h)
	fmt.Fprintf(p, " cm /Im%d Do Q\n", idx)
}

var zlibPool = sync.Pool{New: func() any {
	w, _ := zlib.NewWriterLevel(io.Discard, zlib.DefaultCompression)
	return w
}}

func deflate(b []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(b) / 2)
	w := zlibPool.Get().(*zlib.Writer)
	w.Reset(&out)
	_, _ = w.Write(b)
	_ = w.Close()
	zlibPool.Put(w)
	return out.Bytes()
}

// pdfFile numbers objects and records where each starts, for the cross-reference table.
type pdfFile struct {
	buf     bytes.Buffer
	offsets []int
}

func (f *pdfFile) reserve() int {
	f.offsets = append(f.offsets, 0)
	return len(f.offsets)
}

func (f *pdfFile) begin(n int) {
	f.offsets[n-1] = f.buf.Len()
	fmt.Fprintf(&f.buf, "%d 0 obj\n", n)
}

func (f *pdfFile) object(n int, body string) {
	f.begin(n)
	f.buf.WriteString(body)
	f.buf.WriteString("\nendobj\n")
}

func (f *pdfFile) stream(n int, dict string, data []byte) {
	f.begin(n)
	fmt.Fprintf(&f.buf, "<<%s /Length %d>>\nstream\n", dict, len(data))
	f.buf.Write(data)
	f.buf.WriteString("\nendstream\nendobj\n")
}

// write serialises the document.
func (d *document) write(w io.Writer) error {
	var f pdfFile
	f.buf.Grow(64 << 10)
	f.buf.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	catalog, pagesObj, resources, info := f.reserve(), f.reserve(), f.reserve(), f.reserve()

	var fontRefs bytes.Buffer
	for id, use := range d.fonts {
		if use == nil {
			continue
		}
		ref, inv := d.writeFont(&f, d.eng.fonts[id], use)
		fmt.Fprintf(&fontRefs, "/F%d %d 0 R ", id, ref)
		if inv != 0 {
			fmt.Fprintf(&fontRefs, "/U%d %d 0 R ", id, inv)
		}
	}
	var imageRefs bytes.Buffer
	for i, img := range d.images {
		fmt.Fprintf(&imageRefs, "/Im%d %d 0 R ", i, img.write(&f))
	}
	f.object(resources, fmt.Sprintf("<</Font <<%s>> /XObject <<%s>> /ProcSet [/PDF /Text /ImageC]>>", fontRefs.String(), imageRefs.String()))

	var kids bytes.Buffer
	for _, content := range d.pages {
		c := f.reserve()
		f.stream(c, " /Filter /FlateDecode", deflate(content.Bytes()))
		pg := f.reserve()
		f.object(pg, fmt.Sprintf("<</Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] /Resources %d 0 R /Contents %d 0 R>>", pagesObj, pageW, pageH, resources, c))
		fmt.Fprintf(&kids, "%d 0 R ", pg)
	}
	f.object(pagesObj, fmt.Sprintf("<</Type /Pages /Kids [%s] /Count %d>>", kids.String(), len(d.pages)))
	f.object(catalog, fmt.Sprintf("<</Type /Catalog /Pages %d 0 R /MarkInfo <</Marked true>>>>", pagesObj))
	var title bytes.Buffer
	utf16Hex(&title, d.title)
	f.object(info, fmt.Sprintf("<</Producer (Alorig ASMS) /Title %s>>", title.String()))

	xref := f.buf.Len()
	fmt.Fprintf(&f.buf, "xref\n0 %d\n0000000000 65535 f \n", len(f.offsets)+1)
	for _, off := range f.offsets {
		fmt.Fprintf(&f.buf, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&f.buf, "trailer\n<</Size %d /Root %d 0 R /Info %d 0 R>>\nstartxref\n%d\n%%%%EOF\n", len(f.offsets)+1, catalog, info, xref)
	_, err := w.Write(f.buf.Bytes())
	return err
}

// writeFont writes a Type0 font with its CIDFontType2 descendant, descriptor, subset program
// and ToUnicode map, and returns the Type0 object's number; and, when the document has
// invisible text in this font, a second Type0 font over the same program whose CIDs are
// Unicode code points (CIDToGIDMap turns them into the font's nominal glyphs), so its
// ToUnicode map is exact by construction.
func (d *document) writeFont(f *pdfFile, ff *fontFile, use *fontUse) (visible, invisible int) {
	gids := make([]int, 0, len(use.text))
	used := make(map[uint16]struct{}, len(use.text))
	h := fnv.New32a()
	for g := range use.text {
		gids = append(gids, int(g))
		used[g] = struct{}{}
	}
	sort.Ints(gids)
	for _, g := range gids {
		_, _ = h.Write([]byte{byte(g >> 8), byte(g)})
	}
	// The subset tag is six capitals derived from the glyph set, as the PDF format asks.
	sum := h.Sum32()
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + byte(sum%26)
		sum /= 26
	}
	name := string(tag) + "+" + ff.psName

	visible, cid, desc, file := f.reserve(), f.reserve(), f.reserve(), f.reserve()
	u2t := 1000 / ff.upem
	var widths bytes.Buffer
	widths.WriteByte('[')
	for _, g := range gids {
		fmt.Fprintf(&widths, "%d [", g)
		num(&widths, float64(ff.sfnt.advances[g])*u2t)
		widths.WriteString("] ")
	}
	widths.WriteByte(']')

	var mapped []int
	for _, g := range gids {
		if use.text[uint16(g)] != "" {
			mapped = append(mapped, g)
		}
	}
	toUni := ""
	if len(mapped) > 0 {
		var cm bytes.Buffer
		cmapHeader(&cm)
		for i := 0; i < len(mapped); i += 100 {
			chunk := mapped[i:min(i+100, len(mapped))]
			fmt.Fprintf(&cm, "%d beginbfchar\n", len(chunk))
			for _, g := range chunk {
				fmt.Fprintf(&cm, "<%04X> <", g)
				for _, u := range utf16.Encode([]rune(use.text[uint16(g)])) {
					fmt.Fprintf(&cm, "%04X", u)
				}
				cm.WriteString(">\n")
			}
			cm.WriteString("endbfchar\n")
		}
		cmapFooter(&cm)
		t := f.reserve()
		f.stream(t, " /Filter /FlateDecode", deflate(cm.Bytes()))
		toUni = fmt.Sprintf(" /ToUnicode %d 0 R", t)
	}

	f.object(visible, fmt.Sprintf("<</Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R]%s>>", name, cid, toUni))
	f.object(cid, fmt.Sprintf("<</Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> /FontDescriptor %d 0 R /DW 0 /W %s /CIDToGIDMap /Identity>>", name, desc, widths.String()))
	f.object(desc, fmt.Sprintf("<</Type /FontDescriptor /FontName /%s /Flags 4 /FontBBox [%.0f %.0f %.0f %.0f] /ItalicAngle 0 /Ascent %.0f /Descent %.0f /CapHeight %.0f /StemV 80 /FontFile2 %d 0 R>>",
		name, float64(ff.bbox[0])*u2t, float64(ff.bbox[1])*u2t, float64(ff.bbox[2])*u2t, float64(ff.bbox[3])*u2t,
		ff.ascent*u2t, ff.descent*u2t, ff.capH*u2t, file))
	prog := ff.sfnt.subset(used)
	f.stream(file, fmt.Sprintf(" /Length1 %d /Filter /FlateDecode", len(prog)), deflate(prog))

	if len(use.chars) == 0 {
		return visible, 0
	}
	chars := make([]int, 0, len(use.chars))
	for r := range use.chars {
		chars = append(chars, int(r))
	}
	sort.Ints(chars)
	// CIDToGIDMap: two bytes of glyph id per CID, up to the highest CID used. The glyphs are
	// never drawn (render mode 3), so the subset needs no outlines for them.
	gidMap := make([]byte, 2*(chars[len(chars)-1]+1))
	for _, r := range chars {
		g, _ := ff.font.Cmap.Lookup(rune(r))
		gidMap[2*r], gidMap[2*r+1] = byte(g>>8), byte(g)
	}
	var cm bytes.Buffer
	cmapHeader(&cm)
	for i := 0; i < len(chars); i += 100 {
		chunk := chars[i:min(i+100, len(chars))]
		fmt.Fprintf(&cm, "%d beginbfchar\n", len(chunk))
		for _, r := range chunk {
			fmt.Fprintf(&cm, "<%04X> <%04X>\n", r, r)
		}
		cm.WriteString("endbfchar\n")
	}
	cmapFooter(&cm)
	invisible, cid2, gm, tu := f.reserve(), f.reserve(), f.reserve(), f.reserve()
	f.object(invisible, fmt.Sprintf("<</Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R>>", name, cid2, tu))
	f.object(cid2, fmt.Sprintf("<</Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> /FontDescriptor %d 0 R /DW 1000 /CIDToGIDMap %d 0 R>>", name, desc, gm))
	f.stream(gm, " /Filter /FlateDecode", deflate(gidMap))
	f.stream(tu, " /Filter /FlateDecode", deflate(cm.Bytes()))
	return visible, invisible
}

func cmapHeader(cm *bytes.Buffer) {
	cm.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
}

func cmapFooter(cm *bytes.Buffer) {
	cm.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
}
