package media_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/alorig/alorig/modules/snapify/media"
	"github.com/alorig/alorig/shared/storage"
)

// halves draws a w×h picture, red on the left half and blue on the right, so rotations can be
// checked by colour.
func halves(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{220, 20, 20, 255}
			if x >= w/2 {
				c = color.RGBA{20, 20, 220, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}))
	return buf.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

const gpsMarker = "GPS 31.5204N 74.3587E Lahore"

// withExif inserts an APP1 EXIF segment carrying an orientation and a GPS IFD right after the
// JPEG's SOI marker, as a phone camera writes it.
func withExif(t testing.TB, jpg []byte, orientation uint16) []byte {
	t.Helper()
	le := binary.LittleEndian
	tiff := []byte("II")
	tiff = le.AppendUint16(tiff, 42)
	tiff = le.AppendUint32(tiff, 8)
	// IFD0 at 8: two entries, then next-IFD 0. The GPS IFD follows at 8+2+24+4 = 38.
	tiff = le.AppendUint16(tiff, 2)
	tiff = le.AppendUint16(tiff, 0x0112)
	tiff = le.AppendUint16(tiff, 3)
	tiff = le.AppendUint32(tiff, 1)
	tiff = le.AppendUint16(tiff, orientation)
	tiff = le.AppendUint16(tiff, 0)
	tiff = le.AppendUint16(tiff, 0x8825)
	tiff = le.AppendUint16(tiff, 4)
	tiff = le.AppendUint32(tiff, 1)
	tiff = le.AppendUint32(tiff, 38)
	tiff = le.AppendUint32(tiff, 0)
	// GPS IFD: one ASCII entry pointing at the marker text stored after it.
	tiff = le.AppendUint16(tiff, 1)
	tiff = le.AppendUint16(tiff, 0x0002)
	tiff = le.AppendUint16(tiff, 2)
	tiff = le.AppendUint32(tiff, uint32(len(gpsMarker)+1))
	tiff = le.AppendUint32(tiff, 38+2+12+4)
	tiff = le.AppendUint32(tiff, 0)
	tiff = append(tiff, gpsMarker+"\x00"...)

	seg := append([]byte("Exif\x00\x00"), tiff...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, 0xFF, 0xE1)
	out = binary.BigEndian.AppendUint16(out, uint16(len(seg)+2))
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// pngHeaderOnly is a PNG signature and an IHDR claiming w×h, with no pixel data: what a
// decompression bomb looks like to DecodeConfig.
func pngHeaderOnly(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0)
	chunk := append([]byte("IHDR"), ihdr...)
	out := []byte("\x89PNG\r\n\x1a\n")
	out = binary.BigEndian.AppendUint32(out, uint32(len(ihdr)))
	out = append(out, chunk...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(chunk))
}

func near(t *testing.T, got color.Color, want color.RGBA, what string) {
	t.Helper()
	r, g, b, _ := got.RGBA()
	d := func(a uint32, b uint8) int { return abs(int(a>>8) - int(b)) }
	require.True(t, d(r, want.R) < 40 && d(g, want.G) < 40 && d(b, want.B) < 40, "%s: got %v want %v", what, got, want)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

var (
	red  = color.RGBA{220, 20, 20, 255}
	blue = color.RGBA{20, 20, 220, 255}
)

func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(b))
	require.NoError(t, err)
	return img
}

func TestProcessStripsExifAndAppliesOrientation(t *testing.T) {
	t.Parallel()
	src := withExif(t, encodeJPEG(t, halves(400, 300)), 6)
	require.Contains(t, string(src), gpsMarker)

	info, err := media.Check(src, media.DefaultLimits)
	require.NoError(t, err)
	require.Equal(t, 6, info.Orientation)
	require.Equal(t, 300, info.DisplayWidth())

	res, err := media.NewProcessor(media.DefaultLimits, nil, 1).Process(context.Background(), src)
	require.NoError(t, err)
	require.Equal(t, "jpg", res.Ext)
	all := append([]media.Variant{res.Full}, res.Variants...)
	for _, v := range all {
		require.NotContains(t, string(v.Data), gpsMarker)
		require.NotContains(t, string(v.Data), "Exif\x00\x00")
	}
	// Rotated 90° clockwise: the red left half is now on top.
	require.Equal(t, 300, res.Full.Width)
	require.Equal(t, 400, res.Full.Height)
	img := decode(t, res.Full.Data)
	near(t, img.At(150, 50), red, "top")
	near(t, img.At(150, 350), blue, "bottom")
}

