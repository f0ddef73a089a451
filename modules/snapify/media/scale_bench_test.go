package media

import (
	"image"
	"image/color"
	"testing"

	"golang.org/x/image/draw"
)

func benchSource(w, h int) *image.YCbCr {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for i := range img.Y {
		img.Y[i] = uint8(i * 7)
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = uint8(i), uint8(255-i%256)
	}
	return img
}

// The first step (camera original to the stored 2048 px copy) dominates processing time.
func BenchmarkScale12MPTo2048(b *testing.B) {
	src := benchSource(4000, 3000)
	b.Run("streaming", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			resample(src, 2048, 1536)
		}
	})
	// The x/image kernel scaler, for comparison: similar speed, but a w × source-height
	// float64 buffer.
	b.Run("x-image-draw", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			dst := image.NewRGBA(image.Rect(0, 0, 2048, 1536))
			draw.CatmullRom.Scale(dst, dst.Rect, src, src.Rect, draw.Src, nil)
		}
	})
}

func BenchmarkVariantsFrom2048(b *testing.B) {
	full := scale(benchSource(2048, 1536), 2048, 1536)
	for b.Loop() {
		prev := full
		for _, w := range []int{960, 640, 480, 320, 160} {
			prev = scale(prev, w, w*3/4)
		}
	}
}

func BenchmarkOrient2048(b *testing.B) {
	full := image.NewRGBA(image.Rect(0, 0, 2048, 1536))
	full.Set(0, 0, color.White)
	for b.Loop() {
		orient(full, 6)
	}
}

// The streaming resampler must agree with the reference Catmull-Rom implementation.
func TestResampleMatchesXImage(t *testing.T) {
	t.Parallel()
	src := image.NewNRGBA(image.Rect(0, 0, 900, 700))
	for y := range 700 {
		for x := range 900 {
			a := uint8(255)
			if x > 600 {
				a = uint8(y % 256)
			}
			src.SetNRGBA(x, y, color.NRGBA{uint8(x * 255 / 900), uint8((x / 7 * 40) ^ (y / 5 * 30)), uint8(y * 255 / 700), a})
		}
	}
	for _, size := range [][2]int{{450, 350}, {320, 249}, {160, 124}, {899, 700}} {
		got := resample(src, size[0], size[1])
		want := image.NewRGBA(got.Rect)
		draw.CatmullRom.Scale(want, want.Rect, src, src.Rect, draw.Src, nil)
		var diff, worst int
		for i := range got.Pix {
			d := int(got.Pix[i]) - int(want.Pix[i])
			if d < 0 {
				d = -d
			}
			diff += d
			worst = max(worst, d)
		}
		mean := float64(diff) / float64(len(got.Pix))
		if mean > 0.5 || worst > 2 {
			t.Fatalf("%v: mean difference %.2f, worst %d", size, mean, worst)
		}
	}
}
