package engine

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/alorig/alorig/shared/ephemeris"
)

// The files under testdata/ come from scripts/astrotiming-testdata.sh (swetest, same ephemeris
// files, same atmosphere). Rise and set must agree within 1 s, longitudes within 0.0001°.

type riseSetCase struct {
	name, zone string
	lat, lng   float64
	date       Date
	events     [][2]time.Time // rise, set per swetest line
}

func parseSwetestTime(t *testing.T, date, clock string) time.Time {
	t.Helper()
	d := strings.Split(date, ".")
	require.Len(t, d, 3)
	tm, err := time.Parse("2006-1-2 15:04:05.0", d[2]+"-"+d[1]+"-"+d[0]+" "+clock)
	require.NoError(t, err)
	return tm
}

func loadRiseSet(t *testing.T) []*riseSetCase {
	f, err := os.Open("testdata/riseset.txt")
	require.NoError(t, err)
	defer f.Close()
	var cases []*riseSetCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		switch {
		case len(fs) == 0 || strings.HasPrefix(fs[0], "#"):
		case fs[0] == "case":
			lat, err := strconv.ParseFloat(fs[3], 64)
			require.NoError(t, err)
			lng, err := strconv.ParseFloat(fs[4], 64)
			require.NoError(t, err)
			d, err := ParseDate("date", fs[5])
			require.NoError(t, err)
			cases = append(cases, &riseSetCase{name: fs[1], zone: fs[2], lat: lat, lng: lng, date: d})
		case fs[0] == "rise":
			c := cases[len(cases)-1]
			c.events = append(c.events, [2]time.Time{parseSwetestTime(t, fs[1], fs[2]), parseSwetestTime(t, fs[4], fs[5])})
		}
	}
	require.NoError(t, sc.Err())
	require.GreaterOrEqual(t, len(cases), 10)
	return cases
}

func TestRiseSetAgreesWithSwetest(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	for _, c := range loadRiseSet(t) {
		t.Run(c.name, func(t *testing.T) {
			require.GreaterOrEqual(t, len(c.events), 2)
			place := Place{Lat: c.lat, Lng: c.lng, Zone: mustZone(t, c.zone)}
			day, err := e.Day(place, c.date)
			require.NoError(t, err)
			// swetest prints tenths of a second.
			require.WithinDuration(t, c.events[0][0], day.Sunrise, time.Second, "sunrise")
			require.WithinDuration(t, c.events[0][1], day.Sunset, time.Second, "sunset")
			require.WithinDuration(t, c.events[1][0], day.NextSunrise, time.Second, "next sunrise")
			require.Equal(t, c.date, DateOf(day.Sunrise.In(place.Zone)))
			require.Equal(t, DayRuler(day.Sunrise.In(place.Zone).Weekday()), day.DayRuler)
			require.Len(t, day.Hours, 24)
			require.Equal(t, day.Sunrise, day.Hours[0].Start)
			require.Equal(t, day.Sunset, day.Hours[12].Start)
			require.Equal(t, day.NextSunrise, day.Hours[23].End)
			for i := 1; i < 24; i++ {
				require.Equal(t, day.Hours[i-1].End, day.Hours[i].Start)
			}
		})
	}
}

func TestLongitudesAgreeWithSwetest(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	f, err := os.Open("testdata/longitudes.txt")
	require.NoError(t, err)
	defer f.Close()
	var at time.Time
	var ps *Positions
	checked := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "":
		case strings.HasPrefix(line, "at "):
			at, err = time.Parse(time.RFC3339, strings.TrimPrefix(line, "at "))
			require.NoError(t, err)
			ps, err = e.Positions(at)
			require.NoError(t, err)
		default:
			fs := strings.Split(line, ",")
			require.Len(t, fs, 4, line)
			var v [4]float64
			for i, s := range fs {
				v[i], err = strconv.ParseFloat(strings.TrimSpace(s), 64)
				require.NoError(t, err, line)
			}
			p := ps.Planet(Planet(int(v[0])))
			require.InDelta(t, v[1], p.Longitude, 0.0001, "%s longitude at %s", p.Name, at)
			require.InDelta(t, v[2], p.Latitude, 0.0001, "%s latitude at %s", p.Name, at)
			require.InDelta(t, v[3], p.Speed, 0.0001, "%s speed at %s", p.Name, at)
			checked++
		}
	}
	require.NoError(t, sc.Err())
	require.GreaterOrEqual(t, checked, 42)
}

func TestStandardAtmosphereIsTheDefault(t *testing.T) {
	t.Parallel()
	require.Equal(t, ephemeris.StandardAtmosphere, newEngine(t).Atmosphere())
}
