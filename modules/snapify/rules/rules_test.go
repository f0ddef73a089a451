package rules_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/alorig/alorig/modules/snapify/rules"
	"github.com/alorig/alorig/shared/money"
)

func TestValidateStoreSlug(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"ali-crafts", "abc", "lahore-lawn-2024", "a1b", strings.Repeat("a", 40), "bestbuy", "topi-house"} {
		require.NoError(t, rules.ValidateStoreSlug(ok), ok)
	}
	cases := []struct{ slug, says string }{
		{"ab", "at least 3"},
		{strings.Repeat("a", 41), "at most 40"},
		{"Ali-Crafts", "capital"},
		{"ali_crafts", `'_'`},
		{"ali crafts", `' '`},
		{"alī-crafts", `'ī'`},
		{"-ali", "hyphen"},
		{"ali-", "hyphen"},
		{"ali--crafts", "two hyphens"},
		{"admin", "used by Snapify"},
		{"api", "used by Snapify"},
		{"sitemap.xml", "used by Snapify"},
		{"robots.txt", "used by Snapify"},
		{"healthz", "used by Snapify"},
		{"best-clothing-stores-punjab", "used by Snapify"},
		{"delivery-to-lahore", "used by Snapify"},
	}
	for _, tc := range cases {
		err := rules.ValidateStoreSlug(tc.slug)
		require.ErrorIs(t, err, rules.ErrInvalidSlug, tc.slug)
		require.Contains(t, err.Error(), tc.says, tc.slug)
	}
	require.ErrorIs(t, rules.ValidateStoreSlug("login"), rules.ErrReservedSlug)
	require.NotErrorIs(t, rules.ValidateStoreSlug("ali--x"), rules.ErrReservedSlug)
}

func TestSlugify(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"Lawn Suit 3-Piece (Unstitched)": "lawn-suit-3-piece-unstitched",
		"  Kid's Khussa — Lahori  ":      "kids-khussa-lahori",
		"Café & Crème Brûlée":            "cafe-and-creme-brulee",
		"لان سوٹ":                        "lan-sot",
		"شلوار قمیض":                     "shlwar-qmiz",
		"چوڑیاں ۱۲ عدد":                  "choryan-12-add",
		"یاقوت انگوٹھی":                  "yaqot-angothi",
		"Lawn سوٹ 2024":                  "lawn-sot-2024",
		"Straße":                         "strasse",
		"----":                           "item-" + "c5c7b6",
		"Jooti!!!   (Multan)":            "jooti-multan",
		"ALL CAPS TITLE":                 "all-caps-title",
		"100% Cotton – Extra Large / XL": "100-cotton-extra-large-xl",
	}
	for in, want := range cases {
		got := rules.Slugify(in, 60)
		if strings.HasPrefix(want, "item-") {
			require.Regexp(t, `^item-[0-9a-f]{6}$`, got, in)
			continue
		}
		require.Equal(t, want, got, in)
	}
	require.Equal(t, rules.Slugify("🌸🌸", 60), rules.Slugify("🌸🌸", 60), "the hash fallback is stable")
	require.NotEqual(t, rules.Slugify("🌸", 60), rules.Slugify("🌼", 60))

	long := rules.Slugify("Premium Embroidered Chiffon Collection Three Piece Formal Wear Dress", 40)
	require.LessOrEqual(t, len(long), 40)
	require.Equal(t, "premium-embroidered-chiffon-collection", long, "cut at a word boundary")
	require.Equal(t, "lawn-suit-2", rules.WithSuffix("lawn-suit", 2, 40))
	require.Len(t, rules.WithSuffix(strings.Repeat("a", 40), 12, 40), 40)
}

func TestSuggestStoreSlug(t *testing.T) {
	t.Parallel()
	require.Equal(t, "ayeshas-boutique", rules.SuggestStoreSlug("Ayesha's Boutique"))
	require.Equal(t, "shop-admin", rules.SuggestStoreSlug("Admin"))
	require.Equal(t, "shop-best-shoes", rules.SuggestStoreSlug("Best Shoes"))
	require.Equal(t, "ab-pk", rules.SuggestStoreSlug("AB"))
}

func FuzzSlugs(f *testing.F) {
	for _, s := range []string{"Lawn Suit", "لان سوٹ", "", "--", "Best Shoes", "a", "🌸", "Ünïcödé & co"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, title string) {
		slug := rules.Slugify(title, 60)
		require.LessOrEqual(t, len(slug), 60)
		require.Regexp(t, `^[a-z0-9]+(-[a-z0-9]+)*$`, slug)
		require.NoError(t, rules.ValidateStoreSlug(rules.SuggestStoreSlug(title)), "suggestion for %q", title)
		// Validation never accepts what a slug may not be.
		if rules.ValidateStoreSlug(title) == nil {
			require.Regexp(t, `^[a-z0-9]+(-[a-z0-9]+)*$`, title)
			require.False(t, rules.IsReservedStoreSlug(title))
		}
	})
}

