// Package media takes the photos sellers upload (from the dashboard or over WhatsApp) and makes
// them safe and light for buyers on 3G: the type is judged by content, size and dimensions are
// bounded before anything is decoded, metadata (including GPS location) is dropped by
// re-encoding, and resized variants are produced for srcset under content-hashed keys.
package media

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // registers the decoder for DecodeConfig and Decode
	_ "image/png"
	"io"
	"net/http"
	"strings"

	_ "golang.org/x/image/webp"
)

// Format is an accepted source format.
type Format string

const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	WebP Format = "webp"
)

// Limits bound what is accepted. MaxPixels is what protects memory: a decoded image takes four
// bytes per pixel whatever its file size, so a 1 MB PNG can claim 60 000 × 60 000 pixels.
type Limits struct {
	MaxBytes  int64
	MaxSide   int
	MinSide   int
	MaxPixels int64
}

// DefaultLimits: 8 MB is a full-quality 12 MP phone photo with room to spare; 6000 px covers
// every current phone camera; 200 px is the smallest that still looks like a product on a
// product page; 24 MP (about 96 MB decoded) caps memory per decode.
var DefaultLimits = Limits{MaxBytes: 8 << 20, MaxSide: 6000, MinSide: 200, MaxPixels: 24_000_000}

// Upload errors, each wrapped with a message that says what was found.
var (
	ErrTooLarge        = errors.New("media: file is too large")
	ErrUnsupportedType = errors.New("media: unsupported image type")
	ErrDimensions      = errors.New("media: image dimensions are out of range")
	ErrCorrupt         = errors.New("media: image is damaged or incomplete")
)

// ReadUpload reads at most lim.MaxBytes from r and fails with ErrTooLarge past that, so an
// oversized upload is never held in memory whole.
func ReadUpload(r io.Reader, lim Limits) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("media: read upload: %w", err)
	}
	if int64(len(data)) > lim.MaxBytes {
		return nil, fmt.Errorf("%w: over %s", ErrTooLarge, humanBytes(lim.MaxBytes))
	}
	return data, nil
}

// Sniff names the format from the first bytes. Anything but JPEG, PNG or WebP is refused with
// an error naming what the file actually is, so a seller who sends an iPhone HEIC or a PDF
// catalogue is told exactly that.
func Sniff(data []byte) (Format, error) {
	switch {
	case len(data) >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF:
		return JPEG, nil
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return PNG, nil
	case len(data) >= 12 && string(data[0:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return WebP, nil
	}
	found := describe(data)
	hint := ""
	if strings.HasPrefix(found, "HEIC") {
		hint = " (on iPhone: Settings → Camera → Formats → Most Compatible)"
	}
	return "", fmt.Errorf("%w: this file is %s; upload a JPEG, PNG or WebP photo%s", ErrUnsupportedType, found, hint)
}

func describe(data []byte) string {
	has := func(p string) bool { return bytes.HasPrefix(data, []byte(p)) }
	switch {
	case len(data) == 0:
		return "empty"
	case has("GIF87a"), has("GIF89a"):
		return "a GIF"
	case has("BM"):
		return "a BMP bitmap"
	case has("II*\x00"), has("MM\x00*"):
		return "a TIFF"
	case has("%PDF-"):
		return "a PDF document"
	case has("PK\x03\x04"):
		return "a ZIP archive (or Office document)"
	case has("\x00\x00\x01\x00"):
		return "an icon (ICO)"
	case has("\xff\x0a"), has("\x00\x00\x00\x0cJXL "):
		return "a JPEG XL"
	case len(data) >= 12 && string(data[4:8]) == "ftyp":
		switch string(data[8:12]) {
		case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1":
			return "HEIC/HEIF"
		case "avif", "avis":
			return "an AVIF"
		default:
			return "a video (MP4/MOV)"
		}
	case len(data) >= 12 && string(data[0:4]) == "RIFF":
		return "a RIFF " + strings.TrimSpace(string(data[8:12])) + " file"
	}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	if bytes.HasPrefix(trimmed, []byte("<svg")) || (bytes.HasPrefix(trimmed, []byte("<?xml")) && bytes.Contains(data[:min(len(data), 1024)], []byte("<svg"))) {
		return "an SVG drawing"
	}
	ct := http.DetectContentType(data)
	if i := strings.IndexByte(ct, ';'); i > 0 {
		ct = ct[:i]
	}
	if ct == "application/octet-stream" {
		return "not a recognised file type"
	}
	return "of type " + ct
}

// Info is what Check learned from the header, without decoding pixels.
type Info struct {
	Format      Format
	Width       int // as stored; see Orientation
	Height      int
	Orientation int // EXIF orientation 1–8; 1 when absent
	Size        int64
}

// DisplayWidth and DisplayHeight are the dimensions after applying the EXIF orientation.
func (i Info) DisplayWidth() int {
	if i.Orientation >= 5 {
		return i.Height
	}
	return i.Width
}

func (i Info) DisplayHeight() int {
	if i.Orientation >= 5 {
		return i.Width
	}
	return i.Height
}

// Check validates an upload from its bytes and headers alone: size, sniffed type, and
// dimensions read by DecodeConfig. Nothing is decoded until this passes.
func Check(data []byte, lim Limits) (Info, error) {
	if int64(len(data)) > lim.MaxBytes {
		return Info{}, fmt.Errorf("%w: %s, limit %s", ErrTooLarge, humanBytes(int64(len(data))), humanBytes(lim.MaxBytes))
	}
	f, err := Sniff(data)
	if err != nil {
		return Info{}, err
	}
	cfg, name, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return Info{}, fmt.Errorf("%w: cannot read the %s header: %v", ErrCorrupt, f, err)
	}
	if Format(name) != f {
		return Info{}, fmt.Errorf("%w: content looks like %s but decodes as %s", ErrCorrupt, f, name)
	}
	info := Info{Format: f, Width: cfg.Width, Height: cfg.Height, Orientation: 1, Size: int64(len(data))}
	switch {
	case cfg.Width > lim.MaxSide || cfg.Height > lim.MaxSide:
		return info, fmt.Errorf("%w: %d×%d px; the longest side may be at most %d px", ErrDimensions, cfg.Width, cfg.Height, lim.MaxSide)
	case cfg.Width < lim.MinSide || cfg.Height < lim.MinSide:
		return info, fmt.Errorf("%w: %d×%d px; both sides must be at least %d px", ErrDimensions, cfg.Width, cfg.Height, lim.MinSide)
	case int64(cfg.Width)*int64(cfg.Height) > lim.MaxPixels:
		return info, fmt.Errorf("%w: %d×%d px is %.1f megapixels; the limit is %.1f", ErrDimensions, cfg.Width, cfg.Height,
			float64(cfg.Width)*float64(cfg.Height)/1e6, float64(lim.MaxPixels)/1e6)
	}
	if f == JPEG {
		info.Orientation = jpegOrientation(data)
	}
	return info, nil
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
