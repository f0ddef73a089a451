package ident

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

// DefaultRegion is the region a number without a country code is read in: the pilot's
// schools are in Pakistan, so "0300 1234567" means +92 300 1234567.
const DefaultRegion = "PK"

// Phone is a validated phone number. Its zero value is not a valid number; get one from
// ParsePhone or ParseWhatsApp.
type Phone struct {
	e164   string
	region string
	mobile bool
	kind   phonenumbers.PhoneNumberType
}

// E164 is the number in E.164 ("+923001234567"): the form to store, compare and send.
func (p Phone) E164() string { return p.e164 }

// String is the E.164 form.
func (p Phone) String() string { return p.e164 }

// Region is the ISO 3166 region the number belongs to ("PK", "AE", …).
func (p Phone) Region() string { return p.region }

// Mobile reports whether the number can be a mobile one: libphonenumber's MOBILE, or
// FIXED_LINE_OR_MOBILE where the numbering plan does not tell them apart (the US, Canada).
func (p Phone) Mobile() bool { return p.mobile }

// WhatsAppDigits is the number as wa.me links want it: E.164 without the plus
// (shared/wame.Link takes it as is).
func (p Phone) WhatsAppDigits() string { return strings.TrimPrefix(p.e164, "+") }

// PhoneError says why a phone number was refused. Problem is one of the Phone* constants.
type PhoneError struct {
	Input   string
	Problem string
	Detail  string
}

// The reasons a phone number is refused.
const (
	PhoneEmpty       = "empty"
	PhoneCharacter   = "character"
	PhoneCountryCode = "country_code"
	PhoneTooShort    = "too_short"
	PhoneTooLong     = "too_long"
	PhoneLength      = "length"
	PhoneInvalid     = "invalid"
	PhoneNotMobile   = "not_mobile"
	PhoneRegion      = "region"
)

func (e *PhoneError) Error() string {
	return fmt.Sprintf("phone number %q: %s", e.Input, e.Detail)
}

// ParsePhone normalises a phone number to E.164. A number without a "+" or "00" prefix is
// read in defaultRegion ("" means DefaultRegion, Pakistan). Letters are refused even though
// libphonenumber would read "1-800-FLOWERS" as digits: on a school form a letter is a typo
// (the letter O for a zero), not a vanity number.
func ParsePhone(raw, defaultRegion string) (Phone, error) {
	if defaultRegion == "" {
		defaultRegion = DefaultRegion
	}
	region := strings.ToUpper(defaultRegion)
	fail := func(problem, format string, args ...any) (Phone, error) {
		return Phone{}, &PhoneError{Input: raw, Problem: problem, Detail: fmt.Sprintf(format, args...)}
	}
	if phonenumbers.GetCountryCodeForRegion(region) == 0 {
		return fail(PhoneRegion, "default region %q is not a region code libphonenumber knows (want e.g. \"PK\")", defaultRegion)
	}
	in := strings.TrimSpace(raw)
	if in == "" {
		return fail(PhoneEmpty, "is empty")
	}
	pos := 0
	for _, r := range in {
		pos++
		switch {
		case unicode.IsDigit(r), r == '+', r == ' ', r == '-', r == '(', r == ')', r == '.', r == '/':
		default:
			return fail(PhoneCharacter, "character %q at position %d is not part of a phone number", r, pos)
		}
	}
	if strings.Count(in, "+") > 1 || (strings.Contains(in, "+") && !strings.HasPrefix(in, "+")) {
		return fail(PhoneCharacter, "a \"+\" may only start the number")
	}
	num, err := phonenumbers.Parse(in, region)
	if err != nil {
		switch {
		case errors.Is(err, phonenumbers.ErrInvalidCountryCode):
			return fail(PhoneCountryCode, "the country code is not one in use")
		case errors.Is(err, phonenumbers.ErrTooShortNSN), errors.Is(err, phonenumbers.ErrTooShortAfterIDD),
			// Every character was already checked to be a digit or punctuation, so the
			// library's "not a number" can only mean too few digits to start one.
			errors.Is(err, phonenumbers.ErrNotANumber):
			return fail(PhoneTooShort, "is too short to be a phone number")
		case errors.Is(err, phonenumbers.ErrNumTooLong):
			return fail(PhoneTooLong, "is too long to be a phone number")
		default:
			return fail(PhoneInvalid, "is not a phone number (%v)", err)
		}
	}
	cc := num.GetCountryCode()
	reason := phonenumbers.IsPossibleNumberWithReason(num)
	if reason == phonenumbers.INVALID_COUNTRY_CODE {
		return fail(PhoneCountryCode, "country code +%d is not one in use", cc)
	}
	possible := reason == phonenumbers.IS_POSSIBLE || reason == phonenumbers.IS_POSSIBLE_LOCAL_ONLY
	if !possible || !phonenumbers.IsValidNumber(num) {
		if got, want := mobileLength(num, region); got != want && want > 0 {
			if got < want {
				return fail(PhoneTooShort, "has too few digits for a +%d mobile number (%d after the country code, want %d)", cc, got, want)
			}
			return fail(PhoneTooLong, "has too many digits for a +%d mobile number (%d after the country code, want %d)", cc, got, want)
		}
		switch reason {
		case phonenumbers.TOO_SHORT:
			return fail(PhoneTooShort, "has too few digits for a +%d number", cc)
		case phonenumbers.TOO_LONG:
			return fail(PhoneTooLong, "has too many digits for a +%d number", cc)
		case phonenumbers.INVALID_LENGTH:
			return fail(PhoneLength, "has a digit count no +%d number has", cc)
		}
		return fail(PhoneInvalid, "is not a number in use in the +%d numbering plan", cc)
	}
	t := phonenumbers.GetNumberType(num)
	return Phone{
		e164:   phonenumbers.Format(num, phonenumbers.E164),
		region: phonenumbers.GetRegionCodeForNumber(num),
		mobile: t == phonenumbers.MOBILE || t == phonenumbers.FIXED_LINE_OR_MOBILE,
		kind:   t,
	}, nil
}

