package snapify

import (
	"strconv"

	"github.com/a-h/templ"
)

// Sample is one page rendered from realistic demo data. The set covers every page type, every
// theme and both languages; tests measure byte budgets over it, the page-budget script and a
// development preview route can render it too.
type Sample struct {
	Name string
	Page templ.Component
}

const sampleCDN = "https://res.cloudinary.com/snapify/image/upload"

// sampleWidths is the ladder of widths a CDN integration would offer for every picture; the
// views drop the ones too wide for where the picture is drawn.
var sampleWidths = []int{160, 240, 320, 480, 720, 1080}

// sampleImage builds an Image the way the Cloudinary integration does: one transformation URL
// per width, all in the picture's aspect ratio.
func sampleImage(path, alt string, w, h int) Image {
	widths := sampleWidths
	img := Image{Alt: alt, Width: 480, Height: 480 * h / w}
	for i, cw := range widths {
		u := sampleCDN + "/c_fill,f_auto,q_auto,w_" + strconv.Itoa(cw) + ",h_" + strconv.Itoa(cw*h/w) + "/" + path
		if cw == 480 {
			img.Src = u
		}
		if i > 0 {
			img.Srcset += ", "
		}
		img.Srcset += u + " " + strconv.Itoa(cw) + "w"
	}
	return img
}

// SampleStore is a demo store in the given theme and language.
func SampleStore(theme Theme, lang Lang, tier Tier) Store {
	if lang == Urdu {
		return Store{
			Name:          "نور بوتیک",
			Slug:          "noor-boutique",
			URL:           "https://snapify.pk/noor-boutique",
			Tagline:       "شادی اور مہندی کے لیے ہاتھ کی کڑھائی والے جوڑے",
			About:         "نور بوتیک کراچی میں 2019 سے ہاتھ کی کڑھائی والے کپڑے بنا رہا ہے۔ ہر جوڑا ہماری اپنی ورکشاپ میں تیار ہوتا ہے۔\n\nپورے پاکستان میں کیش آن ڈیلیوری۔ آرڈر کے بعد ہم واٹس ایپ پر تصدیق کرتے ہیں۔",
			City:          "کراچی",
			Region:        "سندھ",
			Address:       "دکان 14، طارق روڈ، کراچی",
			Theme:         theme,
			Lang:          Urdu,
			Tier:          tier,
			WhatsAppPhone: "923211234567",
			Banner:        sampleImage("stores/noor-boutique/banner.jpg", "مہندی کے جوڑے", 1200, 600),
			Verified:      true,
			Categories: []Link{
				{Name: "مہندی", URL: "/noor-boutique/mehndi"},
				{Name: "شادی", URL: "/noor-boutique/shadi"},
				{Name: "دوپٹے", URL: "/noor-boutique/dupatte"},
			},
			SearchURL:    "/noor-boutique/search",
			AboutURL:     "/noor-boutique/about",
			DeliveryNote: "3 سے 5 دن میں ڈیلیوری",
		}
	}
	return Store{
		Name:          "Ali Fabrics",
		Slug:          "ali-fabrics",
		URL:           "https://snapify.pk/ali-fabrics",
		Tagline:       "Lawn, khaddar and chiffon suits straight from Faisalabad mills",
		About:         "Ali Fabrics started in 2016 as a stall in Liberty Market. We now ship unstitched and ready-to-wear suits across Pakistan.\n\nEvery parcel is checked and sealed on WhatsApp video before it leaves, and you pay cash when it arrives.",
		City:          "Lahore",
		Region:        "Punjab",
		Address:       "Shop 7, Liberty Market, Gulberg III, Lahore",
		Theme:         theme,
		Lang:          English,
		Tier:          tier,
		WhatsAppPhone: "923001234567",
		Logo:          sampleImage("stores/ali-fabrics/logo.png", "", 96, 96),
		Verified:      true,
		Categories: []Link{
			{Name: "Lawn", URL: "/ali-fabrics/lawn"},
			{Name: "Khaddar", URL: "/ali-fabrics/khaddar"},
			{Name: "Chiffon", URL: "/ali-fabrics/chiffon"},
			{Name: "Dupattas", URL: "/ali-fabrics/dupattas"},
			{Name: "Kids", URL: "/ali-fabrics/kids"},
		},
		SearchURL:    "/ali-fabrics/search",
		AboutURL:     "/ali-fabrics/about",
		DeliveryNote: "Delivery in 2–4 days across Pakistan",
	}
}

