package snapify

// Lang is the language a store writes in; it sets lang/dir on the document and the language of
// the page chrome (buttons, labels). Seller-written text keeps dir="auto" on its own block, so an
// English title in an Urdu store still reads left to right.
type Lang string

const (
	English Lang = "en"
	Urdu    Lang = "ur"
)

// Dir is the base text direction for documents in this language.
func (l Lang) Dir() string {
	if l.norm() == Urdu {
		return "rtl"
	}
	return "ltr"
}

// norm maps anything unknown to English so a bad database value cannot produce lang="".
func (l Lang) norm() Lang {
	if l == Urdu {
		return Urdu
	}
	return English
}

// Theme is one of the seven store templates a seller picks.
type Theme string

const (
	Bazaar   Theme = "bazaar"   // warm market colours, dense square grid
	Minimal  Theme = "minimal"  // black on white, square corners, centred header
	Boutique Theme = "boutique" // plum and blush, serif headings, tall fashion cards
	Mehndi   Theme = "mehndi"   // henna green and gold, tall cards, festive trim
	Tech     Theme = "tech"     // dark slate with sky blue, list rows for spec-heavy items
	Kids     Theme = "kids"     // bright pink and blue, very round corners
	Organic  Theme = "organic"  // leaf green on warm paper, list rows
)

// Themes lists every theme in the order the seller dashboard shows them.
func Themes() []Theme {
	return []Theme{Bazaar, Minimal, Boutique, Mehndi, Tech, Kids, Organic}
}

// Tier is the store's subscription plan. Free stores carry Snapify branding; city landing pages
// are a Pro feature.
type Tier string

const (
	Free Tier = "free"
	Pro  Tier = "pro"
)

// Image is one picture with its responsive candidates. Width and Height are the intrinsic size
// of Src; the browser uses them to reserve space before the bytes arrive (no layout shift).
type Image struct {
	Src    string // fallback URL, absolute for anything used in og:image
	Srcset string // "https://…/w_320/a.webp 320w, https://…/w_640/a.webp 640w"
	Width  int
	Height int
	Alt    string
}

// Link is a named URL: a breadcrumb, a category, a hub.
type Link struct {
	Name string
	URL  string
}

// Meta is what search engines and WhatsApp link previews read. Canonical and OGImage.Src must be
// absolute URLs.
type Meta struct {
	Title       string
	Description string
	Canonical   string
	OGImage     Image
	NoIndex     bool // search results, order pages and 404s stay out of the index
}

// Store is the seller's shop as its pages need it.
type Store struct {
	Name          string
	Slug          string
	URL           string // absolute URL of the store home (snapify.pk/slug or a custom domain)
	Tagline       string
	About         string // plain text; blank lines separate paragraphs
	City          string
	Region        string // province, e.g. Punjab
	Address       string
	Theme         Theme
	Lang          Lang
	Tier          Tier
	WhatsAppPhone string // international format, digits only or with +: 923001234567
	Logo          Image  // optional; Src empty means the initial is drawn instead
	Banner        Image  // optional hero on the store home; becomes the LCP image
	Verified      bool
	Categories    []Link
	SearchURL     string // GET action of the in-store search form
	AboutURL      string
	DeliveryNote  string // "Delivery in 2–4 days across Pakistan"
}

// Product is a listing, used both for the product page and for cards in grids.
type Product struct {
	Title          string
	URL            string // absolute on the product page (offers.url); a path is fine in cards
	Description    string // plain text; blank lines separate paragraphs
	PricePaisa     int64
	CompareAtPaisa int64 // the struck-through price; ignored unless above PricePaisa
	Images         []Image
	Variants       []Variant
	InStock        bool
	SKU            string
	Category       Link
}

// Variant is one choice a buyer makes (size, colour). The order form receives it as the field
// VariantField(Key).
type Variant struct {
	Key     string // stable slug, e.g. "size"
	Label   string // shown to the buyer, e.g. "Size" or "سائز"
	Options []string
}

// VariantField is the form field name carrying the buyer's choice for a variant.
func VariantField(key string) string { return "opt_" + key }

// Form field names of the order form, for the handler that parses it.
const (
	FieldName        = "name"
	FieldPhone       = "phone"
	FieldAddress     = "address"
	FieldCity        = "city"
	FieldNotes       = "notes"
	FieldQuantity    = "qty"
	FieldPayment     = "payment"
	FieldIdempotency = "idempotency_key"
	PaymentCOD       = "cod"
	// DefaultCSRFField matches echo's CSRF middleware default lookup ("form:_csrf").
	DefaultCSRFField = "_csrf"
)

// Pager links a listing to its neighbours; empty URLs mean no such page.
type Pager struct {
	Page    int
	Pages   int
	PrevURL string
	NextURL string
}