// ParseWhatsApp is ParsePhone for a guardian's WhatsApp contact: WhatsApp accounts are
// registered on mobile numbers, so a landline ("042 35761234") is refused here although
// ParsePhone accepts it as a home number.
func ParseWhatsApp(raw, defaultRegion string) (Phone, error) {
	p, err := ParsePhone(raw, defaultRegion)
	if err != nil {
		return Phone{}, err
	}
	if !p.mobile {
		return Phone{}, &PhoneError{Input: raw, Problem: PhoneNotMobile,
			Detail: fmt.Sprintf("%s is %s, not a mobile number; WhatsApp needs a mobile number", p.e164, describe(p.kind))}
	}
	return p, nil
}

// describe names a number type in the words a guardian would use.
func describe(t phonenumbers.PhoneNumberType) string {
	switch t {
	case phonenumbers.FIXED_LINE:
		return "a landline"
	case phonenumbers.TOLL_FREE:
		return "a toll-free number"
	case phonenumbers.PREMIUM_RATE:
		return "a premium-rate number"
	case phonenumbers.SHARED_COST:
		return "a shared-cost number"
	case phonenumbers.VOIP:
		return "a VoIP number"
	case phonenumbers.PERSONAL_NUMBER:
		return "a personal (forwarding) number"
	case phonenumbers.PAGER:
		return "a pager number"
	case phonenumbers.UAN:
		return "a UAN (universal access number)"
	case phonenumbers.VOICEMAIL:
		return "a voicemail number"
	}
	return "a number of unknown type"
}

// mobileLength explains the commonest typo, a mobile number with a digit missing or doubled,
// which libphonenumber only calls "not valid" or "invalid length" (a +92 number of 9 digits is
// a possible landline length). When the national number starts like the region's example
// mobile number, it returns the digit count after the country code (a leading trunk "0" the
// library left in place, because the rest was too short, is not counted) and the example's
// count; otherwise want is 0. This only words the message: the decision to refuse was made by
// the library's checks.
func mobileLength(num *phonenumbers.PhoneNumber, defaultRegion string) (got, want int) {
	region := phonenumbers.GetRegionCodeForCountryCode(int(num.GetCountryCode()))
	example := phonenumbers.GetExampleNumberForType(region, phonenumbers.MOBILE)
	if example == nil {
		return 0, 0
	}
	nsn, mob := phonenumbers.GetNationalSignificantNumber(num), phonenumbers.GetNationalSignificantNumber(example)
	if region == defaultRegion {
		if ndd := phonenumbers.GetNddPrefixForRegion(region, true); ndd != "" && len(nsn) > len(ndd) {
			nsn = strings.TrimPrefix(nsn, ndd)
		}
	}
	if nsn == "" || mob == "" || nsn[0] != mob[0] {
		return len(nsn), 0
	}
	return len(nsn), len(mob)
}
