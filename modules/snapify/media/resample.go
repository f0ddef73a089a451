package media

import (
	"image"
	"image/color"
	"math"
)

// resample scales src to w×h with a Catmull-Rom filter whose support widens with the
// reduction, like golang.org/x/image/draw.CatmullRom, but streams: each source row is
// filtered horizontally once into a small ring of rows, and each output row is blended from
// that ring. golang.org/x/image/draw instead keeps a float64 buffer of w × source height
// (about 200 MB for a 12 MP photo scaled to 2048 px), which would decide the container's
// memory limit. Here the extra memory is a few dozen rows.
func resample(src image.Image, w, h int) *image.RGBA {
	sb := src.Bounds()
	sw, sh := sb.Dx(), sb.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	if sw == 0 || sh == 0 || w == 0 || h == 0 {
		return dst
	}
	xw := weights(sw, w)
	yw := weights(sh, h)

	window := 0
	for _, t := range yw {
		window = max(window, len(t.w))
	}
	ring := make([][]float32, window+1)
	ringRow := make([]int, len(ring))
	for i := range ring {
		ring[i] = make([]float32, 4*w)
		ringRow[i] = -1
	}
	line := make([]float32, 4*sw)
	read := rowReader(src)

	hrow := func(sy int) []float32 {
		slot := sy % len(ring)
		if ringRow[slot] == sy {
			return ring[slot]
		}
		read(sb.Min.Y+sy, line)
		out := ring[slot]
		for x, t := range xw {
			var r, g, b, a float32
			base := 4 * t.start
			for k, wt := range t.w {
				p := line[base+4*k : base+4*k+4]
				r += wt * p[0]
				g += wt * p[1]
				b += wt * p[2]
				a += wt * p[3]
			}
			out[4*x], out[4*x+1], out[4*x+2], out[4*x+3] = r, g, b, a
		}
		ringRow[slot] = sy
		return out
	}

	acc := make([]float32, 4*w)
	for y, t := range yw {
		pix := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
		clear(acc)
		for k, wt := range t.w {
			row := hrow(t.start + k)
			for i, v := range row {
				acc[i] += wt * v
			}
		}
		for x := 0; x < w; x++ {
			a := clamp8(acc[4*x+3])
			// Premultiplied: no colour channel may exceed alpha, which ringing can cause.
			pix[4*x] = min(clamp8(acc[4*x]), a)
			pix[4*x+1] = min(clamp8(acc[4*x+1]), a)
			pix[4*x+2] = min(clamp8(acc[4*x+2]), a)
			pix[4*x+3] = a
		}
	}
	return dst
}

// taps are the source positions and normalised weights for one output position.
type taps struct {
	start int
	w     []float32
}

func catmullRom(t float64) float64 {
	t = math.Abs(t)
	switch {
	case t < 1:
		return (1.5*t-2.5)*t*t + 1
	case t < 2:
		return ((-0.5*t+2.5)*t-4)*t + 2
	}
	return 0
}

// weights maps n source samples onto m output samples. When shrinking, the kernel is stretched
// by the ratio so every source sample contributes (no aliasing); edges are clamped by
// renormalising over the samples that exist.
func weights(n, m int) []taps {
	scale := float64(n) / float64(m)
	stretch := math.Max(scale, 1)
	support := 2 * stretch
	out := make([]taps, m)
	for i := range out {
		center := (float64(i)+0.5)*scale - 0.5
		lo := max(int(math.Ceil(center-support)), 0)
		hi := min(int(math.Floor(center+support)), n-1)
		ws := make([]float32, 0, hi-lo+1)
		var sum float64
		for j := lo; j <= hi; j++ {
			sum += catmullRom((float64(j) - center) / stretch)
		}
		for j := lo; j <= hi; j++ {
			ws = append(ws, float32(catmullRom((float64(j)-center)/stretch)/sum))
		}
		out[i] = taps{start: lo, w: ws}
	}
	return out
}

func clamp8(v float32) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}

// rowReader returns a function filling dst with row y of img as premultiplied RGBA floats in
// 0–255, with fast paths for what the decoders produce.
func rowReader(img image.Image) func(y int, dst []float32) {
	b := img.Bounds()
	switch s := img.(type) {
	case *image.RGBA:
		return func(y int, dst []float32) {
			row := s.Pix[s.PixOffset(b.Min.X, y):]
			for i := range dst {
				dst[i] = float32(row[i])
			}
		}
	case *image.NRGBA:
		return func(y int, dst []float32) {
			row := s.Pix[s.PixOffset(b.Min.X, y):]
			for x := 0; x < b.Dx(); x++ {
				a := float32(row[4*x+3]) / 255
				dst[4*x] = float32(row[4*x]) * a
				dst[4*x+1] = float32(row[4*x+1]) * a
				dst[4*x+2] = float32(row[4*x+2]) * a
				dst[4*x+3] = float32(row[4*x+3])
			}
		}
	case *image.YCbCr:
		return func(y int, dst []float32) {
			for x := 0; x < b.Dx(); x++ {
				yi := s.YOffset(b.Min.X+x, y)
				ci := s.COffset(b.Min.X+x, y)
				r, g, bl := color.YCbCrToRGB(s.Y[yi], s.Cb[ci], s.Cr[ci])
				dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = float32(r), float32(g), float32(bl), 255
			}
		}
	case *image.NYCbCrA:
		return func(y int, dst []float32) {
			for x := 0; x < b.Dx(); x++ {
				yi := s.YOffset(b.Min.X+x, y)
				ci := s.COffset(b.Min.X+x, y)
				r, g, bl := color.YCbCrToRGB(s.Y[yi], s.Cb[ci], s.Cr[ci])
				a := float32(s.A[s.AOffset(b.Min.X+x, y)])
				f := a / 255
				dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = float32(r)*f, float32(g)*f, float32(bl)*f, a
			}
		}
	}
	return func(y int, dst []float32) {
		for x := 0; x < b.Dx(); x++ {
			r, g, bl, a := img.At(b.Min.X+x, y).RGBA()
			dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = float32(r>>8), float32(g>>8), float32(bl>>8), float32(a>>8)
		}
	}
}
