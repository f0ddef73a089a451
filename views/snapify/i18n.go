package snapify

import "strings"

// ui is the page chrome in one language. Seller text is never translated here; it arrives in
// props as the seller wrote it.
type ui struct {
	Locale          string // og:locale
	Skip            string
	Search          string
	SearchHint      string
	Chat            string
	Home            string
	About           string
	Categories      string
	AllProducts     string
	InStock         string
	OutOfStock      string
	OrderCOD        string
	OrderWhatsApp   string
	CODNote         string
	Quantity        string
	Description     string
	Related         string
	DeliveryTo      string // "%s" is the city
	FreeDelivery    string
	DeliveryFee     string
	DeliveryIn      string
	Subtotal        string
	Total           string
	OrderSummary    string
	YourDetails     string
	Name            string
	Phone           string
	PhoneHint       string
	Address         string
	City            string
	Notes           string
	Optional        string
	Payment         string
	CashOnDelivery  string
	PlaceOrder      string
	Back            string
	ThankYou        string // "%s" is the buyer's name
	OrderPlaced     string
	OrderNumber     string
	SendWhatsApp    string
	SendNote        string
	DeliverTo       string
	ContinueShop    string
	NotFound        string
	NotFoundNote    string
	BackHome        string
	ResultsFor      string // "%s" is the query
	NoResults       string
	Prev            string
	Next            string
	PageOf          string // "%d" page, "%d" pages
	Verified        string
	MadeWith        string
	Contact         string
	Products        string
	Breadcrumb      string
	Choose          string
	ChatSeller      string
	StoreOnWhatsApp string
}

var uiEnglish = ui{
	Locale:          "en_PK",
	Skip:            "Skip to content",
	Search:          "Search",
	SearchHint:      "Search products",
	Chat:            "Chat",
	Home:            "Home",
	About:           "About",
	Categories:      "Categories",
	AllProducts:     "All products",
	InStock:         "In stock",
	OutOfStock:      "Out of stock",
	OrderCOD:        "Order now · Cash on delivery",
	OrderWhatsApp:   "Order on WhatsApp",
	CODNote:         "Pay cash when your parcel arrives.",
	Quantity:        "Quantity",
	Description:     "Details",
	Related:         "You may also like",
	DeliveryTo:      "Delivery to %s",
	FreeDelivery:    "Free delivery",
	DeliveryFee:     "Delivery",
	DeliveryIn:      "Arrives in",
	Subtotal:        "Subtotal",
	Total:           "Total",
	OrderSummary:    "Your order",
	YourDetails:     "Delivery details",
	Name:            "Full name",
	Phone:           "Mobile number",
	PhoneHint:       "03XX XXXXXXX — the seller confirms on this number",
	Address:         "Full address",
	City:            "City",
	Notes:           "Note for the seller",
	Optional:        "optional",
	Payment:         "Payment",
	CashOnDelivery:  "Cash on delivery",
	PlaceOrder:      "Place order",
	Back:            "Back",
	ThankYou:        "Thank you, %s!",
	OrderPlaced:     "Your order has been placed.",
	OrderNumber:     "Order number",
	SendWhatsApp:    "Send order on WhatsApp",
	SendNote:        "Send it to the seller on WhatsApp so they can confirm delivery quickly.",
	DeliverTo:       "Deliver to",
	ContinueShop:    "Continue shopping",
	NotFound:        "Page not found",
	NotFoundNote:    "This page may have moved or the product sold out.",
	BackHome:        "Go to the home page",
	ResultsFor:      "Results for “%s”",
	NoResults:       "Nothing found. Try a shorter word.",
	Prev:            "Previous",
	Next:            "Next",
	PageOf:          "Page %d of %d",
	Verified:        "Verified seller",
	MadeWith:        "Made with Snapify",
	Contact:         "Contact",
	Products:        "products",
	Breadcrumb:      "Breadcrumb",
	Choose:          "Choose",
	ChatSeller:      "Chat with the seller",
	StoreOnWhatsApp: "Open your store on WhatsApp",
}