var (
	sampleFabrics   = []string{"Embroidered Lawn", "Printed Khaddar", "Chiffon Formal", "Cotton Net", "Linen Winter", "Digital Silk"}
	sampleCuts      = []string{"3-Piece Suit", "2-Piece Suit", "Kurti", "Shirt & Dupatta"}
	sampleColours   = []string{"Maroon", "Teal", "Mustard", "Off-White", "Navy", "Peach"}
	sampleUrduNames = []string{"کڑھائی والا لان سوٹ", "کھدر تھری پیس", "شیفون دوپٹہ", "مہندی کا پیلا جوڑا", "سلک کرتی", "نیٹ کا شادی جوڑا"}
	sampleUrduColor = []string{"مہرون", "سبز", "پیلا", "سفید", "نیلا", "گلابی"}
)

// SampleProducts returns n demo products for a store; every fifth is on sale and every seventh
// is sold out.
func SampleProducts(s Store, n int) []Product {
	out := make([]Product, n)
	for i := range out {
		var title string
		if s.Lang == Urdu {
			title = sampleUrduNames[i%len(sampleUrduNames)] + " — " + sampleUrduColor[(i/len(sampleUrduNames))%len(sampleUrduColor)]
		} else {
			title = sampleFabrics[i%len(sampleFabrics)] + " " + sampleCuts[i%len(sampleCuts)] + " — " + sampleColours[(i/2)%len(sampleColours)]
		}
		slug := "item-" + strconv.Itoa(i+1)
		price := int64(189900 + (i%9)*35000)
		p := Product{
			Title:      title,
			URL:        "/" + s.Slug + "/" + slug,
			PricePaisa: price,
			InStock:    i%7 != 6,
			SKU:        "SKU-" + strconv.Itoa(1000+i),
			Images: []Image{
				sampleImage("stores/"+s.Slug+"/"+slug+"-1.jpg", title, 800, 800),
			},
		}
		if i%5 == 1 {
			p.CompareAtPaisa = price + 60000
		}
		out[i] = p
	}
	return out
}

// SampleProduct is a fully described product for the product page.
func SampleProduct(s Store) Product {
	p := SampleProducts(s, 2)[1]
	p.URL = s.URL + "/item-2"
	p.Category = s.Categories[0]
	p.Images = []Image{
		sampleImage("stores/"+s.Slug+"/item-2-1.jpg", p.Title, 800, 800),
		sampleImage("stores/"+s.Slug+"/item-2-2.jpg", p.Title+" (back)", 800, 800),
		sampleImage("stores/"+s.Slug+"/item-2-3.jpg", p.Title+" (detail)", 800, 800),
		sampleImage("stores/"+s.Slug+"/item-2-4.jpg", p.Title+" (dupatta)", 800, 800),
	}
	if s.Lang == Urdu {
		p.Description = "خالص لان کا کپڑا، گلے اور دامن پر ہاتھ کی کڑھائی۔ قمیض 3 میٹر، شلوار 2.5 میٹر، شیفون دوپٹہ 2.5 میٹر۔\n\nپہلی دھلائی ٹھنڈے پانی میں کریں۔ رنگ تصویر سے تھوڑا مختلف ہو سکتا ہے۔"
		p.Variants = []Variant{
			{Key: "size", Label: "سائز", Options: []string{"چھوٹا", "درمیانہ", "بڑا"}},
			{Key: "stitch", Label: "سلائی", Options: []string{"ان سلا", "سلا ہوا"}},
		}
	} else {
		p.Description = "Pure lawn with hand-finished embroidery on the neckline and daman. Shirt 3 m, trouser 2.5 m, chiffon dupatta 2.5 m.\n\nWash the first time in cold water. Colours may differ slightly from the photos because of lighting."
		p.Variants = []Variant{
			{Key: "size", Label: "Size", Options: []string{"S", "M", "L", "XL"}},
			{Key: "stitch", Label: "Stitching", Options: []string{"Unstitched", "Stitched"}},
		}
	}
	return p
}

