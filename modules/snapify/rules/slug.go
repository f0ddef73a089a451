// Package rules holds Snapify's pure validation and formatting rules: store and product slugs,
// Pakistani phone numbers, PKR amounts and wa.me order links. Nothing here touches HTTP, SQL
// or the clock, so every rule is tested in microseconds and the parsers are fuzzed.
package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Store slug errors. ErrReservedSlug also wraps ErrInvalidSlug so callers can test for either.
var (
	ErrInvalidSlug  = errors.New("rules: invalid store address")
	ErrReservedSlug = fmt.Errorf("%w: reserved", ErrInvalidSlug)
)

// Store slug length bounds.
const (
	StoreSlugMin = 3
	StoreSlugMax = 40
)

// reservedSlugs are first path segments the platform itself uses on snapify.pk (routes,
// crawler files, probes) or is likely to need. A store there would shadow the page or be
// shadowed by it.
var reservedSlugs = map[string]bool{
	"about": true, "account": true, "accounts": true, "admin": true, "api": true, "app": true,
	"assets": true, "auth": true, "billing": true, "blog": true, "buy": true, "cart": true,
	"categories": true, "category": true, "cdn": true, "checkout": true, "contact": true,
	"dashboard": true, "delivery": true, "docs": true, "download": true, "explore": true,
	"faq": true, "favicon.ico": true, "feed": true, "healthz": true, "help": true, "home": true,
	"index": true, "internal": true, "legal": true, "login": true, "logout": true, "mail": true,
	"manifest.json": true, "media": true, "new": true, "null": true, "order": true, "orders": true,
	"pay": true, "payment": true, "payments": true, "pricing": true, "privacy": true,
	"product": true, "products": true, "readyz": true, "refund": true, "register": true,
	"robots.txt": true, "rss": true, "search": true, "sell": true, "seller": true,
	"sellers": true, "settings": true, "shop": true, "shops": true, "signin": true,
	"signup": true, "sitemap": true, "sitemap.xml": true, "snapify": true, "static": true,
	"status": true, "store": true, "stores": true, "support": true, "sw.js": true, "terms": true,
	"undefined": true, "user": true, "users": true, "wa": true, "webhook": true, "webhooks": true,
	"whatsapp": true, "www": true,
}

// reservedPrefixes belong to the SEO hub pages (snapify.pk/best-clothing-stores-punjab).
var reservedPrefixes = []string{"best-", "top-", "cheap-", "stores-in-", "shops-in-", "delivery-to-"}

// IsReservedStoreSlug reports whether s is taken by the platform.
func IsReservedStoreSlug(s string) bool {
	if reservedSlugs[s] {
		return true
	}
	for _, p := range reservedPrefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// ValidateStoreSlug checks a store address (snapify.pk/{slug}). The error says which rule
// failed, in words a seller can act on.
func ValidateStoreSlug(s string) error {
	n := len(s)
	switch {
	case n < StoreSlugMin:
		return fmt.Errorf("%w: %q is %d characters; use at least %d", ErrInvalidSlug, s, n, StoreSlugMin)
	case n > StoreSlugMax:
		return fmt.Errorf("%w: %q is %d characters; use at most %d", ErrInvalidSlug, s, n, StoreSlugMax)
	}
	if IsReservedStoreSlug(s) {
		return fmt.Errorf("%w: %q is used by Snapify itself; choose another address", ErrReservedSlug, s)
	}
	for i, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			if r >= 'A' && r <= 'Z' {
				return fmt.Errorf("%w: %q has a capital letter; use lowercase only", ErrInvalidSlug, s)
			}
			return fmt.Errorf("%w: %q has %q at position %d; use only a-z, 0-9 and hyphens", ErrInvalidSlug, s, r, i+1)
		}
	}
	switch {
	case s[0] == '-' || s[n-1] == '-':
		return fmt.Errorf("%w: %q starts or ends with a hyphen", ErrInvalidSlug, s)
	case strings.Contains(s, "--"):
		return fmt.Errorf("%w: %q has two hyphens in a row", ErrInvalidSlug, s)
	}
	return nil
}

// SuggestStoreSlug turns a shop name into a candidate store address (which the caller then
// checks for availability).
func SuggestStoreSlug(name string) string {
	s := Slugify(name, StoreSlugMax)
	if len(s) < StoreSlugMin {
		s += "-pk"
	}
	if IsReservedStoreSlug(s) {
		s = trimTo("shop-"+s, StoreSlugMax)
	}
	return s
}

