package snapify

import (
	"bytes"
	"context"
	"testing"

	"github.com/a-h/templ"
)

func benchRender(b *testing.B, c templ.Component) {
	var buf bytes.Buffer
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := c.Render(ctx, &buf); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}

func BenchmarkProductPage(b *testing.B) {
	benchRender(b, ProductDetail(SampleProductPage(SampleStore(Bazaar, English, Pro))))
}

func BenchmarkProductPageUrdu(b *testing.B) {
	benchRender(b, ProductDetail(SampleProductPage(SampleStore(Mehndi, Urdu, Pro))))
}

// A store home with 24 products, the page the budget is written for.
func BenchmarkStoreHome24(b *testing.B) {
	benchRender(b, StoreHome(sampleHome(SampleStore(Boutique, English, Pro))))
}
