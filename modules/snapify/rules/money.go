package rules

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/alorig/alorig/shared/money"
)

// ErrInvalidAmount wraps every price parsing error.
var ErrInvalidAmount = errors.New("rules: invalid amount")

// MaxAmountPaisa bounds prices a seller can enter: Rs 100 crore, far above any single order,
// and far below int64 overflow when multiplied by quantities.
const MaxAmountPaisa int64 = 100_000_000_000

// ParsePKR reads an amount a seller typed — "1250", "1,250", "Rs 1,250.50", "Rs. 999",
// "PKR 2,000", "۱۲۵۰" — into paisa. Negative amounts, more than two decimals, misplaced
// thousands separators and amounts over MaxAmountPaisa are refused.
func ParsePKR(input string) (int64, error) {
	s := strings.TrimSpace(input)
	lower := strings.ToLower(s)
	for _, p := range []string{"pkr", "rs.", "rs", "₨"} {
		if strings.HasPrefix(lower, p) {
			s = strings.TrimSpace(s[len(p):])
			break
		}
	}
	for _, suffix := range []string{"روپے", "/-"} {
		s = strings.TrimSpace(strings.TrimSuffix(s, suffix))
	}
	if s == "" {
		return 0, fmt.Errorf("%w: %q has no number", ErrInvalidAmount, input)
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '۰' && r <= '۹':
			b.WriteRune('0' + (r - '۰'))
		case r >= '٠' && r <= '٩':
			b.WriteRune('0' + (r - '٠'))
		case r == '٫':
			b.WriteRune('.')
		case r == '٬':
			b.WriteRune(',')
		default:
			b.WriteRune(r)
		}
	}
	s = b.String()
	whole, frac, hasFrac := strings.Cut(s, ".")
	if hasFrac && (len(frac) == 0 || len(frac) > 2 || strings.ContainsFunc(frac, notDigit)) {
		return 0, fmt.Errorf("%w: %q; use at most two digits after the point", ErrInvalidAmount, input)
	}
	if strings.Contains(whole, ",") {
		groups := strings.Split(whole, ",")
		for i, g := range groups {
			if (i == 0 && (len(g) == 0 || len(g) > 3)) || (i > 0 && len(g) != 3) {
				return 0, fmt.Errorf("%w: %q has misplaced commas", ErrInvalidAmount, input)
			}
		}
		whole = strings.Join(groups, "")
	}
	if whole == "" || strings.ContainsFunc(whole, notDigit) {
		return 0, fmt.Errorf("%w: %q is not a number of rupees", ErrInvalidAmount, input)
	}
	rupees, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || rupees > math.MaxInt64/100 {
		return 0, fmt.Errorf("%w: %q is too large", ErrInvalidAmount, input)
	}
	paisa := rupees * 100
	if hasFrac {
		f, _ := strconv.Atoi(frac)
		if len(frac) == 1 {
			f *= 10
		}
		paisa += int64(f)
	}
	if paisa > MaxAmountPaisa {
		return 0, fmt.Errorf("%w: %q is over %s", ErrInvalidAmount, input, money.FormatPKR(MaxAmountPaisa))
	}
	return paisa, nil
}

func notDigit(r rune) bool { return r < '0' || r > '9' }
