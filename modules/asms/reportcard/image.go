package reportcard

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"image"
	_ "image/jpeg" // logos come as JPEG or PNG
	_ "image/png"
	"sync"

	"golang.org/x/image/draw"
)

// MaxLogoBytes bounds a school logo; a logo is drawn about 2 cm wide, so more buys nothing.
const MaxLogoBytes = 2 << 20

// logoPixels is the longest side a logo keeps: 3 cm at 200 dpi is plenty for print.
const logoPixels = 240

// pdfImage is a logo ready for a PDF: RGB samples and, if it has transparency, a soft mask,
// both deflated. It is built once per distinct logo and shared by every document.
type pdfImage struct {
	w, h        int
	rgb, alpha  []byte // deflated
	aspectRatio float64
}

func (img *pdfImage) write(f *pdfFile) int {
	obj := f.reserve()
	smask := ""
	if img.alpha != nil {
		m := f.reserve()
		f.stream(m, fmt.Sprintf(" /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode", img.w, img.h), img.alpha)
		smask = fmt.Sprintf(" /SMask %d 0 R", m)
	}
	f.stream(obj, fmt.Sprintf(" /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode%s", img.w, img.h, smask), img.rgb)
	return obj
}

// imageCache keeps the converted logos by content hash: a batch of a school's cards carries the
// same logo a thousand times.
type imageCache struct {
	mu sync.Mutex
	m  map[[32]byte]*pdfImage
}

const imageCacheSize = 128

func (c *imageCache) get(data []byte) (*pdfImage, error) {
	key := sha256.Sum256(data)
	c.mu.Lock()
	img, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return img, nil
	}
	img, err := convertImage(data)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= imageCacheSize {
		c.m = map[[32]byte]*pdfImage{}
	}
	c.m[key] = img
	c.mu.Unlock()
	return img, nil
}

func convertImage(data []byte) (*pdfImage, error) {
	if len(data) > MaxLogoBytes {
		return nil, fmt.Errorf("%w: school.logo: %d bytes, at most %d", ErrInvalid, len(data), MaxLogoBytes)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: school.logo: not a PNG or JPEG image", ErrInvalid)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > 25_000_000 {
		return nil, fmt.Errorf("%w: school.logo: %s of %dx%d pixels is out of range", ErrInvalid, format, cfg.Width, cfg.Height)
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: school.logo: %s does not decode: %v", ErrInvalid, format, err)
	}
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if w > logoPixels || h > logoPixels {
		if w >= h {
			w, h = logoPixels, max(1, h*logoPixels/w)
		} else {
			w, h = max(1, w*logoPixels/h), logoPixels
		}
	}
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, b, draw.Src, nil)
	rgbData := make([]byte, 0, w*h*3)
	alpha := make([]byte, 0, w*h)
	opaque := true
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := dst.NRGBAAt(x, y)
			rgbData = append(rgbData, c.R, c.G, c.B)
			alpha = append(alpha, c.A)
			if c.A != 0xff {
				opaque = false
			}
		}
	}
	img := &pdfImage{w: w, h: h, rgb: deflate(rgbData), aspectRatio: float64(w) / float64(h)}
	if !opaque {
		img.alpha = deflate(alpha)
	}
	return img, nil
}
