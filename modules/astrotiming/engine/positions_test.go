package engine

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/alorig/alorig/shared/ephemeris"
)

func TestDignityTables(t *testing.T) {
	t.Parallel()
	cases := []struct {
		p    Planet
		s    Sign
		want Dignity
	}{
		{Sun, Leo, Domicile}, {Sun, Aquarius, Detriment}, {Sun, Aries, Exaltation}, {Sun, Libra, Fall},
		{Moon, Cancer, Domicile}, {Moon, Capricorn, Detriment}, {Moon, Taurus, Exaltation}, {Moon, Scorpio, Fall},
		{Mercury, Gemini, Domicile}, {Mercury, Virgo, Domicile}, {Mercury, Sagittarius, Detriment}, {Mercury, Pisces, Detriment},
		{Venus, Libra, Domicile}, {Venus, Aries, Detriment}, {Venus, Pisces, Exaltation}, {Venus, Virgo, Fall},
		{Mars, Scorpio, Domicile}, {Mars, Taurus, Detriment}, {Mars, Capricorn, Exaltation}, {Mars, Cancer, Fall},
		{Jupiter, Pisces, Domicile}, {Jupiter, Gemini, Detriment}, {Jupiter, Cancer, Exaltation}, {Jupiter, Capricorn, Fall},
		{Saturn, Aquarius, Domicile}, {Saturn, Leo, Detriment}, {Saturn, Libra, Exaltation}, {Saturn, Aries, Fall},
		{Saturn, Gemini, Peregrine}, {Sun, Gemini, Peregrine},
	}
	for _, c := range cases {
		require.Equal(t, c.want, DignityOf(c.p, c.s), "%s in %s", c.p, c.s)
	}
}

func TestSignsAndPhases(t *testing.T) {
	t.Parallel()
	require.Equal(t, Aries, SignOf(0))
	require.Equal(t, Pisces, SignOf(359.999))
	require.Equal(t, Taurus, SignOf(30))
	require.Equal(t, Aries, SignOf(360))
	require.Equal(t, Pisces, SignOf(-1))
	require.Equal(t, "new_moon", PhaseName(350))
	require.Equal(t, "new_moon", PhaseName(22.4))
	require.Equal(t, "waxing_crescent", PhaseName(22.5))
	require.Equal(t, "first_quarter", PhaseName(90))
	require.Equal(t, "full_moon", PhaseName(180))
	require.Equal(t, "last_quarter", PhaseName(270))
	require.Equal(t, "waning_crescent", PhaseName(300))
}

func TestAspectsFromSyntheticSky(t *testing.T) {
	t.Parallel()
	var s sky
	// Sun 10°, Moon 132° (2° past the trine and pulling away), Mars 100° (exact square to the Sun),
	// Jupiter 195° (175° from the Sun: opposition with 5° orb, within 7.5+4.5).
	s[Sun] = state{lon: 10, vlon: 1, dist: 1}
	s[Moon] = state{lon: 132, vlon: 13, dist: 0.0025}
	s[Mercury] = state{lon: 300, vlon: -0.5, dist: 1}
	s[Venus] = state{lon: 250, vlon: 1.2, dist: 1}
	s[Mars] = state{lon: 100, vlon: 0.6, dist: 1}
	s[Jupiter] = state{lon: 195, vlon: 0.1, dist: 1}
	s[Saturn] = state{lon: 45, vlon: 0.03, dist: 1}
	got := map[[2]Planet]Aspect{}
	for _, a := range aspectsOf(&s) {
		got[[2]Planet{a.A, a.B}] = a
	}
	trine, ok := got[[2]Planet{Sun, Moon}]
	require.True(t, ok)
	require.Equal(t, Trine, trine.Kind)
	require.InDelta(t, 2, trine.Orb, 1e-9)
	require.False(t, trine.Applying, "the Moon is past the exact trine and pulling away")
	sq := got[[2]Planet{Sun, Mars}]
	require.Equal(t, Square, sq.Kind)
	require.InDelta(t, 0, sq.Orb, 1e-9)
	opp := got[[2]Planet{Sun, Jupiter}]
	require.Equal(t, Opposition, opp.Kind)
	require.InDelta(t, 5, opp.Orb, 1e-9)
	// The separation is 175° and the faster Sun widens it toward 180°: applying.
	require.True(t, opp.Applying)
	_, ok = got[[2]Planet{Sun, Saturn}]
	require.False(t, ok, "35° is no aspect")
	// Mercury 300° and Saturn 45° are 105° apart: 15° from both square and trine, beyond 3.5+4.5.
	_, ok = got[[2]Planet{Mercury, Saturn}]
	require.False(t, ok)
}

