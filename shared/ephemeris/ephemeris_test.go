package ephemeris_test

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/alorig/alorig/shared/ephemeris"
)

func open(t testing.TB) *ephemeris.Ephemeris {
	t.Helper()
	eph, err := ephemeris.Open(ephemeris.DefaultPath)
	require.NoError(t, err)
	return eph
}

func TestOpenRejectsMissingDirectory(t *testing.T) {
	t.Parallel()
	_, err := ephemeris.Open("/nonexistent/ephe")
	require.ErrorIs(t, err, ephemeris.ErrFiles)

	// A directory without files must not be accepted just because libswe can fall back to Moshier.
	_, err = ephemeris.Open(t.TempDir())
	require.ErrorIs(t, err, ephemeris.ErrFiles)
}

func TestRangeCoversBasicDataFiles(t *testing.T) {
	t.Parallel()
	eph := open(t)
	start, end := eph.RangeTime()
	require.False(t, start.After(time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC)), start)
	require.False(t, end.Before(time.Date(2399, 12, 31, 0, 0, 0, 0, time.UTC)), end)
}

func TestCalcOutsideFilesIsAnErrorNotMoshier(t *testing.T) {
	t.Parallel()
	eph := open(t)
	for _, tm := range []time.Time{
		time.Date(1799, 12, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2450, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		_, err := eph.CalcTime(tm, ephemeris.Moon, 0)
		require.ErrorIs(t, err, ephemeris.ErrOutOfRange, tm)
	}
	_, err := eph.RiseTrans(ephemeris.JulianDay(time.Date(1750, 6, 1, 0, 0, 0, 0, time.UTC)),
		ephemeris.Sun, ephemeris.EventRise, ephemeris.GeoPos{Lat: 10}, ephemeris.StandardAtmosphere)
	require.ErrorIs(t, err, ephemeris.ErrOutOfRange)
}

func TestCalcRejectsOtherEphemerides(t *testing.T) {
	t.Parallel()
	eph := open(t)
	_, err := eph.Calc(2451545.0, ephemeris.Sun, ephemeris.Flag(4)) // SEFLG_MOSEPH
	require.ErrorContains(t, err, "only the Swiss Ephemeris files")
	_, err = eph.Calc(2451545.0, ephemeris.Sun, ephemeris.Flag(32*1024)) // SEFLG_TOPOCTR
	require.ErrorContains(t, err, "not supported")
	eq, err := eph.Calc(2451545.0, ephemeris.Sun, ephemeris.FlagEquatorial)
	require.NoError(t, err)
	require.InDelta(t, -23.03, eq.Latitude, 0.01, "declination of the Sun on 2000-01-01")
}

func TestCalcSunAtJ2000(t *testing.T) {
	t.Parallel()
	eph := open(t)
	// Astronomical Almanac: apparent solar longitude at 2000-01-01 12:00 TT is 280.37°; at 12:00
	// UT (64 s earlier) it is within 0.001° of that.
	p, err := eph.Calc(2451545.0, ephemeris.Sun, 0)
	require.NoError(t, err)
	require.InDelta(t, 280.37, p.Longitude, 0.01)
	require.InDelta(t, 1.019, p.LongitudeSpeed, 0.001)
	require.InDelta(t, 0.9833, p.Distance, 0.0001)
}

func TestJulianDayRoundTrip(t *testing.T) {
	t.Parallel()
	cases := []time.Time{
		time.Date(2000, 1, 1, 12, 0, 0, 0, time.UTC),
		time.Date(1969, 7, 20, 20, 17, 40, 0, time.UTC),
		time.Date(2015, 3, 13, 17, 0, 0, 0, time.UTC),
		time.Date(2099, 12, 31, 23, 59, 59, 500_000_000, time.UTC),
	}
	for _, tm := range cases {
		jd := ephemeris.JulianDay(tm)
		h := float64(tm.Hour()) + float64(tm.Minute())/60 + (float64(tm.Second())+float64(tm.Nanosecond())/1e9)/3600
		require.InDelta(t, ephemeris.JulDay(tm.Year(), int(tm.Month()), tm.Day(), h), jd, 1e-9, tm)
		back := ephemeris.TimeFromJulianDay(jd)
		require.WithinDuration(t, tm, back, 100*time.Microsecond)
		y, m, d, hour := ephemeris.RevJul(jd)
		require.Equal(t, []int{tm.Year(), int(tm.Month()), tm.Day()}, []int{y, m, d})
		require.InDelta(t, h, hour, 1e-6)
	}
	require.Equal(t, 2451545.0, ephemeris.JulianDay(time.Date(2000, 1, 1, 12, 0, 0, 0, time.UTC)))
	// Dates before 1970 must floor, not truncate, the day count.
	require.InDelta(t, 2440587.25, ephemeris.JulianDay(time.Date(1969, 12, 31, 18, 0, 0, 0, time.UTC)), 1e-9)
}

func TestRiseTransPolarNightIsNoEvent(t *testing.T) {
	t.Parallel()
	eph := open(t)
	svalbard := ephemeris.GeoPos{Lng: 15.6, Lat: 78.2}
	_, err := eph.NextEvent(time.Date(2024, 12, 21, 0, 0, 0, 0, time.UTC), ephemeris.Sun, ephemeris.EventRise, svalbard, ephemeris.StandardAtmosphere)
	require.ErrorIs(t, err, ephemeris.ErrNoEvent)
}

func TestRiseBeforeSetAndAtmosphereMatters(t *testing.T) {
	t.Parallel()
	eph := open(t)
	place := ephemeris.GeoPos{Lng: 67.0, Lat: 24.86}
	from := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC).Add(-5 * time.Hour)
	rise, err := eph.NextEvent(from, ephemeris.Sun, ephemeris.EventRise, place, ephemeris.StandardAtmosphere)
	require.NoError(t, err)
	set, err := eph.NextEvent(rise, ephemeris.Sun, ephemeris.EventSet, place, ephemeris.StandardAtmosphere)
	require.NoError(t, err)
	require.True(t, set.After(rise))
	require.InDelta(t, 13.6, set.Sub(rise).Hours(), 0.3)

	noRefr, err := eph.NextEvent(from, ephemeris.Sun, ephemeris.EventRise|ephemeris.EventNoRefraction, place, ephemeris.StandardAtmosphere)
	require.NoError(t, err)
	// Refraction lifts the Sun by ~34′, so the geometric rise comes a couple of minutes later.
	require.Greater(t, noRefr.Sub(rise), time.Minute)
}

