package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"
	"slices"
)

// DefaultWidths are the srcset widths produced for product photos.
var DefaultWidths = []int{160, 320, 480, 640, 960}

// MaxStoredSide caps the cleaned full-size copy. Store pages never show a photo wider than
// 960 CSS pixels, so 2048 covers a 2× screen with room for zoom, at a fraction of a 12 MP
// original's bytes.
const MaxStoredSide = 2048

// processVersion is part of every key: bump it when the output changes (quality, sizes,
// format) so new renders get new URLs instead of hiding behind year-long cache headers.
const processVersion = "v1"

// Variant is one encoded rendition.
type Variant struct {
	Width, Height int
	Data          []byte
}

// Result is a processed upload: a cleaned full-size copy and smaller variants, all in one
// format (JPEG, or PNG when the source has transparency), all without metadata.
type Result struct {
	Hash        string // content hash of the upload, shared by every key
	Source      Info
	Ext         string // "jpg" or "png"
	ContentType string
	Full        Variant
	Variants    []Variant // ascending width, each narrower than Full
}

// Processor runs uploads through Check, decode, orientation, scaling and re-encoding. Decoding
// is memory-heavy (up to Limits.MaxPixels × 4 bytes), so at most maxConcurrent run at once.
type Processor struct {
	limits  Limits
	widths  []int
	quality int
	sem     chan struct{}
}

// NewProcessor returns a Processor. widths nil means DefaultWidths; maxConcurrent < 1 means 1.
func NewProcessor(lim Limits, widths []int, maxConcurrent int) *Processor {
	if widths == nil {
		widths = DefaultWidths
	}
	widths = slices.Clone(widths)
	slices.Sort(widths)
	widths = slices.Compact(widths)
	if maxConcurrent < 1 {
		maxConcurrent = 1
	}
	return &Processor{limits: lim, widths: widths, quality: 82, sem: make(chan struct{}, maxConcurrent)}
}

// Process checks and renders an upload.
//
// Metadata is removed by decoding to pixels and encoding afresh with the standard library,
// which writes no EXIF, XMP, IPTC, ICC or comment data at all: GPS location, camera serial and
// editing history cannot survive because nothing is copied. The EXIF orientation is applied to
// the pixels first. The cost is one generation of JPEG loss (quality 82) and colour profiles
// being dropped (wide-gamut photos are shown as sRGB).
func (p *Processor) Process(ctx context.Context, data []byte) (*Result, error) {
	info, err := Check(data, p.limits)
	if err != nil {
		return nil, err
	}
	select {
	case p.sem <- struct{}{}:
		defer func() { <-p.sem }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if b := src.Bounds(); b.Dx() != info.Width || b.Dy() != info.Height {
		return nil, fmt.Errorf("%w: header says %d×%d, pixels are %d×%d", ErrCorrupt, info.Width, info.Height, b.Dx(), b.Dy())
	}

	// Scale in the source's own orientation, then rotate the (much smaller) result.
	fw, fh := fit(info.DisplayWidth(), info.DisplayHeight(), MaxStoredSide)
	sw, sh := fw, fh
	if info.Orientation >= 5 {
		sw, sh = fh, fw
	}
	full := orient(scale(src, sw, sh), info.Orientation)

	sum := sha256.Sum256(append([]byte(processVersion), data...))
	res := &Result{Hash: hex.EncodeToString(sum[:8]), Source: info, Ext: "jpg", ContentType: "image/jpeg"}
	opaque := isOpaque(src)
	if !opaque {
		res.Ext, res.ContentType = "png", "image/png"
	}
	if res.Full, err = p.encode(full, opaque); err != nil {
		return nil, err
	}

	// Each smaller variant is scaled from the one above it: cheaper than going back to the
	// full image every time, and at ratios of at most 2 the quality loss is not visible.
	prev := full
	for _, w := range slices.Backward(p.widths) {
		if w >= fw {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		h := max(1, (fh*w+fw/2)/fw)
		img := scale(prev, w, h)
		v, err := p.encode(img, opaque)
		if err != nil {
			return nil, err
		}
		res.Variants = append(res.Variants, v)
		prev = img
	}
	slices.Reverse(res.Variants)
	return res, nil
}

func (p *Processor) encode(img *image.RGBA, opaque bool) (Variant, error) {
	var buf bytes.Buffer
	var err error
	if opaque {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: p.quality})
	} else {
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img)
	}
	if err != nil {
		return Variant{}, fmt.Errorf("media: encode %d×%d: %w", img.Rect.Dx(), img.Rect.Dy(), err)
	}
	return Variant{Width: img.Rect.Dx(), Height: img.Rect.Dy(), Data: buf.Bytes()}, nil
}

// fit scales w×h down (never up) so the longest side is at most limit.
func fit(w, h, limit int) (int, int) {
	if w <= limit && h <= limit {
		return w, h
	}
	if w >= h {
		return limit, max(1, (h*limit+w/2)/w)
	}
	return max(1, (w*limit+h/2)/h), limit
}

// scale renders src at w×h with Catmull-Rom (see resample), which widens its kernel when
// shrinking and so does not alias fine fabric patterns the way nearest-neighbour or bilinear
// sampling would.
func scale(src image.Image, w, h int) *image.RGBA {
	b := src.Bounds()
	if b.Dx() == w && b.Dy() == h {
		dst := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.Draw(dst, dst.Rect, src, b.Min, draw.Src)
		return dst
	}
	return resample(src, w, h)
}

func isOpaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// orient applies an EXIF orientation (1–8) to img.
func orient(img *image.RGBA, o int) *image.RGBA {
	if o < 2 || o > 8 {
		return img
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := range h {
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		for x := range w {
			var dx, dy int
			switch o {
			case 2:
				dx, dy = w-1-x, y
			case 3:
				dx, dy = w-1-x, h-1-y
			case 4:
				dx, dy = x, h-1-y
			case 5:
				dx, dy = y, x
			case 6:
				dx, dy = h-1-y, x
			case 7:
				dx, dy = h-1-y, w-1-x
			case 8:
				dx, dy = y, w-1-x
			}
			copy(dst.Pix[dy*dst.Stride+4*dx:dy*dst.Stride+4*dx+4], row[4*x:4*x+4])
		}
	}
	return dst
}