func sampleMeta(title, desc, canonical string, og Image) Meta {
	return Meta{Title: title, Description: desc, Canonical: canonical, OGImage: og}
}

func sampleHubStores() []StoreCard {
	names := []string{"Ali Fabrics", "Sana's Closet", "Gul Ahmed Outlet Faisalabad", "Zari House", "Rang Rasiya Multan", "Kashish Kids", "Mehar Lawn", "Bano Boutique"}
	cities := []string{"Lahore", "Lahore", "Faisalabad", "Sialkot", "Multan", "Gujranwala", "Rawalpindi", "Bahawalpur"}
	out := make([]StoreCard, len(names))
	for i, n := range names {
		slug := "store-" + strconv.Itoa(i+1)
		out[i] = StoreCard{
			Name:         n,
			URL:          "https://snapify.pk/" + slug,
			City:         cities[i],
			Tagline:      "Unstitched lawn and ready-to-wear, cash on delivery",
			Image:        sampleImage("stores/"+slug+"/logo.jpg", n, 200, 200),
			Verified:     i%3 != 2,
			ProductCount: 12 + i*7,
		}
	}
	return out
}

// SamplePages renders every page type from demo data: the store pages in English (Bazaar) and
// Urdu (Mehndi), the store home in every theme, and the platform pages.
func SamplePages() []Sample {
	var out []Sample
	for _, th := range Themes() {
		s := SampleStore(th, English, Pro)
		out = append(out, Sample{Name: "home-" + string(th), Page: StoreHome(sampleHome(s))})
	}
	out = append(out, Sample{Name: "home-ur", Page: StoreHome(sampleHome(SampleStore(Mehndi, Urdu, Free)))})
	for _, s := range []Store{SampleStore(Bazaar, English, Pro), SampleStore(Mehndi, Urdu, Pro)} {
		suffix := "-" + string(s.Lang)
		out = append(out,
			Sample{Name: "product" + suffix, Page: ProductDetail(SampleProductPage(s))},
			Sample{Name: "category" + suffix, Page: Category(sampleCategory(s))},
			Sample{Name: "city" + suffix, Page: CityLanding(sampleCity(s))},
			Sample{Name: "about" + suffix, Page: About(sampleAbout(s))},
			Sample{Name: "search" + suffix, Page: StoreSearch(sampleStoreSearch(s))},
			Sample{Name: "order" + suffix, Page: OrderForm(SampleOrderForm(s))},
			Sample{Name: "confirm" + suffix, Page: OrderConfirmation(sampleConfirmation(s))},
			Sample{Name: "notfound" + suffix, Page: NotFound(NotFoundPage{Meta: Meta{Title: "Not found · " + s.Name}, Store: &s})},
		)
	}
	out = append(out,
		Sample{Name: "hub", Page: Hub(sampleHub())},
		Sample{Name: "platform-search", Page: PlatformSearch(samplePlatformSearch())},
		Sample{Name: "platform-home", Page: PlatformHome(samplePlatformHome())},
		Sample{Name: "notfound-platform", Page: NotFound(NotFoundPage{Meta: Meta{Title: "Page not found · Snapify"}})},
	)
	return out
}

