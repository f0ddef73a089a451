package snapify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/alorig/alorig/shared/auth"
	"image"
	"image/color"
	"image/jpeg"
	"math"

	"github.com/alorig/alorig/modules/snapify/media"
	"github.com/alorig/alorig/shared/database"
	"github.com/uptrace/bun"
)

type seedProduct struct {
	title, desc, cat string
	price, compare   int64
	stock            int // -1 uncounted
	variants         []Variant
}

type seedStore struct {
	slug, name, tagline, about, city, region, address, category, theme, lang, tier, phone, domain, note string
	fee                                                                                                 int64
	verified                                                                                            bool
	cats                                                                                                []string
	products                                                                                            []seedProduct
	hue                                                                                                 float64
}

var sizes = []Variant{{Key: "size", Label: "Size", Options: []string{"S", "M", "L", "XL"}}}

func seedStores() []seedStore {
	lawn := []seedProduct{
		{"Embroidered Lawn 3-Piece Suit — Maroon", "Fine lawn shirt with neckline embroidery, printed chiffon dupatta and dyed cotton trouser.\n\nUnstitched: 3 m shirt, 2.5 m dupatta, 2.5 m trouser.", "Lawn", 489900, 549900, 12, nil},
		{"Printed Lawn 2-Piece — Teal", "Digital printed lawn shirt with matching trouser. Soft, breathable, perfect for summer.", "Lawn", 289900, 0, -1, nil},
		{"Chikankari Lawn Kurti — Off-White", "Hand-finished chikankari on pure lawn. Stitched, ready to wear.", "Lawn", 349900, 0, 5, sizes},
		{"Khaddar 3-Piece Winter Suit — Mustard", "Warm khaddar shirt, shawl-style dupatta and trouser for winter evenings.", "Khaddar", 459900, 0, -1, nil},
		{"Printed Khaddar Shirt — Navy", "Single khaddar shirt, printed all over. 2.5 m unstitched.", "Khaddar", 199900, 249900, -1, nil},
		{"Chiffon Formal Suit — Peach", "Embroidered chiffon front, sequins on the daman, with raw silk trouser.", "Chiffon", 899900, 0, 3, nil},
		{"Chiffon Dupatta — Rose Pink", "Four-side lace chiffon dupatta, 2.5 m.", "Dupattas", 99900, 0, -1, nil},
		{"Cotton Net Dupatta — Black", "Light cotton net with woven border.", "Dupattas", 89900, 0, -1, nil},
		{"Kids Lawn Frock — Yellow", "Soft printed lawn frock for girls, ages 3 to 8.", "Kids", 149900, 0, -1, []Variant{{Key: "age", Label: "Age", Options: []string{"3-4", "5-6", "7-8"}}}},
		{"Linen Winter Suit — Olive", "Heavy linen 3-piece with printed dupatta.", "Khaddar", 529900, 0, 0, nil},
		{"Silk Kurti — Emerald", "Stitched silk kurti with gota work.", "Chiffon", 399900, 0, -1, sizes},
		{"Digital Silk Scarf — Turquoise", "Square silk scarf, 90 × 90 cm.", "Dupattas", 129900, 0, -1, nil},
	}
	var gadgets []seedProduct
	names := []string{"Wireless Earbuds Pro", "Fast Charger 33W", "Power Bank 20000 mAh", "Smart Watch Fit", "Bluetooth Speaker Mini",
		"USB-C Cable 1 m", "Phone Stand Aluminium", "Ring Light 10 inch", "Gaming Mouse RGB", "Mechanical Keyboard",
		"Laptop Sleeve 14 inch", "Car Phone Holder", "Tripod for Mobile", "Memory Card 128 GB", "Noise Cancelling Headphones",
		"Selfie Stick Bluetooth", "Screen Protector Glass", "Wi-Fi Router Dual Band", "Webcam 1080p", "LED Desk Lamp"}
	for i, n := range names {
		cat := []string{"Audio", "Charging", "Accessories", "Computer"}[i%4]
		gadgets = append(gadgets, seedProduct{title: n, cat: cat, price: int64(1499_00 + i*850_00), stock: -1,
			desc: n + " with 7-day checking warranty. Sealed box, delivered across Pakistan with cash on delivery."})
	}
	urdu := []seedProduct{
		{"کڑھائی والا لان سوٹ — مہرون", "ہاتھ کی کڑھائی والا لان کا تین پیس سوٹ۔\n\nشرٹ، دوپٹہ اور ٹراؤزر۔", "مہندی", 549900, 0, -1, nil},
		{"مہندی کا پیلا جوڑا", "مہندی کے لیے پیلا اور سبز جوڑا، گوٹے کے کام کے ساتھ۔", "مہندی", 1299900, 1499900, 2, nil},
		{"شیفون دوپٹہ — گلابی", "چاروں طرف لیس والا شیفون دوپٹہ۔", "دوپٹے", 149900, 0, -1, nil},
		{"نیٹ کا شادی جوڑا — سرخ", "شادی کے لیے بھاری کام والا نیٹ کا جوڑا۔", "شادی", 2499900, 0, 1, nil},
		{"سلک کرتی — سبز", "سلی ہوئی سلک کرتی۔", "شادی", 399900, 0, -1, nil},
		{"کھدر تھری پیس — نیلا", "سردیوں کے لیے کھدر کا تین پیس سوٹ۔", "مہندی", 459900, 0, -1, nil},
	}
	return []seedStore{
		{slug: "ali-fabrics", name: "Ali Fabrics", tagline: "Lawn, khaddar and chiffon suits straight from Faisalabad mills",
			about: "Ali Fabrics started in 2016 as a stall in Liberty Market. We now ship unstitched and ready-to-wear suits across Pakistan.\n\nEvery parcel is checked on WhatsApp video before it leaves, and you pay cash when it arrives.",
			city:  "Lahore", region: "Punjab", address: "Shop 7, Liberty Market, Gulberg III, Lahore", category: "Clothing", theme: "bazaar", lang: "en",
			tier: "free", phone: "+923001234567", note: "Delivery in 2–4 days across Pakistan", fee: 200_00, verified: true,
			cats: []string{"Lawn", "Khaddar", "Chiffon", "Dupattas", "Kids"}, products: lawn, hue: 0.95},
		{slug: "karachi-gadgets", name: "Karachi Gadgets", tagline: "Original phone accessories with checking warranty",
			about: "Karachi Gadgets imports phone and computer accessories and tests every piece before it ships.\n\nSaddar shop open 11 am to 10 pm.",
			city:  "Karachi", region: "Sindh", address: "Shop 21, Star City Mall, Saddar, Karachi", category: "Electronics", theme: "tech", lang: "en",
			tier: "pro", phone: "+923211112222", domain: "shop.karachigadgets.pk", note: "Same-day delivery in Karachi", fee: 150_00, verified: true,
			cats: []string{"Audio", "Charging", "Accessories", "Computer"}, products: gadgets, hue: 0.58},
		{slug: "noor-boutique", name: "نور بوتیک", tagline: "شادی اور مہندی کے لیے ہاتھ کی کڑھائی والے جوڑے",
			about: "نور بوتیک کراچی میں 2019 سے ہاتھ کی کڑھائی والے کپڑے بنا رہا ہے۔\n\nپورے پاکستان میں کیش آن ڈیلیوری۔",
			city:  "کراچی", region: "Sindh", address: "دکان 14، طارق روڈ، کراچی", category: "Clothing", theme: "mehndi", lang: "ur",
			tier: "free", phone: "+923211234567", note: "3 سے 5 دن میں ڈیلیوری", fee: 250_00,
			cats: []string{"مہندی", "شادی", "دوپٹے"}, products: urdu, hue: 0.3},
	}
}