func TestConcurrentCallsAgree(t *testing.T) {
	t.Parallel()
	eph := open(t)
	jd := 2460000.5
	want := make([]ephemeris.Position, 7)
	bodies := []ephemeris.Body{ephemeris.Sun, ephemeris.Moon, ephemeris.Mercury, ephemeris.Venus, ephemeris.Mars, ephemeris.Jupiter, ephemeris.Saturn}
	require.NoError(t, eph.CalcMany(jd, bodies, 0, want))
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				b := bodies[(g+i)%7]
				p, err := eph.Calc(jd, b, 0)
				if err != nil {
					errs <- err
					return
				}
				if math.Abs(p.Longitude-want[(g+i)%7].Longitude) > 1e-12 {
					errs <- errors.New("concurrent result differs")
					return
				}
				// Interleave other dates so libswe's internal caches are exercised.
				if _, err := eph.Calc(jd+float64(i), b, 0); err != nil {
					errs <- err
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

func BenchmarkCalcSevenPlanets(b *testing.B) {
	eph := open(b)
	bodies := []ephemeris.Body{ephemeris.Sun, ephemeris.Moon, ephemeris.Mercury, ephemeris.Venus, ephemeris.Mars, ephemeris.Jupiter, ephemeris.Saturn}
	out := make([]ephemeris.Position, 7)
	jd := 2460000.5
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := eph.CalcMany(jd+float64(i%1000)/24, bodies, 0, out); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSunrise(b *testing.B) {
	eph := open(b)
	place := ephemeris.GeoPos{Lng: 67.0, Lat: 24.86}
	jd := 2460000.5
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := eph.RiseTrans(jd+float64(i%1000), ephemeris.Sun, ephemeris.EventRise, place, ephemeris.StandardAtmosphere); err != nil {
			b.Fatal(err)
		}
	}
}

// Two handles on different directories used from many goroutines: each call must read its own
// files even though libswe's path is per OS thread and goroutines hop between threads.
func TestTwoHandlesConcurrently(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, f := range []string{"sepl_18.se1", "semo_18.se1"} {
		require.NoError(t, os.Symlink(filepath.Join(ephemeris.DefaultPath, f), filepath.Join(dir, f)))
	}
	a := open(t)
	b, err := ephemeris.Open(dir)
	require.NoError(t, err)
	require.Equal(t, dir, b.Path())
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			h := a
			if g%2 == 1 {
				h = b
			}
			for i := 0; i < 40; i++ {
				if _, err := h.Calc(2460000.5+float64(i), ephemeris.Moon, 0); err != nil {
					errs <- err
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}