func sampleHome(s Store) StoreHomePage {
	return StoreHomePage{
		Meta:     sampleMeta(s.Name+" · "+s.City, s.Tagline, s.URL, s.Banner),
		Store:    s,
		Products: SampleProducts(s, 24),
		Pager:    Pager{Page: 1, Pages: 3, NextURL: "/" + s.Slug + "?page=2"},
	}
}

func storeCrumbs(s Store, more ...Link) []Link {
	return append([]Link{{Name: s.Name, URL: s.URL}}, more...)
}

// SampleProductPage is the product page of the demo product.
func SampleProductPage(s Store) ProductPage {
	p := SampleProduct(s)
	return ProductPage{
		Meta:             sampleMeta(p.Title+" · "+s.Name, firstParagraphs(p.Description, 155), p.URL, Image{}),
		Store:            s,
		Product:          p,
		Breadcrumbs:      storeCrumbs(s, Link{Name: p.Category.Name, URL: s.URL + "/" + "lawn"}, Link{Name: p.Title, URL: p.URL}),
		Related:          SampleProducts(s, 8)[2:6],
		OrderURL:         "/" + s.Slug + "/item-2/order",
		WhatsAppOrderURL: "https://wa.me/" + digits(s.WhatsAppPhone) + "?text=" + "I%20want%20to%20order%20item-2",
	}
}

func sampleCategory(s Store) CategoryPage {
	c := s.Categories[0]
	return CategoryPage{
		Meta:        sampleMeta(c.Name+" · "+s.Name, "All "+c.Name+" from "+s.Name, s.URL+"/lawn", Image{}),
		Store:       s,
		Category:    c,
		Intro:       s.Tagline,
		Products:    SampleProducts(s, 12),
		Breadcrumbs: storeCrumbs(s, Link{Name: c.Name, URL: s.URL + "/lawn"}),
		Pager:       Pager{Page: 2, Pages: 3, PrevURL: c.URL, NextURL: c.URL + "?page=3"},
	}
}

func sampleCity(s Store) CityPage {
	city, days := "Multan", "2–3 days"
	if s.Lang == Urdu {
		city, days = "ملتان", "2 سے 3 دن"
	}
	return CityPage{
		Meta:         sampleMeta(s.Name+" delivery to "+city, "Cash on delivery to "+city, s.URL+"/delivery-to-multan", Image{}),
		Store:        s,
		City:         city,
		Intro:        s.About,
		DeliveryDays: days,
		Products:     SampleProducts(s, 12),
		Breadcrumbs:  storeCrumbs(s, Link{Name: city, URL: s.URL + "/delivery-to-multan"}),
	}
}

func sampleAbout(s Store) AboutPage {
	return AboutPage{
		Meta:        sampleMeta("About "+s.Name, s.Tagline, s.URL+"/about", Image{}),
		Store:       s,
		Breadcrumbs: storeCrumbs(s, Link{Name: "About", URL: s.URL + "/about"}),
	}
}

func sampleStoreSearch(s Store) StoreSearchPage {
	return StoreSearchPage{
		Meta:     sampleMeta("Search · "+s.Name, "", s.URL+"/search", Image{}),
		Store:    s,
		Query:    "lawn",
		Total:    9,
		Products: SampleProducts(s, 9),
	}
}

// SampleOrderForm is the order form for two of the demo product, with one field rejected.
func SampleOrderForm(s Store) OrderFormPage {
	p := SampleProduct(s)
	return OrderFormPage{
		Meta:             sampleMeta("Order · "+s.Name, "", s.URL+"/item-2/order", Image{}),
		Store:            s,
		Lines:            []OrderLine{{Title: p.Title, Options: p.Variants[0].Label + ": " + p.Variants[0].Options[1], Quantity: 2, UnitPaisa: p.PricePaisa, TotalPaisa: 2 * p.PricePaisa, Image: p.Images[0]}},
		SubtotalPaisa:    2 * p.PricePaisa,
		DeliveryFeePaisa: 25000,
		TotalPaisa:       2*p.PricePaisa + 25000,
		ActionURL:        "/" + s.Slug + "/orders",
		Hidden:           []Hidden{{Name: "product", Value: "item-2"}, {Name: VariantField("size"), Value: p.Variants[0].Options[1]}, {Name: FieldQuantity, Value: "2"}},
		CSRFToken:        "k3JfQ9sX0aLw2mPz7YtR4uVb",
		IdempotencyKey:   "01JD8Z6Q3K4N5P6R7S8T9V0W1X",
		Input:            OrderInput{Name: "Ayesha Khan", Phone: "0300 12", City: "Multan"},
		Errors:           map[string]string{FieldPhone: "Enter an 11-digit mobile number, e.g. 0300 1234567."},
		BackURL:          p.URL,
	}
}

