package engine

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/alorig/alorig/shared/ephemeris"
)

// flatlib's published recipe (recipes/planetarytime.py): 2015-03-13 17:00 UT at 38°32′N 8°54′W
// is Friday, ruled by Venus; hour 11 is Saturn's, 16:42:10–17:41:20 UT. flatlib calls
// swe_rise_trans with pressure and temperature 0, which libswe reads as 1013.25 hPa and 0 °C.
func TestFlatlibPlanetaryTimeExample(t *testing.T) {
	t.Parallel()
	e := newEngine(t, WithAtmosphere(ephemeris.Atmosphere{PressureHPa: 0, TemperatureC: 0}))
	place := Place{Lat: 38 + 32.0/60, Lng: -(8 + 54.0/60), Zone: time.UTC}
	at := time.Date(2015, 3, 13, 17, 0, 0, 0, time.UTC)
	day, hour, err := e.HourAt(place, at)
	require.NoError(t, err)
	require.Equal(t, time.Friday, day.Sunrise.Weekday())
	require.Equal(t, Venus, day.DayRuler)
	require.Equal(t, 11, hour.Index)
	require.Equal(t, Saturn, hour.Ruler)
	require.True(t, hour.IsDay)
	t.Logf("hour 11: %s – %s", hour.Start.Format("15:04:05.000"), hour.End.Format("15:04:05.000"))
	require.Equal(t, "16:42:10", hour.Start.Round(time.Second).Format(time.TimeOnly))
	require.Equal(t, "17:41:20", hour.End.Round(time.Second).Format(time.TimeOnly))
	// Night ruler (first night hour) as in flatlib: Mars.
	require.Equal(t, Mars, day.Hours[12].Ruler)
}
