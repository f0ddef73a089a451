package rules

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalidPhone wraps every phone parsing error.
var ErrInvalidPhone = errors.New("rules: invalid phone number")

// Phone is a Pakistani mobile number in E.164 form, "+923001234567". Only ParsePhone makes one.
type Phone string

// E164 is "+923001234567".
func (p Phone) E164() string { return string(p) }

// Digits is "923001234567", the form the WhatsApp Cloud API and wa.me links use.
func (p Phone) Digits() string { return strings.TrimPrefix(string(p), "+") }

// National is "0300 1234567", how Pakistanis write their own numbers.
func (p Phone) National() string {
	d := p.Digits()
	if len(d) != 12 {
		return string(p)
	}
	return "0" + d[2:5] + " " + d[5:]
}

// International is "+92 300 1234567".
func (p Phone) International() string {
	d := p.Digits()
	if len(d) != 12 {
		return string(p)
	}
	return "+92 " + d[2:5] + " " + d[5:]
}

// ParsePhone accepts a Pakistani mobile number as people type it — 0300-1234567,
// 0300 1234567, 03001234567, 3001234567, 923001234567, +92 300 1234567, 0092 300 1234567,
// (0300) 1234567 — and returns it in E.164. Mobile numbers are 3XX followed by seven digits;
// anything else (landlines, other countries, wrong length) gets an error that says which.
func ParsePhone(input string) (Phone, error) {
	s := strings.TrimSpace(input)
	if s == "" {
		return "", fmt.Errorf("%w: empty; enter a mobile number such as 0300 1234567", ErrInvalidPhone)
	}
	var b strings.Builder
	plus := false
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '۰' && r <= '۹': // Urdu keyboards type Extended Arabic-Indic digits
			b.WriteRune('0' + (r - '۰'))
		case r >= '٠' && r <= '٩':
			b.WriteRune('0' + (r - '٠'))
		case r == '+' && b.Len() == 0 && !plus:
			plus = true
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')' || r == '\u00a0':
		default:
			return "", fmt.Errorf("%w: %q has %q at position %d; use digits only", ErrInvalidPhone, input, r, i+1)
		}
	}
	d := b.String()
	var national string
	switch {
	case plus && strings.HasPrefix(d, "92"):
		national = d[2:]
	case plus:
		return "", fmt.Errorf("%w: %q is not a Pakistani number (country code is not +92)", ErrInvalidPhone, input)
	case strings.HasPrefix(d, "0092"):
		national = d[4:]
	case strings.HasPrefix(d, "00"):
		return "", fmt.Errorf("%w: %q is not a Pakistani number (international prefix 00 without 92)", ErrInvalidPhone, input)
	case strings.HasPrefix(d, "92"): // no national number starts 92, so this is the country code
		national = d[2:]
	case strings.HasPrefix(d, "0"):
		national = d[1:]
	default:
		national = d
	}
	if national == "" {
		return "", fmt.Errorf("%w: %q has no digits after the country code", ErrInvalidPhone, input)
	}
	if national[0] != '3' {
		return "", fmt.Errorf("%w: %q is not a mobile number (mobile numbers start 03); WhatsApp needs a mobile number", ErrInvalidPhone, input)
	}
	if len(national) != 10 {
		return "", fmt.Errorf("%w: %q has %d digits after the 0 or +92; a mobile number has 10 (03XX XXXXXXX)", ErrInvalidPhone, input, len(national))
	}
	return Phone("+92" + national), nil
}
