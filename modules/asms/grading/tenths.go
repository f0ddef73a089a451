// Package grading is the gradebook's arithmetic: marking periods with weights, assessments
// with maximum marks and weights, weighted percentages computed exactly and rounded once,
// grade scales (BISE, custom GradeScaleRule tables), the IBCC equivalence of O/A-level
// grades, pass/fail and position in class.
//
// It is pure: no database, no clock, no floats. Every quantity is an integer number of tenths
// (72.5% is 725), and every ratio is an exact fraction until the one rounding at the end.
package grading

import (
	"fmt"
	"strconv"
	"strings"
)

// Tenths is a quantity in tenths: a percentage (0–1000 is 0.0%–100.0%) or a number of marks
// (17.5 marks is 175). One decimal is what report cards print and what grade boundaries use.
type Tenths int64

// Whole is n units: Whole(80) is 80.0.
func Whole(n int64) Tenths { return Tenths(n * 10) }

// Hundred is 100.0%.
const Hundred Tenths = 1000

// String prints one decimal: "72.5", "80.0", "-0.5".
func (t Tenths) String() string {
	sign := ""
	v := int64(t)
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%d", sign, v/10, v%10)
}

// MarshalText writes the decimal form, so JSON carries "72.5" as a string a client cannot
// round differently.
func (t Tenths) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText reads what ParseTenths reads.
func (t *Tenths) UnmarshalText(b []byte) error {
	v, err := ParseTenths(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// ParseTenths reads "72", "72.5" or "72.0". It refuses a second decimal ("72.55": boundaries
// and marks have one), a sign, exponents, spaces inside, and anything that is not a number,
// saying which.
func ParseTenths(s string) (Tenths, error) {
	in := strings.TrimSpace(s)
	fail := func(why string) (Tenths, error) { return 0, fmt.Errorf("grading: %q: %s", s, why) }
	if in == "" {
		return fail("is empty")
	}
	whole, frac, hasDot := strings.Cut(in, ".")
	if strings.HasPrefix(whole, "-") {
		return fail("is negative")
	}
	if hasDot && len(frac) > 1 {
		return fail("has more than one decimal; use one (e.g. 72.5)")
	}
	if whole == "" || (hasDot && frac == "") {
		return fail("is not a number like 72 or 72.5")
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return fail(fmt.Sprintf("character %q is not a digit", r))
			}
		}
	}
	if len(whole) > 15 {
		return fail("is too large")
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return fail("is not a number like 72 or 72.5")
	}
	f := int64(0)
	if frac != "" {
		f = int64(frac[0] - '0')
	}
	return Tenths(w*10 + f), nil
}