var uiUrdu = ui{
	Locale:          "ur_PK",
	Skip:            "مواد پر جائیں",
	Search:          "تلاش",
	SearchHint:      "مصنوعات تلاش کریں",
	Chat:            "رابطہ",
	Home:            "ہوم",
	About:           "ہمارے بارے میں",
	Categories:      "کیٹیگریز",
	AllProducts:     "تمام مصنوعات",
	InStock:         "دستیاب ہے",
	OutOfStock:      "اسٹاک ختم",
	OrderCOD:        "ابھی آرڈر کریں · کیش آن ڈیلیوری",
	OrderWhatsApp:   "واٹس ایپ پر آرڈر کریں",
	CODNote:         "پارسل ملنے پر نقد ادائیگی کریں۔",
	Quantity:        "تعداد",
	Description:     "تفصیل",
	Related:         "یہ بھی دیکھیں",
	DeliveryTo:      "%s میں ڈیلیوری",
	FreeDelivery:    "مفت ڈیلیوری",
	DeliveryFee:     "ڈیلیوری چارجز",
	DeliveryIn:      "ڈیلیوری کا وقت",
	Subtotal:        "رقم",
	Total:           "کل رقم",
	OrderSummary:    "آپ کا آرڈر",
	YourDetails:     "ڈیلیوری کی تفصیل",
	Name:            "پورا نام",
	Phone:           "موبائل نمبر",
	PhoneHint:       "03XX XXXXXXX — فروخت کنندہ اسی نمبر پر تصدیق کرے گا",
	Address:         "مکمل پتہ",
	City:            "شہر",
	Notes:           "فروخت کنندہ کے لیے نوٹ",
	Optional:        "اختیاری",
	Payment:         "ادائیگی",
	CashOnDelivery:  "کیش آن ڈیلیوری",
	PlaceOrder:      "آرڈر دیں",
	Back:            "واپس",
	ThankYou:        "شکریہ، %s!",
	OrderPlaced:     "آپ کا آرڈر موصول ہو گیا ہے۔",
	OrderNumber:     "آرڈر نمبر",
	SendWhatsApp:    "آرڈر واٹس ایپ پر بھیجیں",
	SendNote:        "فوری تصدیق کے لیے آرڈر واٹس ایپ پر فروخت کنندہ کو بھیجیں۔",
	DeliverTo:       "ڈیلیوری کا پتہ",
	ContinueShop:    "خریداری جاری رکھیں",
	NotFound:        "صفحہ نہیں ملا",
	NotFoundNote:    "یہ صفحہ منتقل ہو گیا ہے یا پروڈکٹ ختم ہو گئی ہے۔",
	BackHome:        "ہوم پیج پر جائیں",
	ResultsFor:      "“%s” کے نتائج",
	NoResults:       "کچھ نہیں ملا۔ مختصر لفظ آزمائیں۔",
	Prev:            "پچھلا",
	Next:            "اگلا",
	PageOf:          "صفحہ %d از %d",
	Verified:        "تصدیق شدہ فروخت کنندہ",
	MadeWith:        "Snapify پر بنایا گیا",
	Contact:         "رابطہ",
	Products:        "مصنوعات",
	Breadcrumb:      "راستہ",
	Choose:          "منتخب کریں",
	ChatSeller:      "فروخت کنندہ سے بات کریں",
	StoreOnWhatsApp: "واٹس ایپ پر اپنا اسٹور کھولیں",
}

func text(l Lang) *ui {
	if l.norm() == Urdu {
		return &uiUrdu
	}
	return &uiEnglish
}

// fill substitutes the %s (or %d) verbs of a chrome string in order. It avoids fmt, and never
// rescans inserted text, so a seller's name containing "%" is shown as typed.
func fill(format string, args ...string) string {
	var b strings.Builder
	for _, a := range args {
		i := strings.IndexByte(format, '%')
		if i < 0 || i+1 >= len(format) {
			break
		}
		b.WriteString(format[:i])
		b.WriteString(a)
		format = format[i+2:]
	}
	b.WriteString(format)
	return b.String()
}