// Seed creates three demo stores (an English Free store, a Pro store with city pages and a
// custom domain, an Urdu store), their sellers, an admin, pictures, and the SEO pages. A store
// that already exists is left as it is, so running Seed again changes nothing.
func (m *Module) Seed(ctx context.Context) error {
	if err := m.seedAdmin(ctx); err != nil {
		return err
	}
	for i, ss := range seedStores() {
		if _, err := publicStore(ctx, m.d.DB, ss.slug); err == nil {
			continue
		} else if !errors.Is(err, database.ErrNotFound) {
			return err
		}
		if err := m.seedStore(ctx, ss, i); err != nil {
			return err
		}
	}
	if err := m.GenerateCityPages(ctx); err != nil {
		return err
	}
	if err := m.RegenerateHubPages(ctx); err != nil {
		return err
	}
	return m.RegenerateSitemaps(ctx)
}

// The development admin: signs in on the admin host (http://admin.snapify.localhost:8080/) with
// this email and password. It has no WhatsApp number, so it cannot use the sellers' code
// sign-in. Production gets the account without a password (an operator sets one with the
// password reset); nobody can sign in with a password written in the source.
const (
	DevAdminEmail    = "admin@snapify.localhost"
	DevAdminPassword = "snapify-admin-dev"
)

