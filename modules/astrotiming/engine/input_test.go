package engine

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

func TestLookupActivitySynonyms(t *testing.T) {
	t.Parallel()
	cases := map[string]Planet{
		"sign contract": Mercury, "Sign-Contract": Mercury, "  SIGN   contract ": Mercury, "sign_contract": Mercury,
		"job interview": Sun, "interview": Sun, "travel": Moon, "flight": Moon, "surgery": Mars,
		"operation": Mars, "wedding": Venus, "nikah": Venus, "prayer": Jupiter, "start business": Jupiter,
		"declutter": Saturn, "real estate": Saturn, "haircut": Venus, "exam": Mercury,
		"I need to sign a contract with a supplier": Mercury,
	}
	for q, want := range cases {
		a, err := LookupActivity(q)
		require.NoError(t, err, q)
		require.Equal(t, want, a.Planet, "%q matched %s", q, a.Key)
	}
	_, err := LookupActivity("zzzz qqqq")
	require.ErrorIs(t, err, ErrUnknownActivity)
	_, err = LookupActivity("  ")
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "activity", fe.Field)
}

func TestSearchActivitiesRanksWholeWords(t *testing.T) {
	t.Parallel()
	got := SearchActivities("business trip", 3)
	require.NotEmpty(t, got)
	keys := []string{}
	for _, a := range got {
		keys = append(keys, a.Key)
	}
	require.Contains(t, keys, "travel")
	require.Contains(t, keys, "start_business")
	require.Len(t, SearchActivities("trav", 5), 1, "prefix of three letters or more")
	require.Empty(t, SearchActivities("tr", 5))
	require.Empty(t, SearchActivities("anything", 0))
}

func TestActivityVocabularyIsConsistent(t *testing.T) {
	t.Parallel()
	domains := map[string]Planet{}
	for _, d := range Domains() {
		for _, name := range d.Domains {
			domains[name] = d.Planet
		}
		require.NotEmpty(t, d.ArabicName)
	}
	seen := map[string]bool{}
	for _, a := range Activities() {
		require.False(t, seen[a.Key], a.Key)
		seen[a.Key] = true
		p, ok := domains[a.Domain]
		require.True(t, ok, "%s: domain %q is not in the seed's table", a.Key, a.Domain)
		if a.Domain != "social" { // the seed gives "social" to both the Moon and Venus
			require.Equal(t, p, a.Planet, "%s: planet must own its domain", a.Key)
		}
		require.NotContains(t, a.Also, a.Planet)
		got, err := LookupActivity(a.Key)
		require.NoError(t, err)
		require.Equal(t, a.Key, got.Key)
	}
	require.GreaterOrEqual(t, len(seen), 30)
}

func TestParseHelpersNameTheField(t *testing.T) {
	t.Parallel()
	bad := []struct {
		field string
		err   error
	}{
		{"lat", func() error { _, err := ParseLat("91"); return err }()},
		{"lat", func() error { _, err := ParseLat("north"); return err }()},
		{"lat", func() error { _, err := ParseLat("NaN"); return err }()},
		{"lng", func() error { _, err := ParseLng("-180.5"); return err }()},
		{"tz", func() error { _, err := ParseZone("Mars/Olympus"); return err }()},
		{"tz", func() error { _, err := ParseZone("Local"); return err }()},
		{"tz", func() error { _, err := ParseZone("../../etc/passwd"); return err }()},
		{"date", func() error { _, err := ParseDate("date", "2026-02-30"); return err }()},
		{"date", func() error { _, err := ParseDate("date", "26-2-3"); return err }()},
		{"date", func() error { _, err := ParseDate("date", "2500-01-01"); return err }()},
		{"to", func() error { _, _, err := ParseRange("2026-01-01", "2026-04-01"); return err }()},
		{"to", func() error { _, _, err := ParseRange("2026-01-02", "2026-01-01"); return err }()},
		{"from", func() error { _, _, err := ParseRange("x", "2026-01-01"); return err }()},
	}
	for _, b := range bad {
		var fe *FieldError
		require.ErrorAs(t, b.err, &fe)
		require.Equal(t, b.field, fe.Field, b.err.Error())
		require.ErrorIs(t, b.err, ErrInvalid)
	}
	p, err := ParsePlace("24.86", "67.0", "Asia/Karachi")
	require.NoError(t, err)
	require.Equal(t, "Asia/Karachi", p.Zone.String())
	f, to, err := ParseRange("2026-01-01", "2026-03-31")
	require.NoError(t, err)
	require.Equal(t, 89, f.DaysUntil(to))
}

func FuzzLookupActivity(f *testing.F) {
	for _, s := range []string{"sign contract", "Job-Interview", "", "  ", "تجارة", "travel travel travel", strings.Repeat("a", 200)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		a, err := LookupActivity(q)
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) && !errors.Is(err, ErrUnknownActivity) {
				t.Fatalf("unexpected error type %T: %v", err, err)
			}
			if !utf8.ValidString(err.Error()) && utf8.ValidString(q) {
				t.Fatalf("error text is not valid UTF-8: %q", err.Error())
			}
			return
		}
		if a.Key == "" || a.Planet < Sun || a.Planet > Saturn {
			t.Fatalf("bad activity %+v for %q", a, q)
		}
		_ = SearchActivities(q, 5)
	})
}

func FuzzParsePlace(f *testing.F) {
	f.Add("24.86", "67.0", "Asia/Karachi")
	f.Add("-90", "180", "UTC")
	f.Add("1e400", "-0", "America/New_York")
	f.Add("0x10", "inf", "../zoneinfo")
	f.Fuzz(func(t *testing.T, lat, lng, tz string) {
		p, err := ParsePlace(lat, lng, tz)
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) || (fe.Field != "lat" && fe.Field != "lng" && fe.Field != "tz") {
				t.Fatalf("error must name lat, lng or tz: %v", err)
			}
			return
		}
		if p.Lat < -90 || p.Lat > 90 || p.Lng < -180 || p.Lng > 180 || p.Zone == nil {
			t.Fatalf("accepted out-of-range place %+v", p)
		}
	})
}

func FuzzParseRange(f *testing.F) {
	f.Add("2026-01-01", "2026-03-31")
	f.Add("2026-02-29", "2026-03-01")
	f.Add("9999-12-31", "0000-01-01")
	f.Fuzz(func(t *testing.T, from, to string) {
		a, b, err := ParseRange(from, to)
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) || (fe.Field != "from" && fe.Field != "to") {
				t.Fatalf("error must name from or to: %v", err)
			}
			return
		}
		if n := a.DaysUntil(b); n < 0 || n >= MaxRangeDays {
			t.Fatalf("accepted range of %d days", n+1)
		}
		if a.String() != strings.TrimSpace(from) {
			t.Fatalf("date %q read as %s", from, a)
		}
	})
}
