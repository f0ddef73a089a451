package snapify

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Byte budgets for 3G: the HTML of a realistic page, gzipped, must stay under 30 KB. A size
// budget is behaviour, so it is a test; render speed is a benchmark.
const htmlBudgetGzip = 30 * 1024

func TestStoreHomeWith24ProductsFitsTheBudget(t *testing.T) {
	t.Parallel()
	stores := []Store{SampleStore(Mehndi, Urdu, Free)}
	for _, th := range Themes() {
		stores = append(stores, SampleStore(th, English, Pro))
	}
	for _, s := range stores {
		home := sampleHome(s)
		require.Len(t, home.Products, 24)
		raw := render(t, StoreHome(home))
		gz := gzipSize(t, raw)
		require.LessOrEqual(t, gz, htmlBudgetGzip, "%s/%s home: %d bytes gzipped", s.Theme, s.Lang, gz)
		t.Logf("home %-8s %s: %6d bytes, %5d gzipped", s.Theme, s.Lang, len(raw), gz)
	}
}

func TestEveryPageFitsTheBudget(t *testing.T) {
	t.Parallel()
	for _, s := range SamplePages() {
		raw := render(t, s.Page)
		gz := gzipSize(t, raw)
		require.LessOrEqual(t, gz, htmlBudgetGzip, "%s: %d bytes gzipped", s.Name, gz)
		t.Logf("%-18s %6d bytes, %5d gzipped", s.Name, len(raw), gz)
	}
}

// Whole-page transfer on a phone, if the buyer scrolls to the end: gzipped HTML (CSS inside it)
// plus every image at the widest candidate the page offers it. Image bytes are modelled at 0.6
// bits per pixel, what Cloudinary's f_auto,q_auto serves for product photos as WebP/AVIF; the
// page-budget script measures real bytes. Images without srcset are counted at 2.625x density.
func TestWholePageTransferBudget(t *testing.T) {
	t.Parallel()
	const (
		totalBudget   = 200 * 1024
		bytesPerPixel = 0.075
		dpr           = 2.625
	)
	for _, s := range SamplePages() {
		raw := render(t, s.Page)
		p := parse(t, raw)
		imgBytes := 0.0
		for _, img := range p.all(tag("img")) {
			w, h := intAttr(t, img, "width"), intAttr(t, img, "height")
			srcset, _ := attr(img, "srcset")
			widest := 0
			for _, c := range parseSrcset(srcset) {
				widest = max(widest, c.width)
			}
			if widest == 0 {
				imgBytes += float64(w) * dpr * float64(h) * dpr * bytesPerPixel
				continue
			}
			imgBytes += float64(widest) * float64(widest*h/w) * bytesPerPixel
		}
		total := gzipSize(t, raw) + int(imgBytes)
		require.LessOrEqual(t, total, totalBudget, "%s whole page: %d bytes", s.Name, total)
		t.Logf("%-18s whole page %6d bytes (images %6.0f)", s.Name, total, imgBytes)
	}
}