func (m *Module) seedAdmin(ctx context.Context) error {
	now := m.d.Clock.Now()
	var hash *string
	if !m.d.Config.Production() {
		h, err := auth.HashPassword(DevAdminPassword)
		if err != nil {
			return fmt.Errorf("snapify: seed admin password: %w", err)
		}
		hash = &h
	}
	var id int64
	if err := m.d.DB.NewRaw(`INSERT INTO users (email, password_hash, display_name, role, created_at, updated_at)
		VALUES (?, ?, 'Snapify admin (development)', 'admin', ?, ?)
		ON CONFLICT (email) DO UPDATE SET role = 'admin', password_hash = coalesce(EXCLUDED.password_hash, users.password_hash), phone = NULL
		RETURNING id`, DevAdminEmail, hash, now, now).Scan(ctx, &id); err != nil {
		return fmt.Errorf("snapify: seed admin: %w", err)
	}
	m.d.Accounts.InvalidateUser(ctx, id)
	if hash != nil {
		m.d.Log.Info("development admin: sign in on the admin host", "email", DevAdminEmail, "password", DevAdminPassword)
	}
	return nil
}

func (m *Module) seedStore(ctx context.Context, ss seedStore, n int) error {
	now := m.d.Clock.Now()
	var owner int64
	if err := m.d.DB.NewRaw(`INSERT INTO users (phone, display_name, role, created_at, updated_at) VALUES (?, ?, 'member', ?, ?)
		ON CONFLICT (phone) DO UPDATE SET updated_at = EXCLUDED.updated_at RETURNING id`, ss.phone, ss.name, now, now).Scan(ctx, &owner); err != nil {
		return fmt.Errorf("snapify: seed seller %s: %w", ss.slug, err)
	}
	s := &Store{OwnerID: owner, Slug: ss.slug, Name: ss.name, Tagline: ss.tagline, About: ss.about, City: ss.city, Region: ss.region,
		Address: ss.address, Category: ss.category, Theme: ss.theme, Lang: ss.lang, Tier: ss.tier, WhatsAppPhone: ss.phone,
		DeliveryNote: ss.note, DeliveryFeePaisa: ss.fee, Verified: ss.verified, CreatedAt: now, UpdatedAt: now}
	if ss.domain != "" {
		// Demo data: the seeded domain is marked proven, since no DNS record can exist for it.
		// Real claims are proven through _alorig-verify TXT records (domain_service.go).
		d := ss.domain
		s.CustomDomain, s.DomainToken, s.DomainClaimedAt, s.DomainVerifiedAt = &d, newDomainToken(), &now, &now
	}
	err := m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(s).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("snapify: seed store %s: %w", ss.slug, err)
		}
		_, err := tx.NewInsert().Model(&Subscription{StoreID: s.ID, Plan: ss.tier, Status: "active", StartedAt: now, CreatedAt: now, UpdatedAt: now}).Exec(ctx)
		return err
	})
	if err != nil {
		return err
	}
	grantCreated(s) // the seed just created this store
	banner, err := m.seedPicture(ctx, s.ID, ss.hue, 1000, 500, ss.name, n*100)
	if err != nil {
		return err
	}
	s.Banner = &banner
	if _, err := m.d.DB.NewUpdate().Model(s).Column("banner").WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("snapify: seed banner of %s: %w", ss.slug, err)
	}
	catIDs := map[string]int64{}
	for i, name := range ss.cats {
		nm := name
		pos := i
		c, err := m.SaveCategory(ctx, s, 0, CategoryInput{Name: &nm, Position: &pos})
		if err != nil {
			return fmt.Errorf("snapify: seed category %s: %w", name, err)
		}
		catIDs[name] = c.ID
	}
	for i, sp := range ss.products {
		pic, err := m.seedPicture(ctx, s.ID, ss.hue+float64(i)*0.07, 640, 640, sp.title, n*100+i+1)
		if err != nil {
			return err
		}
		pic.Alt = sp.title
		title, desc, price, compare, stock := sp.title, sp.desc, sp.price, sp.compare, sp.stock
		cat := catIDs[sp.cat]
		imgs, vars := []Picture{pic}, sp.variants
		in := ProductInput{Title: &title, Description: &desc, PricePaisa: &price, CompareAtPaisa: &compare, Stock: &stock,
			CategoryID: &cat, Images: &imgs}
		if vars != nil {
			in.Variants = &vars
		}
		if _, err := m.CreateProduct(ctx, s, in); err != nil {
			return fmt.Errorf("snapify: seed product %q: %w", sp.title, err)
		}
	}
	return nil
}