func TestOrientations(t *testing.T) {
	t.Parallel()
	p := media.NewProcessor(media.DefaultLimits, []int{}, 1)
	// Where the red (left) half of a 400×300 source ends up, as a probe point that must be red
	// and one that must be blue, in the displayed image.
	cases := map[uint16]struct{ w, h, rx, ry, bx, by int }{
		1: {400, 300, 50, 150, 350, 150},
		2: {400, 300, 350, 150, 50, 150},
		3: {400, 300, 350, 150, 50, 150},
		4: {400, 300, 50, 150, 350, 150},
		5: {300, 400, 150, 50, 150, 350},
		6: {300, 400, 150, 50, 150, 350},
		7: {300, 400, 150, 350, 150, 50},
		8: {300, 400, 150, 350, 150, 50},
	}
	base := encodeJPEG(t, halves(400, 300))
	for o, c := range cases {
		res, err := p.Process(context.Background(), withExif(t, base, o))
		require.NoError(t, err)
		require.Equal(t, [2]int{c.w, c.h}, [2]int{res.Full.Width, res.Full.Height}, "orientation %d", o)
		img := decode(t, res.Full.Data)
		near(t, img.At(c.rx, c.ry), red, "red probe")
		near(t, img.At(c.bx, c.by), blue, "blue probe")
	}
}

func TestVariants(t *testing.T) {
	t.Parallel()
	p := media.NewProcessor(media.DefaultLimits, nil, 2)
	res, err := p.Process(context.Background(), encodeJPEG(t, halves(1200, 900)))
	require.NoError(t, err)
	require.Equal(t, 1200, res.Full.Width)
	var got [][2]int
	for _, v := range res.Variants {
		got = append(got, [2]int{v.Width, v.Height})
		cfg, format, err := image.DecodeConfig(bytes.NewReader(v.Data))
		require.NoError(t, err)
		require.Equal(t, "jpeg", format)
		require.Equal(t, v.Width, cfg.Width)
		require.Equal(t, v.Height, cfg.Height)
	}
	require.Equal(t, [][2]int{{160, 120}, {320, 240}, {480, 360}, {640, 480}, {960, 720}}, got)

	// Large sources are capped at MaxStoredSide; narrow ones get only the widths below them.
	big, err := p.Process(context.Background(), encodeJPEG(t, halves(2400, 1200)))
	require.NoError(t, err)
	require.Equal(t, [2]int{2048, 1024}, [2]int{big.Full.Width, big.Full.Height})
	small, err := p.Process(context.Background(), encodeJPEG(t, halves(500, 250)))
	require.NoError(t, err)
	require.Len(t, small.Variants, 3)
	require.Equal(t, 480, small.Variants[2].Width)
	require.Equal(t, 500, small.Full.Width)
}

func TestHashIsStable(t *testing.T) {
	t.Parallel()
	p := media.NewProcessor(media.DefaultLimits, nil, 1)
	a := encodeJPEG(t, halves(400, 300))
	r1, err := p.Process(context.Background(), a)
	require.NoError(t, err)
	r2, err := p.Process(context.Background(), bytes.Clone(a))
	require.NoError(t, err)
	r3, err := p.Process(context.Background(), encodeJPEG(t, halves(401, 300)))
	require.NoError(t, err)
	require.Equal(t, r1.Hash, r2.Hash)
	require.NotEqual(t, r1.Hash, r3.Hash)
	require.Len(t, r1.Hash, 16)
}

func TestFormats(t *testing.T) {
	t.Parallel()
	p := media.NewProcessor(media.DefaultLimits, nil, 1)
	ctx := context.Background()

	webp, err := os.ReadFile("testdata/red-blue-320x240.webp")
	require.NoError(t, err)
	res, err := p.Process(ctx, webp)
	require.NoError(t, err)
	require.Equal(t, media.WebP, res.Source.Format)
	require.Equal(t, "jpg", res.Ext, "opaque WebP becomes JPEG: the standard library has no WebP encoder")
	img := decode(t, res.Full.Data)
	near(t, img.At(40, 120), color.RGBA{220, 30, 60, 255}, "webp left")

	alpha, err := os.ReadFile("testdata/circle-alpha-256.webp")
	require.NoError(t, err)
	res, err = p.Process(ctx, alpha)
	require.NoError(t, err)
	require.Equal(t, "png", res.Ext, "transparency is kept as PNG")
	_, a, _, _ := decode(t, res.Full.Data).At(2, 2).RGBA()
	require.Zero(t, a, "corner stays transparent")

	opaquePNG := encodePNG(t, halves(300, 300))
	res, err = p.Process(ctx, opaquePNG)
	require.NoError(t, err)
	require.Equal(t, media.PNG, res.Source.Format)
	require.Equal(t, "jpg", res.Ext, "an opaque PNG photo is smaller as JPEG")
}

