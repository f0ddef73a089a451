package ident_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/alorig/alorig/modules/asms/ident"
)

func TestParseNADRA(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, in  string
		canonical string       // when accepted
		gender    ident.Gender // when accepted
		problem   string       // when refused
		says      string       // a fragment the refusal must contain
	}{
		{name: "canonical", in: "35202-1234567-1", canonical: "35202-1234567-1", gender: ident.Male},
		{name: "no dashes", in: "3520212345672", canonical: "35202-1234567-2", gender: ident.Female},
		{name: "surrounding spaces", in: "  42101-7654321-9 ", canonical: "42101-7654321-9", gender: ident.Male},
		{name: "urdu digits", in: "۳۵۲۰۲-۱۲۳۴۵۶۷-۰", canonical: "35202-1234567-0", gender: ident.Female},
		{name: "arabic-indic digits", in: "٣٥٢٠٢١٢٣٤٥٦٧٨", canonical: "35202-1234567-8", gender: ident.Female},
		{name: "empty", in: "", problem: ident.ProblemEmpty, says: "is empty"},
		{name: "only spaces", in: "   ", problem: ident.ProblemEmpty, says: "is empty"},
		{name: "12 digits", in: "352021234567", problem: ident.ProblemLength, says: "has 12 digits; want 13"},
		{name: "14 digits", in: "35202123456712", problem: ident.ProblemLength, says: "has 14 digits; want 13"},
		{name: "short with dashes", in: "35202-123456-1", problem: ident.ProblemLength, says: "has 12 digits"},
		{name: "letter", in: "35202-12A4567-1", problem: ident.ProblemCharacter, says: `character 'A' at position 9`},
		{name: "letter O for zero", in: "352O212345671", problem: ident.ProblemCharacter, says: `character 'O' at position 4`},
		{name: "space inside", in: "35202 1234567 1", problem: ident.ProblemCharacter, says: `character ' ' at position 6`},
		{name: "one dash", in: "35202-12345671", problem: ident.ProblemDash, says: "has 1 dashes"},
		{name: "three dashes", in: "35202-123-4567-1", problem: ident.ProblemDash, says: "has 3 dashes"},
		{name: "dashes misplaced", in: "3520-21234567-1", problem: ident.ProblemDash, says: "dashes after digits 4 and 12"},
		{name: "trailing dash", in: "35202-12345671-", problem: ident.ProblemDash, says: "after digits 5 and 13"},
		{name: "leading dash", in: "-35202-12345671", problem: ident.ProblemDash, says: "after digits 0 and 5"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			for _, parse := range []struct {
				kind ident.Kind
				fn   func(string) (ident.Number, error)
			}{{ident.CNIC, ident.ParseCNIC}, {ident.BForm, ident.ParseBForm}} {
				n, err := parse.fn(c.in)
				if c.problem == "" {
					require.NoError(t, err)
					require.Equal(t, c.canonical, n.String())
					require.Equal(t, strings.ReplaceAll(c.canonical, "-", ""), n.Digits())
					require.Equal(t, c.gender, n.Gender())
					require.Equal(t, parse.kind, n.Kind())
					continue
				}
				var ne *ident.NumberError
				require.ErrorAs(t, err, &ne)
				require.Equal(t, c.problem, ne.Problem)
				require.Equal(t, parse.kind, ne.Kind)
				require.Contains(t, err.Error(), c.says)
				require.True(t, strings.HasPrefix(err.Error(), parse.kind.String()+" number "), err.Error())
			}
		})
	}
}

// The last digit's parity is reported, never a reason to refuse: both parities parse.
func TestGenderIsInformative(t *testing.T) {
	t.Parallel()
	for d := '0'; d <= '9'; d++ {
		n, err := ident.ParseCNIC("35202-1234567-" + string(d))
		require.NoError(t, err)
		want := ident.Female
		if (d-'0')%2 == 1 {
			want = ident.Male
		}
		require.Equal(t, want, n.Gender(), "last digit %c", d)
	}
	require.Equal(t, "male", ident.Male.String())
	require.Equal(t, "female", ident.Female.String())
}