// seedPicture draws a simple product shot (a soft gradient with a folded-cloth shape) and runs
// it through the real upload pipeline, so demo pages carry real srcset variants.
func (m *Module) seedPicture(ctx context.Context, storeID int64, hue float64, w, h int, _ string, seed int) (Picture, error) {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	base := hsl(math.Mod(hue, 1), 0.55, 0.55)
	light := hsl(math.Mod(hue+0.05, 1), 0.45, 0.85)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			t := float64(y) / float64(h)
			wave := 0.5 + 0.5*math.Sin(float64(x)/float64(w)*math.Pi*float64(2+seed%3)+t*4)
			inside := math.Abs(float64(x)-float64(w)/2) < float64(w)*0.3*(0.6+0.4*t)
			c := mix(light, base, t*0.6)
			if inside {
				c = mix(base, light, wave*0.35)
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		return Picture{}, err
	}
	res, err := m.proc.Process(ctx, buf.Bytes())
	if err != nil {
		return Picture{}, fmt.Errorf("snapify: seed picture: %w", err)
	}
	st, err := media.Save(ctx, m.files, mediaPrefix(storeID), res)
	if err != nil {
		return Picture{}, err
	}
	return Picture{Stored: st}, nil
}

func mix(a, b color.RGBA, t float64) color.RGBA {
	f := func(x, y uint8) uint8 { return uint8(float64(x)*(1-t) + float64(y)*t) }
	return color.RGBA{f(a.R, b.R), f(a.G, b.G), f(a.B, b.B), 255}
}

func hsl(h, s, l float64) color.RGBA {
	q := l * (1 + s)
	if l >= 0.5 {
		q = l + s - l*s
	}
	p := 2*l - q
	conv := func(t float64) uint8 {
		t = math.Mod(t+1, 1)
		var v float64
		switch {
		case t < 1.0/6:
			v = p + (q-p)*6*t
		case t < 0.5:
			v = q
		case t < 2.0/3:
			v = p + (q-p)*(2.0/3-t)*6
		default:
			v = p
		}
		return uint8(math.Round(v * 255))
	}
	return color.RGBA{conv(h + 1.0/3), conv(h), conv(h - 1.0/3), 255}
}