func TestRejections(t *testing.T) {
	t.Parallel()
	var gifBuf bytes.Buffer
	require.NoError(t, gif.Encode(&gifBuf, halves(300, 300), nil))
	jpg := encodeJPEG(t, halves(400, 300))
	heic := append([]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), make([]byte, 64)...)
	cases := []struct {
		name    string
		data    []byte
		lim     media.Limits
		want    error
		mention string
	}{
		{"gif", gifBuf.Bytes(), media.DefaultLimits, media.ErrUnsupportedType, "GIF"},
		{"heic", heic, media.DefaultLimits, media.ErrUnsupportedType, "HEIC"},
		{"pdf", []byte("%PDF-1.7\n%âãÏÓ\n1 0 obj"), media.DefaultLimits, media.ErrUnsupportedType, "PDF"},
		{"svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>`), media.DefaultLimits, media.ErrUnsupportedType, "SVG"},
		{"html named .jpg", []byte("<html><body>hi</body></html>"), media.DefaultLimits, media.ErrUnsupportedType, "text/html"},
		{"empty", nil, media.DefaultLimits, media.ErrUnsupportedType, "empty"},
		{"too small", encodePNG(t, halves(150, 300)), media.DefaultLimits, media.ErrDimensions, "at least 200"},
		{"too wide", pngHeaderOnly(6001, 300), media.DefaultLimits, media.ErrDimensions, "at most 6000"},
		{"bomb", pngHeaderOnly(60000, 60000), media.DefaultLimits, media.ErrDimensions, "60000×60000"},
		{"too many pixels", pngHeaderOnly(5000, 5000), media.DefaultLimits, media.ErrDimensions, "megapixels"},
		{"too many bytes", jpg, media.Limits{MaxBytes: 100, MaxSide: 6000, MinSide: 200, MaxPixels: 1e9}, media.ErrTooLarge, "limit"},
		{"truncated", jpg[:len(jpg)/2], media.DefaultLimits, media.ErrCorrupt, ""},
		{"header only", pngHeaderOnly(300, 300), media.DefaultLimits, media.ErrCorrupt, ""},
	}
	p := media.NewProcessor(media.DefaultLimits, nil, 1)
	for _, tc := range cases {
		var err error
		if tc.lim == media.DefaultLimits {
			_, err = p.Process(context.Background(), tc.data)
		} else {
			_, err = media.Check(tc.data, tc.lim)
		}
		require.ErrorIs(t, err, tc.want, tc.name)
		require.Contains(t, err.Error(), tc.mention, tc.name)
	}
}

func TestReadUpload(t *testing.T) {
	t.Parallel()
	lim := media.Limits{MaxBytes: 10}
	b, err := media.ReadUpload(strings.NewReader("0123456789"), lim)
	require.NoError(t, err)
	require.Len(t, b, 10)
	_, err = media.ReadUpload(io.MultiReader(strings.NewReader("0123456789"), strings.NewReader("x")), lim)
	require.ErrorIs(t, err, media.ErrTooLarge)
}

