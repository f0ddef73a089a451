package engine

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestBands(t *testing.T) {
	t.Parallel()
	cases := map[int]string{100: BandExcellent, 80: BandExcellent, 79: BandGood, 60: BandGood, 59: BandNeutral, 40: BandNeutral, 39: BandUnfavorable, 20: BandUnfavorable, 19: BandAvoid, 0: BandAvoid}
	for s, b := range cases {
		require.Equal(t, b, BandOf(s), s)
	}
	require.Equal(t, 100, WeightHourRuler+WeightDayRuler+WeightDignity+WeightLunar+WeightAspects+WeightRetrograde)
}

// syntheticPositions builds Positions from a hand-made sky.
func syntheticPositions(s sky, voc bool) *Positions {
	ps := describe(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), &s, true)
	ps.Moon.VoidOfCourse.Active = voc
	return ps
}

func quietSky() sky {
	// Planets spread so that Mercury receives no aspect: Mercury 15° Gemini (75°).
	return sky{
		Sun:     {lon: 100, vlon: 1, dist: 1},
		Moon:    {lon: 150, vlon: 13, dist: 0.0025},
		Mercury: {lon: 75, vlon: 1.5, dist: 1},
		Venus:   {lon: 40, vlon: 1.2, dist: 1},
		Mars:    {lon: 265, vlon: 0.6, dist: 1},
		Jupiter: {lon: 220, vlon: 0.1, dist: 1},
		Saturn:  {lon: 5, vlon: 0.05, dist: 1},
	}
}

func TestScoreFactorsFromSyntheticSky(t *testing.T) {
	t.Parallel()
	act, err := LookupActivity("sign contract") // Mercury, also Jupiter
	require.NoError(t, err)
	require.Equal(t, Mercury, act.Planet)
	s := quietSky()
	ps := syntheticPositions(s, false)
	hour := Hour{Index: 2, Ruler: Mercury}

	got := scoreOf(act, Venus, hour, ps, true)
	require.Equal(t, 30, got.Breakdown.HourRuler.Points)
	require.Equal(t, 6, got.Breakdown.DayRuler.Points, "Venus day is benefic")
	require.Equal(t, 15, got.Breakdown.Dignity.Points, "Mercury in Gemini is in domicile")
	require.Equal(t, 10+3, got.Breakdown.Lunar.Points, "waxing (elongation 50°), Moon peregrine in Leo")
	require.Equal(t, aspectBase, got.Breakdown.Aspects.Points, got.Breakdown.Aspects.Reason)
	require.Equal(t, 10, got.Breakdown.Retrograde.Points)
	require.Equal(t, got.Breakdown.Total(), got.Score)
	require.Equal(t, 30+6+15+13+7+10, got.Score)
	require.Equal(t, BandExcellent, got.Band)

	// A Saturn hour on Saturn's day with Mercury retrograde in Sagittarius, the Moon void.
	s[Mercury] = state{lon: 250, vlon: -0.4, dist: 1}
	ps = syntheticPositions(s, true)
	bad := scoreOf(act, Saturn, Hour{Index: 1, Ruler: Saturn}, ps, true)
	require.Equal(t, 0, bad.Breakdown.HourRuler.Points)
	require.Equal(t, 0, bad.Breakdown.DayRuler.Points)
	require.Equal(t, 2, bad.Breakdown.Dignity.Points, "detriment")
	require.Equal(t, 0, bad.Breakdown.Lunar.Points)
	require.Equal(t, 0, bad.Breakdown.Retrograde.Points)
	require.Equal(t, bad.Breakdown.Total(), bad.Score)
	require.Less(t, bad.Score, 20+1)

	// Secondary planet's hour earns partial credit.
	part := scoreOf(act, Venus, Hour{Index: 3, Ruler: Jupiter}, syntheticPositions(quietSky(), false), true)
	require.Equal(t, 20, part.Breakdown.HourRuler.Points)
}

