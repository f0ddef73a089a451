package snapify_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/alorig/alorig/views/snapify"
)

func ExampleProductDetail() {
	store := snapify.Store{
		Name:          "Ali Fabrics",
		URL:           "https://snapify.pk/ali-fabrics",
		Theme:         snapify.Boutique,
		Lang:          snapify.English,
		Tier:          snapify.Pro,
		WhatsAppPhone: "923001234567",
	}
	page := snapify.ProductPage{
		Meta:  snapify.Meta{Title: "Lawn suit · Ali Fabrics", Canonical: "https://snapify.pk/ali-fabrics/lawn-suit"},
		Store: store,
		Product: snapify.Product{
			Title:      "Lawn suit",
			URL:        "https://snapify.pk/ali-fabrics/lawn-suit",
			PricePaisa: 249900,
			InStock:    true,
			Images: []snapify.Image{{
				Src:    "https://cdn.example/lawn-480.webp",
				Srcset: "https://cdn.example/lawn-480.webp 480w, https://cdn.example/lawn-720.webp 720w",
				Width:  480, Height: 480, Alt: "Lawn suit",
			}},
		},
		OrderURL:         "/ali-fabrics/lawn-suit/order",
		WhatsAppOrderURL: "https://wa.me/923001234567?text=Lawn%20suit",
	}
	var b strings.Builder
	if err := snapify.ProductDetail(page).Render(context.Background(), &b); err != nil {
		fmt.Println(err)
		return
	}
	html := b.String()
	fmt.Println(strings.Contains(html, `<meta property="og:title" content="Lawn suit — Rs 2,499">`))
	fmt.Println(strings.Contains(html, `"price":2499.00,"priceCurrency":"PKR"`))
	fmt.Println(strings.Contains(html, `fetchpriority="high"`))
	// Output:
	// true
	// true
	// true
}
