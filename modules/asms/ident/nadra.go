// Package ident validates and normalises the identity numbers a Pakistani school records:
// NADRA's CNIC (adults: guardians, staff) and B-Form (children: the Child Registration
// Certificate), and phone numbers in E.164.
//
// It is pure: no database, no clock, no network, so every rule is tested in microseconds.
package ident

import (
	"fmt"
	"strings"
)

// Kind names which NADRA document a number comes from. CNIC and B-Form numbers share one
// 13-digit layout; the kind only changes the words in an error and in the API.
type Kind int

const (
	CNIC Kind = iota
	BForm
)

func (k Kind) String() string {
	if k == BForm {
		return "B-Form"
	}
	return "CNIC"
}

// Gender is what the last digit of a NADRA number says: odd for male, even for female. It is
// informative only (a parent's view of a number, a hint on a form); the number is never
// refused for it, because a record's gender and a number's parity can legitimately disagree
// and a school is not the place to adjudicate that.
type Gender int

const (
	Female Gender = iota
	Male
)

func (g Gender) String() string {
	if g == Male {
		return "male"
	}
	return "female"
}

// Number is a validated NADRA number. Its zero value is not a valid number; get one from
// ParseCNIC or ParseBForm.
type Number struct {
	kind   Kind
	digits [13]byte // ASCII '0'..'9'
}

// Kind says whether the number was parsed as a CNIC or a B-Form number.
func (n Number) Kind() Kind { return n.kind }

// String is the canonical form, xxxxx-xxxxxxx-x, as printed on the card.
func (n Number) String() string {
	var b [15]byte
	copy(b[0:5], n.digits[0:5])
	b[5] = '-'
	copy(b[6:13], n.digits[5:12])
	b[13] = '-'
	b[14] = n.digits[12]
	return string(b[:])
}

// Digits is the 13 digits without dashes, the form to store and to index.
func (n Number) Digits() string { return string(n.digits[:]) }

// Gender reads the last digit's parity (see Gender: informative, never a reason to refuse).
func (n Number) Gender() Gender {
	if (n.digits[12]-'0')%2 == 1 {
		return Male
	}
	return Female
}

// NumberError says why a CNIC or B-Form number was refused. Problem is one of the Problem*
// constants, so a handler can map it to a field message in either language; Error() is the
// English sentence.
type NumberError struct {
	Kind    Kind
	Input   string
	Problem string
	Detail  string
}

// The reasons a NADRA number is refused.
const (
	ProblemEmpty     = "empty"
	ProblemLength    = "length"
	ProblemCharacter = "character"
	ProblemDash      = "dash"
)

func (e *NumberError) Error() string {
	return fmt.Sprintf("%s number %q: %s", e.Kind, e.Input, e.Detail)
}

// ParseCNIC accepts a CNIC number with or without its dashes ("35202-1234567-1" or
// "3520212345671"); see parseNADRA for exactly what is accepted.
func ParseCNIC(s string) (Number, error) { return parseNADRA(CNIC, s) }

// ParseBForm accepts a B-Form (Child Registration Certificate) number, same layout as a CNIC.
func ParseBForm(s string) (Number, error) { return parseNADRA(BForm, s) }

// parseNADRA accepts exactly two shapes after trimming surrounding spaces: 13 digits, or
// 5 digits, a dash, 7 digits, a dash, 1 digit. Digits typed on an Urdu or Arabic keyboard
// (U+06F0–U+06F9, U+0660–U+0669) are read as their ASCII digits, because guardians fill forms
// on phones set to Urdu. Anything else — a letter, a space inside, one dash only, a dash in
// another place, 12 or 14 digits — is refused with a reason that names it.
func parseNADRA(kind Kind, s string) (Number, error) {
	in := strings.TrimSpace(s)
	fail := func(problem, format string, args ...any) (Number, error) {
		return Number{}, &NumberError{Kind: kind, Input: s, Problem: problem, Detail: fmt.Sprintf(format, args...)}
	}
	if in == "" {
		return fail(ProblemEmpty, "is empty; want 13 digits as xxxxx-xxxxxxx-x")
	}
	n := Number{kind: kind}
	count := 0
	var dashes [2]int // for the first two dashes, how many digits came before each
	nd := 0
	pos := 0
	for _, r := range in {
		pos++
		switch {
		case r == '-':
			if nd < len(dashes) {
				dashes[nd] = count
			}
			nd++
		default:
			d, ok := asciiDigit(r)
			if !ok {
				return fail(ProblemCharacter, "character %q at position %d is not a digit or dash", r, pos)
			}
			if count < len(n.digits) {
				n.digits[count] = d
			}
			count++
		}
	}
	if count != 13 {
		return fail(ProblemLength, "has %d digits; want 13 (xxxxx-xxxxxxx-x)", count)
	}
	switch {
	case nd == 0:
	case nd == 2 && dashes[0] == 5 && dashes[1] == 12:
	case nd == 2:
		return fail(ProblemDash, "dashes after digits %d and %d; want them after the 5th and 12th digits (xxxxx-xxxxxxx-x)", dashes[0], dashes[1])
	default:
		return fail(ProblemDash, "has %d dashes; want none or two, as xxxxx-xxxxxxx-x", nd)
	}
	return n, nil
}

// asciiDigit maps ASCII, Extended Arabic-Indic (Urdu) and Arabic-Indic digits to '0'..'9'.
func asciiDigit(r rune) (byte, bool) {
	switch {
	case r >= '0' && r <= '9':
		return byte(r), true
	case r >= '\u06F0' && r <= '\u06F9':
		return byte('0' + r - '\u06F0'), true
	case r >= '\u0660' && r <= '\u0669':
		return byte('0' + r - '\u0660'), true
	}
	return 0, false
}
