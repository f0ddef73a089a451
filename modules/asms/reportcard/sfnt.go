package reportcard

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
)

// sfnt is the part of a TrueType file the PDF needs: its tables by tag and the glyph outlines
// cut out of glyf by loca. The shaper parses the same bytes on its own (go-text/typesetting);
// this reader exists because a PDF embeds a font program, and one cut down to the glyphs a
// document uses keeps each file small.
type sfnt struct {
	tables    map[string][]byte
	numGlyphs int
	glyphs    [][]byte // glyf data of each glyph id, nil for an empty glyph
	advances  []uint16 // hmtx advance width of each glyph id, in font units
}

func parseSFNT(b []byte) (*sfnt, error) {
	if len(b) < 12 {
		return nil, errors.New("font file too short")
	}
	if v := binary.BigEndian.Uint32(b); v != 0x00010000 && v != 0x74727565 {
		return nil, fmt.Errorf("font is not TrueType outlines (sfnt version %#x)", v)
	}
	n := int(binary.BigEndian.Uint16(b[4:]))
	if len(b) < 12+16*n {
		return nil, errors.New("font table directory truncated")
	}
	f := &sfnt{tables: map[string][]byte{}}
	for i := 0; i < n; i++ {
		rec := b[12+16*i:]
		tag := string(rec[:4])
		off, length := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
		if uint64(off)+uint64(length) > uint64(len(b)) {
			return nil, fmt.Errorf("font table %q out of bounds", tag)
		}
		f.tables[tag] = b[off : off+length]
	}
	for _, t := range []string{"head", "hhea", "maxp", "hmtx", "loca", "glyf"} {
		if f.tables[t] == nil {
			return nil, fmt.Errorf("font lacks the %q table", t)
		}
	}
	head, maxp, hhea := f.tables["head"], f.tables["maxp"], f.tables["hhea"]
	if len(head) < 54 || len(maxp) < 6 || len(hhea) < 36 {
		return nil, errors.New("font head, maxp or hhea table truncated")
	}
	f.numGlyphs = int(binary.BigEndian.Uint16(maxp[4:]))
	longLoca := binary.BigEndian.Uint16(head[50:]) == 1
	loca, glyf := f.tables["loca"], f.tables["glyf"]
	offset := func(i int) (int, error) {
		if longLoca {
			if 4*i+4 > len(loca) {
				return 0, errors.New("loca truncated")
			}
			return int(binary.BigEndian.Uint32(loca[4*i:])), nil
		}
		if 2*i+2 > len(loca) {
			return 0, errors.New("loca truncated")
		}
		return 2 * int(binary.BigEndian.Uint16(loca[2*i:])), nil
	}
	f.glyphs = make([][]byte, f.numGlyphs)
	for i := 0; i < f.numGlyphs; i++ {
		start, err := offset(i)
		if err != nil {
			return nil, err
		}
		end, err := offset(i + 1)
		if err != nil {
			return nil, err
		}
		if start > end || end > len(glyf) {
			return nil, fmt.Errorf("glyph %d out of bounds", i)
		}
		if end > start {
			f.glyphs[i] = glyf[start:end]
		}
	}
	numHMetrics := int(binary.BigEndian.Uint16(hhea[34:]))
	hmtx := f.tables["hmtx"]
	if numHMetrics == 0 || len(hmtx) < 4*numHMetrics {
		return nil, errors.New("hmtx truncated")
	}
	f.advances = make([]uint16, f.numGlyphs)
	for i := range f.advances {
		j := min(i, numHMetrics-1)
		f.advances[i] = binary.BigEndian.Uint16(hmtx[4*j:])
	}
	return f, nil
}

// Composite glyph flags (OpenType glyf table).
const (
	argsAreWords    = 0x0001
	weHaveAScale    = 0x0008
	moreComponents  = 0x0020
	weHaveXYScale   = 0x0040
	weHaveTwoByTwo  = 0x0080
	compositeHeader = 10
)

