package discipline

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// 2026: the US moves to summer time on 8 March and back on 1 November, the UK on 29 March and
// 25 October, so for three weeks in March and one week around Halloween New York is only four
// hours behind London.
func TestSessionsAcrossDST(t *testing.T) {
	t.Parallel()
	cfg := Defaults()
	for _, tc := range []struct {
		utc     string
		session string // "" = closed
		why     string
	}{
		{"2026-03-03T07:59:00Z", "", "winter: London opens 08:00 GMT"},
		{"2026-03-03T08:00:00Z", "London", "winter London open"},
		{"2026-03-03T16:59:00Z", "London", ""},
		{"2026-03-03T17:00:00Z", "New York", "London closed, New York (EST) open since 13:00 UTC"},
		{"2026-03-03T21:59:00Z", "New York", "New York closes 17:00 EST = 22:00 UTC"},
		{"2026-03-03T22:00:00Z", "", ""},
		{"2026-03-10T20:59:00Z", "New York", "US on EDT, UK still GMT: New York closes 21:00 UTC"},
		{"2026-03-10T21:30:00Z", "", "one week earlier this was inside New York"},
		{"2026-03-10T07:59:00Z", "", "London still GMT"},
		{"2026-03-31T06:59:00Z", "", "both on summer time: London opens 07:00 UTC"},
		{"2026-03-31T07:00:00Z", "London", ""},
		{"2026-03-31T21:00:00Z", "", ""},
		{"2026-10-20T07:30:00Z", "London", "both on summer time"},
		{"2026-10-27T07:30:00Z", "", "UK back on GMT, US still EDT"},
		{"2026-10-27T08:00:00Z", "London", ""},
		{"2026-10-27T20:59:00Z", "New York", ""},
		{"2026-10-27T21:00:00Z", "", "New York on EDT closes 21:00 UTC"},
		{"2026-11-03T21:30:00Z", "New York", "both on winter time again"},
		{"2026-03-06T21:59:00Z", "New York", "Friday close"},
		{"2026-03-07T12:00:00Z", "", "Saturday"},
		{"2026-03-08T22:00:00Z", "", "Sunday evening: FX is open, the sessions are not"},
		{"2026-03-09T07:59:00Z", "", "Monday before London"},
		{"2026-03-09T08:00:00Z", "London", "Monday London open"},
	} {
		t.Run(tc.utc, func(t *testing.T) {
			t.Parallel()
			name, ok := InSession(&cfg, at(t, tc.utc))
			require.Equal(t, tc.session != "", ok, tc.why)
			require.Equal(t, tc.session, name, tc.why)
			g := gateSession(&cfg, at(t, tc.utc))
			require.Equal(t, ok, g.Passed)
			if !ok {
				require.Equal(t, CodeOutsideSession, g.Code)
				require.Contains(t, g.Reason, "next:")
			}
		})
	}
}

func TestTightenedSessionHours(t *testing.T) {
	t.Parallel()
	cfg := Defaults()
	cfg.London = SessionHours{Enabled: true, Open: 9 * 60, Close: 11 * 60}
	cfg.NewYork.Enabled = false
	_, ok := InSession(&cfg, at(t, "2026-03-03T08:30:00Z"))
	require.False(t, ok)
	_, ok = InSession(&cfg, at(t, "2026-03-03T10:59:00Z"))
	require.True(t, ok)
	_, ok = InSession(&cfg, at(t, "2026-03-03T15:00:00Z"))
	require.False(t, ok, "New York disabled")

	// A stored config that reaches outside the locked hours is clamped, not obeyed.
	loose := Defaults()
	loose.London = SessionHours{Enabled: true, Open: 0, Close: 24 * 60}
	_, ok = InSession(&loose, at(t, "2026-03-03T06:00:00Z"))
	require.False(t, ok)
}

func TestTradingDay(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		utc string
		day int
		end string
	}{
		{"2026-03-03T21:59:59Z", 20260303, "2026-03-03T22:00:00Z"},
		{"2026-03-03T22:00:00Z", 20260304, "2026-03-04T22:00:00Z"},
		{"2026-03-10T20:59:00Z", 20260310, "2026-03-10T21:00:00Z"},
		{"2026-03-10T21:00:00Z", 20260311, "2026-03-11T21:00:00Z"},
		{"2026-03-31T21:00:00Z", 20260401, "2026-04-01T21:00:00Z"},
		{"2026-03-08T01:00:00Z", 20260308, "2026-03-08T21:00:00Z"}, // Sat 20:00 EST; day ends Sun 17:00 EDT
		{"2026-12-31T22:30:00Z", 20270101, "2027-01-01T22:00:00Z"},
	} {
		now := at(t, tc.utc)
		require.Equal(t, tc.day, TradingDay(now), tc.utc)
		require.Equal(t, at(t, tc.end), TradingDayEnd(now), tc.utc)
	}
}

func TestNextSessionOpen(t *testing.T) {
	t.Parallel()
	cfg := Defaults()
	for _, tc := range []struct{ now, name, open string }{
		{"2026-03-07T12:00:00Z", "London", "2026-03-09T08:00:00Z"},
		{"2026-03-10T21:30:00Z", "London", "2026-03-11T08:00:00Z"},
		{"2026-03-30T06:30:00Z", "London", "2026-03-30T07:00:00Z"},
		{"2026-03-03T10:00:00Z", "New York", "2026-03-03T13:00:00Z"},
		{"2026-03-10T10:00:00Z", "New York", "2026-03-10T12:00:00Z"},
	} {
		name, open, ok := NextSessionOpen(&cfg, at(t, tc.now))
		require.True(t, ok)
		require.Equal(t, tc.name, name, tc.now)
		require.True(t, at(t, tc.open).Equal(open), "%s: got %s", tc.now, open.UTC())
	}
	_ = time.UTC
}