func TestParsePhone(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"03001234567", "0300-1234567", "0300 1234567", "+92 300 1234567", "+923001234567",
		"923001234567", "92-300-1234567", "0092 300 1234567", "(0300) 1234567", "3001234567",
		" 0300.123.4567 ", "۰۳۰۰۱۲۳۴۵۶۷", "+92\u00a0300\u00a01234567",
	} {
		p, err := rules.ParsePhone(in)
		require.NoError(t, err, in)
		require.Equal(t, rules.Phone("+923001234567"), p, in)
	}
	p, _ := rules.ParsePhone("0345 7654321")
	require.Equal(t, "+923457654321", p.E164())
	require.Equal(t, "923457654321", p.Digits())
	require.Equal(t, "0345 7654321", p.National())
	require.Equal(t, "+92 345 7654321", p.International())

	bad := []struct{ in, says string }{
		{"", "empty"},
		{"0300-123456", "9 digits"},
		{"0300-12345678", "11 digits"},
		{"042-35761234", "not a mobile"},
		{"+44 7700 900123", "not a Pakistani"},
		{"0044 7700 900123", "not a Pakistani"},
		{"0300-CALL-NOW", "digits only"},
		{"+92", "no digits"},
		{"0300+1234567", "digits only"},
		{"9230012345", "8 digits"},
	}
	for _, tc := range bad {
		_, err := rules.ParsePhone(tc.in)
		require.ErrorIs(t, err, rules.ErrInvalidPhone, tc.in)
		require.Contains(t, err.Error(), tc.says, tc.in)
	}
}

func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{"03001234567", "+92 300 1234567", "0092", "+", "۰۳۰۰", "(((", "92"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		p, err := rules.ParsePhone(in)
		if err != nil {
			require.ErrorIs(t, err, rules.ErrInvalidPhone)
			return
		}
		require.Regexp(t, `^\+923[0-9]{9}$`, p.E164())
		again, err := rules.ParsePhone(p.National())
		require.NoError(t, err)
		require.Equal(t, p, again, "national form round-trips")
		again, err = rules.ParsePhone(p.International())
		require.NoError(t, err)
		require.Equal(t, p, again)
	})
}

func TestFormatPKR(t *testing.T) {
	t.Parallel()
	cases := map[int64]string{
		0:                    "Rs 0",
		5:                    "Rs 0.05",
		100:                  "Rs 1",
		125000:               "Rs 1,250",
		125050:               "Rs 1,250.50",
		99999:                "Rs 999.99",
		100000000:            "Rs 1,000,000",
		-125000:              "-Rs 1,250",
		-9223372036854775808: "-Rs 92,233,720,368,547,758.08",
	}
	for in, want := range cases {
		require.Equal(t, want, money.FormatPKR(in), in)
	}
}

func TestParsePKR(t *testing.T) {
	t.Parallel()
	good := map[string]int64{
		"1250": 125000, "1,250": 125000, "Rs 1,250.50": 125050, "Rs. 999": 99900, "rs.999.5": 99950,
		"PKR 2,000": 200000, "₨ 75": 7500, "۱۲۵۰": 125000, "1,250/-": 125000, "1,250 روپے": 125000,
		"1,000,000": 100000000, "0.99": 99,
	}
	for in, want := range good {
		got, err := rules.ParsePKR(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "Rs", "-5", "1.234", "12,50", "1,2500", ",250", "abc", "1.", "1e5", "99999999999999999999", "1000000001"} {
		_, err := rules.ParsePKR(in)
		require.ErrorIs(t, err, rules.ErrInvalidAmount, in)
	}
}

func FuzzParsePKR(f *testing.F) {
	for _, s := range []string{"1,250", "Rs 1.5", "۱۲", "PKR", "0.0", "9,999,999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		p, err := rules.ParsePKR(in)
		if err != nil {
			require.ErrorIs(t, err, rules.ErrInvalidAmount)
			return
		}
		require.GreaterOrEqual(t, p, int64(0))
		require.LessOrEqual(t, p, rules.MaxAmountPaisa)
		back, err := rules.ParsePKR(money.FormatPKR(p))
		require.NoError(t, err)
		require.Equal(t, p, back, "format then parse round-trips")
	})
}

func TestOrderLink(t *testing.T) {
	t.Parallel()
	seller, err := rules.ParsePhone("0300 1234567")
	require.NoError(t, err)
	require.Equal(t, "https://wa.me/923001234567", rules.WhatsAppLink(seller, ""))

	draft := rules.OrderDraft{
		StoreName: "Ayesha's Lawn",
		OrderRef:  "SN-4821",
		Lines:     []rules.OrderLine{{Title: "Lawn suit\n3-piece", Quantity: 2, PricePaisa: 250000}, {Title: "Dupatta", Quantity: 1, PricePaisa: 80000}},
		Delivery:  20000,
		BuyerNote: "Please deliver after 5pm & call first",
	}
	link := rules.OrderLink(seller, draft)
	require.True(t, strings.HasPrefix(link, "https://wa.me/923001234567?text="))
	require.NotContains(t, link, "+", "spaces are %20, not +")
	u, err := url.Parse(link)
	require.NoError(t, err)
	text := u.Query().Get("text")
	require.Equal(t, "Assalam o Alaikum! I would like to order from Ayesha's Lawn:\n"+
		"• 2 × Lawn suit 3-piece — Rs 5,000\n"+
		"• 1 × Dupatta — Rs 800\n"+
		"Delivery: Rs 200\n"+
		"Total: Rs 6,000\n"+
		"Order ref: SN-4821\n"+
		"Note: Please deliver after 5pm & call first", text)

	var many rules.OrderDraft
	for range 14 {
		many.Lines = append(many.Lines, rules.OrderLine{Title: "Bangle", Quantity: 1, PricePaisa: 10000})
	}
	msg := rules.OrderMessage(many)
	require.Equal(t, 10, strings.Count(msg, "• 1 × Bangle"))
	require.Contains(t, msg, "and 4 more item(s)")
	require.Contains(t, msg, "Total: Rs 1,400", "the total counts every line, shown or not")
}
