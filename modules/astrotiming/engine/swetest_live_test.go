package engine

import (
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/alorig/alorig/shared/ephemeris"
)

// TestRiseSetAgreesWithSwetestLive runs the reference program itself (Debian's swetest, on the
// same ephemeris files) for places across latitudes, with and without elevation and air
// given, and requires every sunrise and sunset of the planetary day to agree within 1 s. Without
// any atmosphere given, the engine's default must be swetest's default (no -at).
func TestRiseSetAgreesWithSwetestLive(t *testing.T) {
	t.Parallel()
	bin, err := exec.LookPath("swetest")
	if err != nil {
		t.Skip("swetest is not installed, so the live comparison with the reference program is skipped " +
			"(install Debian's swetest: scripts/dev/ensure-packages.sh build); testdata/riseset.txt is still compared by TestRiseSetAgreesWithSwetest")
	}
	std := func(p, c float64) *ephemeris.Atmosphere {
		return &ephemeris.Atmosphere{PressureHPa: p, TemperatureC: c}
	}
	cases := []struct {
		name, zone, date string
		lat, lng, elev   float64
		atm              *ephemeris.Atmosphere // nil: neither the engine nor swetest is told one
	}{
		{"reykjavik_june", "Atlantic/Reykjavik", "2026-06-21", 64.1466, -21.9426, 0, nil},
		{"reykjavik_march", "Atlantic/Reykjavik", "2026-03-20", 64.1466, -21.9426, 0, nil},
		{"karachi", "Asia/Karachi", "2026-06-21", 24.8607, 67.0011, 0, nil},
		{"lahore_winter", "Asia/Karachi", "2026-12-21", 31.5497, 74.3436, 0, nil},
		{"lahore_summer", "Asia/Karachi", "2026-06-21", 31.5497, 74.3436, 217, nil},
		{"london_dst_start", "Europe/London", "2026-03-29", 51.5074, -0.1278, 0, nil},
		{"london_winter", "Europe/London", "2026-12-21", 51.5074, -0.1278, 0, nil},
		{"sydney", "Australia/Sydney", "2026-10-04", -33.8688, 151.2093, 0, nil},
		{"quito_sea_level", "America/Guayaquil", "2026-09-23", -0.1807, -78.4678, 0, nil},
		{"quito_2850m", "America/Guayaquil", "2026-09-23", -0.1807, -78.4678, 2850, nil},
		{"quito_2850m_pressure_from_elevation", "America/Guayaquil", "2026-09-23", -0.1807, -78.4678, 2850, std(0, 12)},
		{"la_paz_3640m_measured_air", "America/La_Paz", "2026-07-15", -16.4897, -68.1193, 3640, std(650, 5)},
		{"lhasa_3650m_cold", "Asia/Shanghai", "2026-01-10", 29.6520, 91.1721, 3650, std(0, -15)},
		{"dead_sea_minus_430m_hot", "Asia/Jerusalem", "2026-07-01", 31.5590, 35.4732, -430, std(1065, 40)},
		{"tromso_autumn", "Europe/Oslo", "2026-10-25", 69.6492, 18.9553, 0, nil},
		{"reykjavik_june_10c", "Atlantic/Reykjavik", "2026-06-21", 64.1466, -21.9426, 0, std(1013.25, 10)},
	}
	e := newEngine(t)
	require.Equal(t, ephemeris.StandardAtmosphere, e.Atmosphere(), "the default is swetest's -at1013.25,15")
	var diffs []time.Duration
	for _, c := range cases {
		zone := mustZone(t, c.zone)
		date, err := ParseDate("date", c.date)
		require.NoError(t, err)
		day, err := e.Day(Place{Lat: c.lat, Lng: c.lng, Alt: c.elev, Zone: zone, Atm: c.atm}, date)
		require.NoError(t, err, c.name)

		args := []string{"-rise", fmt.Sprintf("-bj%.8f", ephemeris.JulianDay(date.Midnight(zone))), "-p0",
			fmt.Sprintf("-geopos%g,%g,%g", c.lng, c.lat, c.elev), "-n2", "-head", "-edir" + ephemeris.DefaultPath}
		if c.atm != nil {
			args = append(args, fmt.Sprintf("-at%g,%g", c.atm.PressureHPa, c.atm.TemperatureC))
		}
		out, err := exec.Command(bin, args...).Output()
		require.NoError(t, err, "swetest %s", strings.Join(args, " "))
		var events [][2]time.Time
		for _, line := range strings.Split(string(out), "\n") {
			if fs := strings.Fields(line); len(fs) >= 6 && fs[0] == "rise" && fs[3] == "set" {
				events = append(events, [2]time.Time{parseSwetestTime(t, fs[1], fs[2]), parseSwetestTime(t, fs[4], fs[5])})
			}
		}
		require.GreaterOrEqual(t, len(events), 2, "swetest %s:\n%s", strings.Join(args, " "), out)
		for _, pair := range []struct {
			what      string
			want, got time.Time
		}{{"sunrise", events[0][0], day.Sunrise}, {"sunset", events[0][1], day.Sunset}, {"next sunrise", events[1][0], day.NextSunrise}} {
			d := pair.got.Sub(pair.want).Abs()
			diffs = append(diffs, d)
			require.LessOrEqual(t, d, time.Second, "%s %s: engine %s, swetest %s (swetest %s)", c.name, pair.what,
				pair.got.UTC().Format("15:04:05.000"), pair.want.UTC().Format("15:04:05.0"), strings.Join(args, " "))
		}
	}
	slices.Sort(diffs)
	t.Logf("%d events in %d cases: max difference %.3f s, median %.3f s (swetest prints tenths of a second)",
		len(diffs), len(cases), diffs[len(diffs)-1].Seconds(), diffs[len(diffs)/2].Seconds())
}