func sampleConfirmation(s Store) OrderConfirmationPage {
	f := SampleOrderForm(s)
	return OrderConfirmationPage{
		Meta:             sampleMeta("Order placed · "+s.Name, "", "", Image{}),
		Store:            s,
		OrderNumber:      "SNP-24817",
		BuyerName:        "Ayesha Khan",
		Phone:            "0300 1234567",
		Address:          "House 12, Street 4, Shah Rukn-e-Alam Colony",
		City:             "Multan",
		Lines:            f.Lines,
		SubtotalPaisa:    f.SubtotalPaisa,
		DeliveryFeePaisa: f.DeliveryFeePaisa,
		TotalPaisa:       f.TotalPaisa,
		WhatsAppURL:      "https://wa.me/" + digits(s.WhatsAppPhone) + "?text=Order%20SNP-24817",
	}
}

func sampleHub() HubPage {
	return HubPage{
		Origin:  "https://snapify.pk",
		Meta:    sampleMeta("Best clothing stores in Punjab · Snapify", "Trusted WhatsApp clothing sellers in Punjab with cash on delivery.", "https://snapify.pk/best-clothing-stores-punjab", Image{}),
		Heading: "Best clothing stores in Punjab",
		Intro:   "Lawn, khaddar and bridal wear from verified sellers in Lahore, Faisalabad, Multan and beyond. Every store here delivers across Pakistan with cash on delivery.",
		Stores:  sampleHubStores(),
		Breadcrumbs: []Link{
			{Name: "Snapify", URL: "https://snapify.pk/"},
			{Name: "Best clothing stores in Punjab", URL: "https://snapify.pk/best-clothing-stores-punjab"},
		},
		Related: []Link{
			{Name: "Clothing stores in Sindh", URL: "/best-clothing-stores-sindh"},
			{Name: "Shoe stores in Punjab", URL: "/best-shoe-stores-punjab"},
		},
	}
}

func samplePlatformSearch() PlatformSearchPage {
	s := SampleStore(Bazaar, English, Pro)
	var results []ProductResult
	for _, p := range SampleProducts(s, 10) {
		results = append(results, ProductResult{Product: p, Store: Link{Name: s.Name, URL: s.URL}})
	}
	return PlatformSearchPage{
		Meta:     sampleMeta("lawn · Snapify search", "", "https://snapify.pk/search?q=lawn", Image{}),
		Query:    "lawn",
		Total:    13,
		Stores:   sampleHubStores()[:3],
		Products: results,
	}
}

func samplePlatformHome() PlatformHomePage {
	return PlatformHomePage{
		Origin:  "https://snapify.pk",
		Meta:    sampleMeta("Snapify · WhatsApp shops across Pakistan", "Find trusted online stores from WhatsApp sellers across Pakistan. Cash on delivery.", "https://snapify.pk/", Image{}),
		SellURL: "https://wa.me/923000000000?text=start",
		Hubs: []Link{
			{Name: "Clothing in Punjab", URL: "/best-clothing-stores-punjab"},
			{Name: "Clothing in Sindh", URL: "/best-clothing-stores-sindh"},
			{Name: "Shoes in Punjab", URL: "/best-shoe-stores-punjab"},
		},
		Stores: sampleHubStores()[:6],
	}
}