func TestPositionsAtKnownLunarPhases(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	full, err := e.Positions(time.Date(2025, 1, 13, 22, 27, 0, 0, time.UTC))
	require.NoError(t, err)
	require.Equal(t, "full_moon", full.Moon.Phase)
	require.Greater(t, full.Moon.Illumination, 0.99)
	require.InDelta(t, 180, full.Moon.Elongation, 0.1)
	newM, err := e.Positions(time.Date(2025, 1, 29, 12, 36, 0, 0, time.UTC))
	require.NoError(t, err)
	require.Equal(t, "new_moon", newM.Moon.Phase)
	require.Less(t, newM.Moon.Illumination, 0.01)
	quarter, err := e.Positions(time.Date(2025, 1, 6, 23, 56, 0, 0, time.UTC)) // first quarter
	require.NoError(t, err)
	require.Equal(t, "first_quarter", quarter.Moon.Phase)
	require.InDelta(t, 0.5, quarter.Moon.Illumination, 0.02)
	require.True(t, quarter.Moon.Waxing)
	for _, p := range full.Planets {
		require.InDelta(t, p.Longitude-float64(p.Sign)*30, p.DegreeInSign, 1e-9)
		require.Equal(t, p.Speed < 0, p.Retrograde)
		require.Equal(t, DignityOf(p.Name, p.Sign), p.Dignity)
	}
}

func TestMercuryRetrogradeDetected(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	// Mercury was retrograde 2025-03-15 – 2025-04-07.
	ps, err := e.Positions(time.Date(2025, 3, 25, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.True(t, ps.Planet(Mercury).Retrograde)
	ps, err = e.Positions(time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.False(t, ps.Planet(Mercury).Retrograde)
}

// moonElongation is Moon − planet longitude from the exact ephemeris.
func moonElongation(t *testing.T, eph *ephemeris.Ephemeris, jd float64, p Planet) (float64, float64) {
	m, err := eph.Calc(jd, ephemeris.Moon, 0)
	require.NoError(t, err)
	q, err := eph.Calc(jd, p.Body(), 0)
	require.NoError(t, err)
	return norm360(m.Longitude - q.Longitude), m.Longitude
}

func TestVoidOfCourseMatchesDefinition(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	aspectAngles := []float64{0, 60, 90, 120, 180, 240, 270, 300}
	for _, at := range []time.Time{
		time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC),
		time.Date(2025, 7, 4, 15, 0, 0, 0, time.UTC),
		time.Date(2031, 2, 10, 6, 0, 0, 0, time.UTC),
	} {
		v, err := e.VoidOfCourseUncached(at)
		require.NoError(t, err)
		require.True(t, !v.SignEntered.After(at) && v.End.After(at), "period contains the instant")
		require.False(t, v.Start.Before(v.SignEntered))
		require.True(t, v.Start.Before(v.End))
		require.Equal(t, !at.Before(v.Start), v.Active)

		// End is the ingress into the next sign.
		_, lonEnd := moonElongation(t, e.eph, ephemeris.JulianDay(v.End), Sun)
		require.InDelta(t, 0, wrap180(lonEnd-float64((v.MoonSign+1)%12)*30), 0.001)
		// Start is an exact aspect to LastAspect.Planet.
		require.NotNil(t, v.LastAspect)
		el, _ := moonElongation(t, e.eph, ephemeris.JulianDay(v.Start), v.LastAspect.Planet)
		best := 360.0
		for _, a := range aspectAngles {
			best = math.Min(best, math.Abs(wrap180(el-a)))
		}
		require.Less(t, best, 0.001)
		// Between Start and End no planet receives another exact aspect: scan every 10 minutes.
		for _, p := range Planets {
			if p == Moon {
				continue
			}
			jd0 := ephemeris.JulianDay(v.Start.Add(time.Minute))
			prev, _ := moonElongation(t, e.eph, jd0, p)
			for jd := jd0 + 10.0/1440; jd < ephemeris.JulianDay(v.End); jd += 10.0 / 1440 {
				cur, _ := moonElongation(t, e.eph, jd, p)
				for _, a := range aspectAngles {
					crossed := wrap180(prev-a) < 0 && wrap180(cur-a) >= 0
					require.False(t, crossed, "Moon aspects %s at %.0f° during the void period at %s", p, a, ephemeris.TimeFromJulianDay(jd))
				}
				prev = cur
			}
		}
		// The cached path gives the same period.
		ps, err := e.Positions(at)
		require.NoError(t, err)
		require.Equal(t, v, ps.Moon.VoidOfCourse)
	}
}

func TestTrackMatchesEphemeris(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	from := ephemeris.JulianDay(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	tr, err := newTrack(e.eph, from, from+10)
	require.NoError(t, err)
	src := exactSource{e.eph}
	for jd := from + 0.013; jd < from+10; jd += 0.37 {
		a, err := tr.at(jd, allBodies)
		require.NoError(t, err)
		b, err := src.at(jd, allBodies)
		require.NoError(t, err)
		for p := range a {
			require.InDelta(t, 0, wrap180(a[p].lon-b[p].lon), 5e-5, "%s longitude", Planet(p))
			require.InDelta(t, b[p].vlon, a[p].vlon, 5e-4, "%s speed", Planet(p))
			require.InDelta(t, b[p].lat, a[p].lat, 5e-5, "%s latitude", Planet(p))
		}
	}
	_, err = tr.at(from+30, allBodies)
	require.Error(t, err)
}