func TestAspectFactorWeighsNatureAndApplication(t *testing.T) {
	t.Parallel()
	act, err := LookupActivity("writing") // Mercury only
	require.NoError(t, err)
	s := quietSky()
	// Jupiter trine Mercury (75° + 120° = 195°), Jupiter slower so Mercury applies? Mercury at 75
	// moving 1.5, Jupiter at 196 moving 0.1: separation 121° shrinking toward 120 → applying.
	s[Jupiter] = state{lon: 196, vlon: 0.1, dist: 1}
	ps := syntheticPositions(s, false)
	f := aspectFactor(act, ps, true)
	require.Equal(t, aspectBase+2*(3+1), f.Points, f.Reason)
	// The same trine separating counts once.
	s[Jupiter] = state{lon: 194, vlon: 0.1, dist: 1}
	f = aspectFactor(act, syntheticPositions(s, false), true)
	require.Equal(t, aspectBase+3+1, f.Points, f.Reason)
	// Mars square applying: 7 + 2×(−2−1) = 1.
	s = quietSky()
	s[Mars] = state{lon: 166, vlon: 0.6, dist: 1}
	f = aspectFactor(act, syntheticPositions(s, false), true)
	require.Equal(t, aspectBase-6, f.Points, f.Reason)
}

func TestScoreAtInstantIsDeterministicAndSumsUp(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	for _, q := range []string{"travel", "job interview", "surgery", "wedding", "planning", "prayer", "haircut"} {
		act, err := LookupActivity(q)
		require.NoError(t, err)
		at := time.Date(2026, 12, 3, 10, 15, 0, 0, time.UTC)
		a, err := e.Score(act, karachi, at)
		require.NoError(t, err)
		b, err := e.Score(act, karachi, at)
		require.NoError(t, err)
		require.Equal(t, a, b)
		require.Equal(t, a.Breakdown.Total(), a.Score)
		require.True(t, a.Score >= 0 && a.Score <= 100)
		for _, f := range []Factor{a.Breakdown.HourRuler, a.Breakdown.DayRuler, a.Breakdown.Dignity, a.Breakdown.Lunar, a.Breakdown.Aspects, a.Breakdown.Retrograde} {
			require.True(t, f.Points >= 0 && f.Points <= f.Max, f)
			require.NotEmpty(t, f.Reason)
		}
		require.True(t, a.Hour.Contains(at))
		raw, err := json.Marshal(a)
		require.NoError(t, err)
		require.Contains(t, string(raw), `"breakdown":{"hour_ruler":{"points":`)
	}
}

func TestJSONShapes(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	day, err := e.Day(karachi, Date{2026, 11, 27})
	require.NoError(t, err)
	raw, err := json.Marshal(day)
	require.NoError(t, err)
	var hours struct {
		Sunrise     time.Time `json:"sunrise"`
		Sunset      time.Time `json:"sunset"`
		NextSunrise time.Time `json:"next_sunrise"`
		DayRuler    string    `json:"day_ruler"`
		Hours       []struct {
			Index int       `json:"index"`
			Ruler string    `json:"ruler"`
			Start time.Time `json:"start"`
			End   time.Time `json:"end"`
			IsDay bool      `json:"is_day"`
		} `json:"hours"`
	}
	require.NoError(t, json.Unmarshal(raw, &hours))
	require.Equal(t, "Venus", hours.DayRuler)
	require.Len(t, hours.Hours, 24)
	require.Equal(t, "Venus", hours.Hours[0].Ruler)
	require.Equal(t, "Mercury", hours.Hours[1].Ruler)
	require.False(t, hours.Hours[12].IsDay)

	ps, err := e.Positions(time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	raw, err = json.Marshal(ps)
	require.NoError(t, err)
	for _, key := range []string{`"planets":[{"name":"Sun","longitude":`, `"degree_in_sign":`, `"retrograde":`, `"dignity":"`, `"aspects":[`, `"moon":{"sign":"`, `"phase":"`, `"illumination":`, `"void_of_course":{"active":`} {
		require.Contains(t, string(raw), key)
	}
}
