package snapify

import "strconv"

// FormatRupees writes paisa as buyers read prices: "Rs 1,250", or "Rs 1,250.50" when there are
// paisa left over. Grouping is by thousands, as Pakistani shops print online prices.
func FormatRupees(paisa int64) string {
	sign := ""
	// Negate in uint64 so the most negative int64 does not overflow.
	u := uint64(paisa)
	if paisa < 0 {
		sign = "-"
		u = -u
	}
	rupees, rest := u/100, u%100
	out := sign + "Rs " + groupThousands(strconv.FormatUint(rupees, 10))
	if rest != 0 {
		out += "." + twoDigits(rest)
	}
	return out
}

// schemaPrice is the rupee amount as schema.org and Open Graph want it: a plain decimal with two
// places and no grouping ("1250.00").
func schemaPrice(paisa int64) string {
	sign := ""
	u := uint64(paisa)
	if paisa < 0 {
		sign = "-"
		u = -u
	}
	return sign + strconv.FormatUint(u/100, 10) + "." + twoDigits(u%100)
}

// discountPercent rounds down so a badge never promises more than the real saving.
func discountPercent(price, compareAt int64) int {
	if compareAt <= price || compareAt <= 0 || price < 0 {
		return 0
	}
	return int((compareAt - price) * 100 / compareAt)
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