func TestSaveAndDeliver(t *testing.T) {
	t.Parallel()
	st, err := storage.NewLocal(t.TempDir(), "/media")
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	res, err := media.NewProcessor(media.DefaultLimits, nil, 1).Process(ctx, encodeJPEG(t, halves(800, 600)))
	require.NoError(t, err)
	s, err := media.Save(ctx, st, "/snapify/s/42/p/", res)
	require.NoError(t, err)
	require.Equal(t, []int{160, 320, 480, 640}, s.Widths)
	for _, k := range s.Keys() {
		rc, obj, err := st.Get(ctx, k)
		require.NoError(t, err, k)
		rc.Close()
		require.Equal(t, "image/jpeg", obj.ContentType)
		require.True(t, strings.HasPrefix(k, "snapify/s/42/p/"+res.Hash+"/"), k)
	}

	pic := media.Delivery{URL: st.URL}.Picture(s, media.SizesProductGrid)
	base := "/media/snapify/s/42/p/" + res.Hash
	require.Equal(t, base+"/480.jpg", pic.Src)
	require.Equal(t, base+"/160.jpg 160w, "+base+"/320.jpg 320w, "+base+"/480.jpg 480w, "+base+"/640.jpg 640w, "+base+"/full.jpg 800w", pic.SrcSet)
	require.Equal(t, [2]int{800, 600}, [2]int{pic.Width, pic.Height})
	require.Equal(t, media.SizesProductGrid, pic.Sizes)

	// Cloudinary upload mode uses the public id; fetch mode cannot fetch a relative URL and
	// falls back to our own files.
	cl := media.Delivery{URL: st.URL, Cloudinary: &media.Cloudinary{Cloud: "snapify"}}.Picture(s, media.SizesProductPage)
	require.Equal(t, "https://res.cloudinary.com/snapify/image/upload/f_auto,q_auto,w_480/snapify/s/42/p/"+res.Hash, cl.Src)
	fetch := media.Delivery{URL: st.URL, Cloudinary: &media.Cloudinary{Cloud: "snapify", Fetch: true}}.Picture(s, "")
	require.Equal(t, pic.SrcSet, fetch.SrcSet)
	abs := media.Delivery{URL: func(k string) string { return "https://cdn.snapify.pk/" + k }, Cloudinary: &media.Cloudinary{Cloud: "snapify", Fetch: true}}.Picture(s, "")
	require.Contains(t, abs.SrcSet, "https://res.cloudinary.com/snapify/image/fetch/f_auto,q_auto,w_160/https:%2F%2Fcdn.snapify.pk%2Fsnapify%2Fs%2F42%2Fp%2F"+res.Hash+"%2Ffull.jpg 160w")

	require.NoError(t, media.Delete(ctx, st, s))
	for _, k := range s.Keys() {
		_, _, err := st.Get(ctx, k)
		require.ErrorIs(t, err, storage.ErrNotFound)
	}
}

func TestCloudinaryURL(t *testing.T) {
	t.Parallel()
	c := media.Cloudinary{Cloud: "demo"}
	require.Equal(t, "https://res.cloudinary.com/demo/image/upload/f_auto,q_auto,w_640/stores/ali%20crafts/shoe", c.URL("/stores/ali crafts/shoe", 640))
	require.Equal(t, "a%20b.jpg 160w, c.jpg 320w", media.SrcSet([]media.Candidate{{"a b.jpg", 160}, {"c.jpg", 320}}))
}

func FuzzCheck(f *testing.F) {
	f.Add(withExif(f, encodeJPEG(f, halves(210, 210)), 6))
	f.Add(pngHeaderOnly(300, 300))
	f.Add([]byte("RIFF\x00\x00\x00\x00WEBPVP8 "))
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := media.Check(data, media.DefaultLimits)
		if err != nil {
			return
		}
		require.GreaterOrEqual(t, info.Orientation, 1)
		require.LessOrEqual(t, info.Orientation, 8)
		require.LessOrEqual(t, int64(info.Width)*int64(info.Height), media.DefaultLimits.MaxPixels)
	})
}

func BenchmarkProcess12MP(b *testing.B) {
	src := noisyJPEG(b, 4000, 3000)
	p := media.NewProcessor(media.DefaultLimits, nil, 1)
	b.SetBytes(int64(len(src)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := p.Process(context.Background(), src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkProcessPhone2MP(b *testing.B) {
	src := noisyJPEG(b, 1600, 1200)
	p := media.NewProcessor(media.DefaultLimits, nil, 1)
	b.SetBytes(int64(len(src)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := p.Process(context.Background(), src); err != nil {
			b.Fatal(err)
		}
	}
}

// noisyJPEG is a photo-like test image: smooth gradients with grain, so the encoder and
// scaler do realistic work.
func noisyJPEG(b *testing.B, w, h int) []byte {
	b.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(1, 2))
	for y := range h {
		for x := range w {
			n := uint8(rng.IntN(24))
			img.SetRGBA(x, y, color.RGBA{uint8(x*255/w) ^ n, uint8(y*255/h) + n, uint8((x+y)*127/(w+h)) + n, 255})
		}
	}
	return encodeJPEG(b, img)
}
