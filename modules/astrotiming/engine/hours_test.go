package engine

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestHourRulersFollowChaldeanOrder(t *testing.T) {
	t.Parallel()
	// Each weekday's first hour is its own ruler, and the 25th hour (next day's first) is the next
	// weekday's ruler: that is how the week got its order.
	for w := time.Sunday; w <= time.Saturday; w++ {
		day := DayRuler(w)
		require.Equal(t, day, HourRuler(day, 1))
		require.Equal(t, DayRuler((w+1)%7), HourRuler(day, 25))
		for n := 1; n < 24; n++ {
			a, b := chaldeanIndex(HourRuler(day, n)), chaldeanIndex(HourRuler(day, n+1))
			require.Equal(t, (a+1)%7, b)
		}
	}
	require.Equal(t, []Planet{Sun, Moon, Mars, Mercury, Jupiter, Venus, Saturn},
		[]Planet{DayRuler(time.Sunday), DayRuler(time.Monday), DayRuler(time.Tuesday), DayRuler(time.Wednesday), DayRuler(time.Thursday), DayRuler(time.Friday), DayRuler(time.Saturday)})
}

func TestPlanetNames(t *testing.T) {
	t.Parallel()
	want := map[Planet]string{Sun: "Shams", Moon: "Qamar", Mars: "Mirrikh", Mercury: "Utarid", Jupiter: "Mushtari", Venus: "Zuhra", Saturn: "Zuhal"}
	for p, name := range want {
		require.Equal(t, name, p.ArabicName())
		got, err := ParsePlanet(name)
		require.NoError(t, err)
		require.Equal(t, p, got)
		got, err = ParsePlanet(p.String())
		require.NoError(t, err)
		require.Equal(t, p, got)
	}
	_, err := ParsePlanet("Pluto")
	require.ErrorIs(t, err, ErrInvalid)
}

func TestMomentBeforeSunriseBelongsToPreviousPlanetaryDay(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	// Karachi, Saturday 2026-11-28: 05:00 local is before sunrise (~06:50), so it is the night of
	// Friday's planetary day, ruled by Venus.
	at := time.Date(2026, 11, 28, 5, 0, 0, 0, karachi.Zone)
	day, hour, err := e.HourAt(karachi, at)
	require.NoError(t, err)
	require.Equal(t, Date{2026, 11, 27}, day.Date)
	require.Equal(t, Venus, day.DayRuler)
	require.False(t, hour.IsDay)
	require.Greater(t, hour.Index, 12)
	require.True(t, hour.Contains(at))

	// After sunrise it is Saturday, Saturn's day, first hour Saturn's.
	sat, err := e.Day(karachi, Date{2026, 11, 28})
	require.NoError(t, err)
	day, hour, err = e.HourAt(karachi, sat.Sunrise.Add(time.Minute))
	require.NoError(t, err)
	require.Equal(t, Saturn, day.DayRuler)
	require.Equal(t, 1, hour.Index)
	require.Equal(t, Saturn, hour.Ruler)
}

func TestHoursAreTwelveEqualPartsOfDayAndNight(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	// London on the day clocks go forward: a 23-hour civil day must still give 24 planetary hours.
	london := Place{Lat: 51.5074, Lng: -0.1278, Zone: mustZone(t, "Europe/London")}
	day, err := e.Day(london, Date{2026, 3, 29})
	require.NoError(t, err)
	require.Equal(t, Sun, day.DayRuler)
	dayLen := day.Sunset.Sub(day.Sunrise) / 12
	nightLen := day.NextSunrise.Sub(day.Sunset) / 12
	for _, h := range day.Hours {
		want := nightLen
		if h.IsDay {
			want = dayLen
		}
		require.InDelta(t, want.Seconds(), h.End.Sub(h.Start).Seconds(), 0.001)
	}
	require.InDelta(t, 24, day.NextSunrise.Sub(day.Sunrise).Hours(), 0.1)
}

func TestPolarDatesReturnTypedError(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	tromso := Place{Lat: 69.6492, Lng: 18.9553, Zone: mustZone(t, "Europe/Oslo")}
	cases := []struct {
		date Date
		kind string
	}{
		{Date{2026, 6, 21}, "midnight_sun"},
		{Date{2026, 12, 21}, "polar_night"},
	}
	for _, c := range cases {
		_, err := e.Day(tromso, c.date)
		require.ErrorIs(t, err, ErrPolar, c.date)
		var pe *PolarError
		require.ErrorAs(t, err, &pe)
		require.Equal(t, c.kind, pe.Kind)
		_, _, err = e.HourAt(tromso, c.date.Midnight(tromso.Zone).Add(12*time.Hour))
		require.ErrorIs(t, err, ErrPolar)
	}
	// The search skips polar dates inside its range and says which.
	act, err := LookupActivity("travel")
	require.NoError(t, err)
	res, err := e.Search(SearchRequest{Activity: act, Place: tromso, From: time.Date(2026, 5, 15, 0, 0, 0, 0, tromso.Zone), Days: 7, MinScore: 1})
	require.NoError(t, err)
	require.NotEmpty(t, res.PolarDays)
	require.NotEmpty(t, res.Windows)
}

func TestHourNowUsesClock(t *testing.T) {
	t.Parallel()
	e := newEngine(t) // fake clock at 2026-11-26 12:00 UTC = 17:00 Karachi, Thursday
	day, hour, err := e.HourNow(karachi)
	require.NoError(t, err)
	require.Equal(t, Jupiter, day.DayRuler)
	require.True(t, hour.Contains(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)))
}

func TestDayRangeSharesSunrisesAndMatchesDay(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	days, polar, err := e.DayRange(karachi, Date{2026, 12, 30}, 5)
	require.NoError(t, err)
	require.Empty(t, polar)
	require.Len(t, days, 5)
	for i, d := range days {
		single, err := e.Day(karachi, d.Date)
		require.NoError(t, err)
		require.Equal(t, single, d)
		if i > 0 {
			require.Equal(t, days[i-1].NextSunrise, d.Sunrise)
		}
	}
	require.Equal(t, Date{2027, 1, 3}, days[4].Date)
	_, _, err = e.DayRange(karachi, Date{2026, 1, 1}, 91)
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "days", fe.Field)
}