// urduToLatin is a roman-Urdu transliteration of the Urdu alphabet. Urdu script leaves most
// short vowels unwritten, so "سوٹ" (suit) comes out "swt"/"sot"-like rather than "suit"; that
// is the known limit of letter-by-letter transliteration, and it still yields a readable,
// stable, ASCII address. و and ی are read as w and y where they are consonants (see Slugify).
// The written vowel marks (zabar, zer, pesh) map to a, i, u.
var urduToLatin = map[rune]string{
	'ا': "a", 'آ': "aa", 'أ': "a", 'إ': "i", 'ب': "b", 'پ': "p", 'ت': "t", 'ٹ': "t", 'ث': "s",
	'ج': "j", 'چ': "ch", 'ح': "h", 'خ': "kh", 'د': "d", 'ڈ': "d", 'ذ': "z", 'ر': "r", 'ڑ': "r",
	'ز': "z", 'ژ': "zh", 'س': "s", 'ش': "sh", 'ص': "s", 'ض': "z", 'ط': "t", 'ظ': "z", 'ع': "a",
	'غ': "gh", 'ف': "f", 'ق': "q", 'ک': "k", 'ك': "k", 'گ': "g", 'ل': "l", 'م': "m", 'ن': "n",
	'ں': "n", 'و': "o", 'ؤ': "o", 'ہ': "h", 'ه': "h", 'ھ': "h", 'ۃ': "a", 'ة': "a", 'ۂ': "a",
	'ی': "i", 'ي': "i", 'ى': "a", 'ئ': "i", 'ے': "e", 'ۓ': "e", 'ء': "",
	'\u064E': "a", '\u0650': "i", '\u064F': "u", // zabar, zer, pesh
	'۰': "0", '۱': "1", '۲': "2", '۳': "3", '۴': "4", '۵': "5", '۶': "6", '۷': "7", '۸': "8", '۹': "9",
	'٠': "0", '١': "1", '٢': "2", '٣': "3", '٤': "4", '٥': "5", '٦': "6", '٧': "7", '٨': "8", '٩': "9",
}

// Slugify makes a URL slug for a product or category title: lowercase ASCII words joined by
// hyphens, at most maxLen bytes, cut at a word boundary. Latin accents are dropped (café →
// cafe) and Urdu is transliterated (see urduToLatin). A title with nothing transliterable (emoji, Chinese)
// gets "item-" and six hex digits of its hash, so it is still stable and unique enough to be
// made unique by the caller's suffixing.
func Slugify(title string, maxLen int) string {
	if maxLen < 12 {
		maxLen = 12
	}
	var b strings.Builder
	wordStart := true
	dash := func() {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
			b.WriteByte('-')
		}
		wordStart = true
	}
	runes := []rune(norm.NFC.String(title))
	for i, r := range runes {
		if lat, ok := urduToLatin[r]; ok {
			// و and ی are consonants (w, y) at the start of a word or before an alif
			// (شلوار shalwar, پیار pyar), and vowels (o, i) elsewhere.
			consonant := wordStart || (i+1 < len(runes) && (runes[i+1] == 'ا' || runes[i+1] == 'آ'))
			if consonant && r == 'و' {
				lat = "w"
			}
			if consonant && (r == 'ی' || r == 'ي') {
				lat = "y"
			}
			b.WriteString(lat)
			wordStart = lat == "" && wordStart
			continue
		}
		switch {
		case r == '&':
			dash()
			b.WriteString("and")
			dash()
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(unicode.ToLower(r))
			wordStart = false
		case r == '\'' || r == '’' || unicode.Is(unicode.Mn, r) || r == '\u200c' || r == '\u200d':
			// apostrophes (kid's → kids), combining marks and Urdu zero-width joiners join words
		case unicode.IsLetter(r):
			if base := stripAccents(r); base != "" {
				b.WriteString(base)
				wordStart = false
			} else {
				dash()
			}
		default:
			dash()
		}
	}
	s := strings.Trim(b.String(), "-")
	if s == "" {
		sum := sha256.Sum256([]byte(title))
		return "item-" + hex.EncodeToString(sum[:3])
	}
	return trimTo(s, maxLen)
}

// latinSpecial are letters that do not decompose into a base letter and a mark.
var latinSpecial = map[rune]string{'ß': "ss", 'æ': "ae", 'Æ': "ae", 'ø': "o", 'Ø': "o", 'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d"}

// stripAccents returns the ASCII base of a Latin letter with diacritics, or "".
func stripAccents(r rune) string {
	var out strings.Builder
	for _, d := range norm.NFD.String(string(r)) {
		if d < unicode.MaxASCII && (unicode.IsLetter(d) || unicode.IsDigit(d)) {
			out.WriteRune(unicode.ToLower(d))
		}
	}
	if out.Len() == 0 {
		return latinSpecial[r]
	}
	return out.String()
}

// trimTo cuts s to at most n bytes at a hyphen when one is near, never leaving a trailing one.
func trimTo(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := s[:n]
	if i := strings.LastIndexByte(cut, '-'); i >= n/2 {
		cut = cut[:i]
	}
	return strings.Trim(cut, "-")
}

// WithSuffix makes the n-th alternative of a taken slug ("lawn-suit" → "lawn-suit-2"), still
// within maxLen.
func WithSuffix(slug string, n, maxLen int) string {
	suffix := fmt.Sprintf("-%d", n)
	return strings.TrimRight(trimTo(slug, maxLen-len(suffix)), "-") + suffix
}