// components lists the glyph ids a composite glyph is built from.
func components(g []byte) []uint16 {
	if len(g) < compositeHeader || int16(binary.BigEndian.Uint16(g)) >= 0 {
		return nil
	}
	var out []uint16
	p := compositeHeader
	for p+4 <= len(g) {
		flags := binary.BigEndian.Uint16(g[p:])
		out = append(out, binary.BigEndian.Uint16(g[p+2:]))
		p += 4
		if flags&argsAreWords != 0 {
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&weHaveAScale != 0:
			p += 2
		case flags&weHaveXYScale != 0:
			p += 4
		case flags&weHaveTwoByTwo != 0:
			p += 8
		}
		if flags&moreComponents == 0 {
			break
		}
	}
	return out
}

// subset returns a TrueType program that keeps every glyph id where it was but carries
// outlines only for the glyphs in used (plus .notdef and the parts of composites). Keeping the
// ids lets the PDF use CIDToGIDMap /Identity with the shaper's glyph ids as they are.
func (f *sfnt) subset(used map[uint16]struct{}) []byte {
	keep := make([]bool, f.numGlyphs)
	var visit func(gid uint16, depth int)
	visit = func(gid uint16, depth int) {
		if int(gid) >= f.numGlyphs || keep[gid] || depth > 8 {
			return
		}
		keep[gid] = true
		for _, c := range components(f.glyphs[gid]) {
			visit(c, depth+1)
		}
	}
	visit(0, 0)
	for gid := range used {
		visit(gid, 0)
	}

	var glyf []byte
	loca := make([]byte, 4*(f.numGlyphs+1))
	for i := 0; i < f.numGlyphs; i++ {
		binary.BigEndian.PutUint32(loca[4*i:], uint32(len(glyf)))
		if keep[i] && f.glyphs[i] != nil {
			glyf = append(glyf, f.glyphs[i]...)
			for len(glyf)%4 != 0 {
				glyf = append(glyf, 0)
			}
		}
	}
	binary.BigEndian.PutUint32(loca[4*f.numGlyphs:], uint32(len(glyf)))

	head := append([]byte(nil), f.tables["head"]...)
	binary.BigEndian.PutUint32(head[8:], 0)  // checkSumAdjustment, set below
	binary.BigEndian.PutUint16(head[50:], 1) // indexToLocFormat: long offsets
	tables := map[string][]byte{
		"head": head, "hhea": f.tables["hhea"], "maxp": f.tables["maxp"],
		"hmtx": f.tables["hmtx"], "loca": loca, "glyf": glyf,
	}
	out := writeSFNT(tables)
	adj := 0xB1B0AFBA - checksum(out)
	headOff := tableOffset(out, "head")
	binary.BigEndian.PutUint32(out[headOff+8:], adj)
	return out
}

func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}

func writeSFNT(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	n := len(tags)
	entrySelector := 0
	for 1<<(entrySelector+1) <= n {
		entrySelector++
	}
	searchRange := (1 << entrySelector) * 16
	out := make([]byte, 12+16*n)
	binary.BigEndian.PutUint32(out, 0x00010000)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	binary.BigEndian.PutUint16(out[6:], uint16(searchRange))
	binary.BigEndian.PutUint16(out[8:], uint16(entrySelector))
	binary.BigEndian.PutUint16(out[10:], uint16(n*16-searchRange))
	for i, t := range tags {
		data := tables[t]
		rec := out[12+16*i:]
		copy(rec, t)
		binary.BigEndian.PutUint32(rec[4:], checksum(data))
		binary.BigEndian.PutUint32(rec[8:], uint32(len(out)))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(data)))
		out = append(out, data...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out
}

func tableOffset(font []byte, tag string) int {
	n := int(binary.BigEndian.Uint16(font[4:]))
	for i := 0; i < n; i++ {
		rec := font[12+16*i:]
		if string(rec[:4]) == tag {
			return int(binary.BigEndian.Uint32(rec[8:]))
		}
	}
	return -1
}