func TestParsePhone(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, in, region string
		e164, gotRegion  string
		mobile           bool
		problem, says    string
	}{
		{name: "PK mobile national", in: "0300 1234567", e164: "+923001234567", gotRegion: "PK", mobile: true},
		{name: "PK mobile dashed", in: "0321-4567890", e164: "+923214567890", gotRegion: "PK", mobile: true},
		{name: "PK mobile international", in: "+92 345 1234567", e164: "+923451234567", gotRegion: "PK", mobile: true},
		{name: "PK mobile 00 prefix", in: "0092 333 1234567", e164: "+923331234567", gotRegion: "PK", mobile: true},
		{name: "PK mobile without trunk zero", in: "3001234567", e164: "+923001234567", gotRegion: "PK", mobile: true},
		{name: "Urdu digits", in: "۰۳۰۰۱۲۳۴۵۶۷", e164: "+923001234567", gotRegion: "PK", mobile: true},
		{name: "Lahore landline", in: "042 35761234", e164: "+924235761234", gotRegion: "PK", mobile: false},
		{name: "Karachi landline", in: "(021) 34567890", e164: "+922134567890", gotRegion: "PK", mobile: false},
		{name: "UAE mobile of a parent abroad", in: "+971 50 123 4567", e164: "+971501234567", gotRegion: "AE", mobile: true},
		{name: "UK mobile in region GB", in: "07400 123456", region: "GB", e164: "+447400123456", gotRegion: "GB", mobile: true},
		{name: "lower-case region", in: "07400 123456", region: "gb", e164: "+447400123456", gotRegion: "GB", mobile: true},
		{name: "empty", in: " ", problem: ident.PhoneEmpty, says: "is empty"},
		{name: "letter O", in: "03OO1234567", problem: ident.PhoneCharacter, says: `character 'O' at position 3`},
		{name: "vanity letters refused", in: "+1 800 FLOWERS", problem: ident.PhoneCharacter, says: `character 'F'`},
		{name: "plus in the middle", in: "0300+1234567", problem: ident.PhoneCharacter, says: `"+" may only start`},
		{name: "too short", in: "0300 12345", problem: ident.PhoneTooShort, says: "too few digits for a +92 mobile number (8 after the country code, want 10)"},
		{name: "too long", in: "0300 123456789", problem: ident.PhoneTooLong, says: "too many digits for a +92 mobile number (12 after the country code, want 10)"},
		{name: "unknown country code", in: "+999 1234567", problem: ident.PhoneCountryCode, says: "country code"},
		{name: "not in the numbering plan", in: "0900 0000000", problem: ident.PhoneInvalid, says: "not a number in use in the +92"},
		{name: "unknown default region", in: "0300 1234567", region: "XX", problem: ident.PhoneRegion, says: `default region "XX"`},
		{name: "single digit", in: "3", problem: ident.PhoneTooShort, says: "too short"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p, err := ident.ParsePhone(c.in, c.region)
			if c.problem == "" {
				require.NoError(t, err)
				require.Equal(t, c.e164, p.E164())
				require.Equal(t, c.e164, p.String())
				require.Equal(t, c.gotRegion, p.Region())
				require.Equal(t, c.mobile, p.Mobile())
				require.Equal(t, strings.TrimPrefix(c.e164, "+"), p.WhatsAppDigits())
				return
			}
			var pe *ident.PhoneError
			require.ErrorAs(t, err, &pe, "input %q", c.in)
			require.Equal(t, c.problem, pe.Problem, err.Error())
			require.Contains(t, err.Error(), c.says)
			require.Contains(t, err.Error(), c.in)
		})
	}
}

func TestParseWhatsApp(t *testing.T) {
	t.Parallel()
	p, err := ident.ParseWhatsApp("0300-1234567", "")
	require.NoError(t, err)
	require.Equal(t, "923001234567", p.WhatsAppDigits())

	_, err = ident.ParseWhatsApp("042 35761234", "")
	var pe *ident.PhoneError
	require.True(t, errors.As(err, &pe))
	require.Equal(t, ident.PhoneNotMobile, pe.Problem)
	require.Contains(t, err.Error(), "+924235761234 is a landline, not a mobile number")

	// A bad number is reported for what it is, not as "not mobile".
	_, err = ident.ParseWhatsApp("0300 12", "")
	require.ErrorAs(t, err, &pe)
	require.Equal(t, ident.PhoneTooShort, pe.Problem)

	// Where the plan cannot tell mobiles from landlines (US), WhatsApp is allowed.
	p, err = ident.ParseWhatsApp("+1 201 555 0123", "")
	require.NoError(t, err)
	require.True(t, p.Mobile())
}

func BenchmarkParseCNIC(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ident.ParseCNIC("35202-1234567-1"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParsePhone(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ident.ParsePhone("0300 1234567", ""); err != nil {
			b.Fatal(err)
		}
	}
}
