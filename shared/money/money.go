// Package money formats amounts held as integer minor units (paisa for rupees). It is the one
// copy of these formats: Snapify's rules (WhatsApp messages, validation errors) and its pages
// both call it, so a price reads the same in a buyer's chat and on the product page.
package money

import "strconv"

// FormatPKR writes paisa as buyers read prices: "Rs 1,250", or "Rs 1,250.50" when there are
// paisa left over. Thousands are grouped in threes (1,250,000), as Pakistani shops and
// marketplaces print prices, rather than in lakhs. Urdu pages use the same string with the same
// Western digits, which is what Pakistani Urdu commerce prints; templates put it in <bdi> so it
// keeps its left-to-right order inside right-to-left text.
func FormatPKR(paisa int64) string {
	sign, u := split(paisa)
	rupees, rest := u/100, u%100
	out := sign + "Rs " + groupThousands(strconv.FormatUint(rupees, 10))
	if rest != 0 {
		out += "." + twoDigits(rest)
	}
	return out
}

// Decimal is the amount as schema.org and Open Graph want it: a plain decimal with two places
// and no grouping ("1250.00").
func Decimal(paisa int64) string {
	sign, u := split(paisa)
	return sign + strconv.FormatUint(u/100, 10) + "." + twoDigits(u%100)
}

// split returns the sign and the magnitude. It negates in uint64 so the most negative int64,
// which has no positive twin, does not overflow.
func split(paisa int64) (string, uint64) {
	u := uint64(paisa)
	if paisa < 0 {
		return "-", -u
	}
	return "", u
}

func twoDigits(n uint64) string {
	if n < 10 {
		return "0" + strconv.FormatUint(n, 10)
	}
	return strconv.FormatUint(n, 10)
}

func groupThousands(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	lead := len(digits) % 3
	if lead == 0 {
		lead = 3
	}
	b := make([]byte, 0, len(digits)+len(digits)/3)
	b = append(b, digits[:lead]...)
	for i := lead; i < len(digits); i += 3 {
		b = append(b, ',')
		b = append(b, digits[i:i+3]...)
	}
	return string(b)
}