// StoreCard is a store in a platform listing (hub, platform search, platform home).
type StoreCard struct {
	Name         string
	URL          string
	City         string
	Tagline      string
	Image        Image
	Verified     bool
	ProductCount int
}

// ProductResult is a product found by platform-wide search, with the store selling it.
type ProductResult struct {
	Product Product
	Store   Link
}

// StoreHomePage is /{store}.
type StoreHomePage struct {
	Meta     Meta
	Store    Store
	Products []Product
	Pager    Pager
}

// ProductPage is /{store}/{product}.
type ProductPage struct {
	Meta        Meta
	Store       Store
	Product     Product
	Breadcrumbs []Link
	Related     []Product
	// OrderURL is the GET action that carries variant and quantity to the order form.
	OrderURL string
	// OrderFields are hidden fields of that GET form, naming the product for the order page
	// (a GET form replaces the action's own query string, so it cannot live in OrderURL).
	OrderFields []Hidden
	// WhatsAppOrderURL is a wa.me link with the order text prefilled.
	WhatsAppOrderURL string
}

// CategoryPage is /{store}/{category}.
type CategoryPage struct {
	Meta        Meta
	Store       Store
	Category    Link
	Intro       string
	Products    []Product
	Breadcrumbs []Link
	Pager       Pager
}

// CityPage is /{store}/delivery-to-{city}, a Pro feature.
type CityPage struct {
	Meta             Meta
	Store            Store
	City             string
	Intro            string // plain text; blank lines separate paragraphs
	DeliveryDays     string // "2–3 days"
	DeliveryFeePaisa int64  // zero shows "free delivery"
	Products         []Product
	Breadcrumbs      []Link
}

// AboutPage is /{store}/about.
type AboutPage struct {
	Meta        Meta
	Store       Store
	Breadcrumbs []Link
}

// StoreSearchPage is search inside one store.
type StoreSearchPage struct {
	Meta     Meta
	Store    Store
	Query    string
	Total    int
	Products []Product
	Pager    Pager
}

// OrderLine is one line of an order summary; amounts come from the order rules, not the view.
type OrderLine struct {
	Title      string
	Options    string // "Size: M · Colour: Maroon"
	Quantity   int
	UnitPaisa  int64
	TotalPaisa int64
	Image      Image
}

// Hidden is a hidden form field (product, chosen options, quantity) the order POST must carry.
type Hidden struct {
	Name  string
	Value string
}

// OrderInput holds what the buyer typed, so a rejected form comes back filled in.
type OrderInput struct {
	Name    string
	Phone   string
	Address string
	City    string
	Notes   string
}

// OrderFormPage is the cash-on-delivery order form, a plain HTML POST.
type OrderFormPage struct {
	Meta             Meta
	Store            Store
	Lines            []OrderLine
	SubtotalPaisa    int64
	DeliveryFeePaisa int64
	TotalPaisa       int64
	ActionURL        string
	Hidden           []Hidden
	CSRFField        string // empty means DefaultCSRFField
	CSRFToken        string
	IdempotencyKey   string
	Input            OrderInput
	Errors           map[string]string // by field name
	FormError        string            // a problem with the order as a whole
	BackURL          string
}

// OrderConfirmationPage is shown after the order POST succeeded.
type OrderConfirmationPage struct {
	Meta             Meta
	Store            Store
	OrderNumber      string
	BuyerName        string
	Phone            string
	Address          string
	City             string
	Lines            []OrderLine
	SubtotalPaisa    int64
	DeliveryFeePaisa int64
	TotalPaisa       int64
	// WhatsAppURL is the wa.me link that sends the order to the seller.
	WhatsAppURL string
}

// HubPage is a platform hub such as /best-clothing-stores-punjab.
type HubPage struct {
	Meta        Meta
	Origin      string // the platform's public origin ("https://snapify.pk"), for structured data
	Heading     string
	Intro       string
	Stores      []StoreCard
	Breadcrumbs []Link
	Related     []Link
}

// PlatformSearchPage is search across every store.
type PlatformSearchPage struct {
	Meta      Meta
	Query     string
	ActionURL string
	Total     int
	Stores    []StoreCard
	Products  []ProductResult
	Pager     Pager
}

// PlatformHomePage is snapify.pk itself.
type PlatformHomePage struct {
	Meta      Meta
	Origin    string // the platform's public origin ("https://snapify.pk"), for structured data
	SellURL   string // where a seller starts (the WhatsApp onboarding link or app.snapify.pk)
	SearchURL string
	Hubs      []Link
	Stores    []StoreCard
}

// PlatformSearchPath is where the platform pages' search box sends its GET.
const PlatformSearchPath = "/search"

// NotFoundPage is the 404. With a Store it wears the store's theme and chrome; without one it is
// the platform's.
type NotFoundPage struct {
	Meta    Meta
	Store   *Store
	HomeURL string
}
