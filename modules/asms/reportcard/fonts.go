package reportcard

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"fmt"

	"github.com/go-text/typesetting/font"
)

// The fonts are subsets of Noto made by fonts/subset.sh (licence: fonts/OFL.txt). Noto Nastaliq
// Urdu is the script Urdu readers expect on a school document; Noto Sans carries the Latin text
// of English cards and the Latin runs (subject names, codes) inside Urdu ones.
var (
	//go:embed fonts/NotoSans-Regular.ttf
	notoSansRegular []byte
	//go:embed fonts/NotoSans-Bold.ttf
	notoSansBold []byte
	//go:embed fonts/NotoNastaliqUrdu-Regular.ttf
	notoNastaliqUrdu []byte
)

// urduScale is the Nastaliq size for a nominal size of 1.
const urduScale = 1.25

// fontID indexes Renderer.fonts; it is part of the shaping cache's key.
type fontID uint8

const (
	latinRegular fontID = iota
	latinBold
	urduRegular
	numFonts
)

// fontFile is one embedded font, parsed once and shared read-only by every document.
type fontFile struct {
	id      fontID
	psName  string
	font    *font.Font // for the shaper; safe for concurrent use
	sfnt    *sfnt      // for the PDF font program and widths
	upem    float64
	ascent  float64 // hhea, font units
	descent float64 // hhea, font units, negative
	capH    float64
	bbox    [4]int16
	// scale sizes the font against the nominal size: Nastaliq draws its letters small in a
	// tall em (room for its stacked joins), so it is set larger to look as big as the Latin.
	scale float64
	// fakeBold marks a font with no bold cut here: bold is drawn as fill plus a thin stroke.
	fakeBold bool
}

func loadFont(id fontID, psName string, data []byte) (*fontFile, error) {
	ft, err := font.ParseTTF(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("reportcard: parse font %s: %w", psName, err)
	}
	sf, err := parseSFNT(data)
	if err != nil {
		return nil, fmt.Errorf("reportcard: read font %s: %w", psName, err)
	}
	head, hhea := sf.tables["head"], sf.tables["hhea"]
	f := &fontFile{
		id:      id,
		psName:  psName,
		font:    ft.Font,
		sfnt:    sf,
		upem:    float64(binary.BigEndian.Uint16(head[18:])),
		ascent:  float64(int16(binary.BigEndian.Uint16(hhea[4:]))),
		descent: float64(int16(binary.BigEndian.Uint16(hhea[6:]))),
	}
	for i := range f.bbox {
		f.bbox[i] = int16(binary.BigEndian.Uint16(head[36+2*i:]))
	}
	f.capH = f.ascent * 0.7
	if os2 := sf.tables["OS/2"]; len(os2) >= 90 && binary.BigEndian.Uint16(os2) >= 2 {
		if c := int16(binary.BigEndian.Uint16(os2[88:])); c > 0 {
			f.capH = float64(c)
		}
	}
	return f, nil
}

func loadFonts() ([numFonts]*fontFile, error) {
	var fs [numFonts]*fontFile
	specs := []struct {
		id   fontID
		name string
		data []byte
	}{
		{latinRegular, "NotoSans-Regular", notoSansRegular},
		{latinBold, "NotoSans-Bold", notoSansBold},
		{urduRegular, "NotoNastaliqUrdu", notoNastaliqUrdu},
	}
	for _, s := range specs {
		f, err := loadFont(s.id, s.name, s.data)
		if err != nil {
			return fs, err
		}
		fs[s.id] = f
	}
	fs[latinRegular].scale, fs[latinBold].scale = 1, 1
	fs[urduRegular].scale = urduScale
	fs[urduRegular].fakeBold = true
	return fs, nil
}

// has reports whether the font maps r to a glyph.
func (f *fontFile) has(r rune) bool {
	_, ok := f.font.Cmap.Lookup(r)
	return ok
}
