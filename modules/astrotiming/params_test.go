package astrotiming_test

import (
	"errors"
	"math"
	"net/url"
	"testing"
	"time"

	"github.com/alorig/alorig/modules/astrotiming"
	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/stretchr/testify/require"
)

var fuzzNow = time.Date(2026, 3, 11, 10, 0, 0, 0, time.UTC)

var knownFields = map[string]bool{"lat": true, "lng": true, "tz": true, "date": true, "from": true, "to": true, "at": true,
	"activity": true, "min_score": true, "limit": true, "elevation": true, "pressure": true, "temperature": true}

// checkParsed holds for every query string: either a FieldError naming a known field, or
// values inside the documented ranges.
func checkParsed(t *testing.T, raw string) {
	q, err := url.ParseQuery(raw)
	if err != nil {
		return
	}
	fieldOK := func(err error) {
		var fe *engine.FieldError
		require.True(t, errors.As(err, &fe), "%q: %v is not a FieldError", raw, err)
		require.True(t, knownFields[fe.Field], "%q: unknown field %q", raw, fe.Field)
		require.NotEmpty(t, fe.Reason)
	}
	inRange := func(p engine.Place) {
		require.False(t, math.IsNaN(p.Lat) || math.IsNaN(p.Lng), raw)
		require.True(t, p.Lat >= -90 && p.Lat <= 90 && p.Lng >= -180 && p.Lng <= 180, raw)
		require.Equal(t, p.Lat, engine.RoundCoord(p.Lat))
		require.NotNil(t, p.Zone)
		require.NoError(t, p.Validate(), "%q: elevation and atmosphere within their ranges", raw)
		require.NotNil(t, p.Atm, "%q: the atmosphere used is always explicit", raw)
	}
	if h, err := astrotiming.ParseHoursQuery(q, fuzzNow); err != nil {
		fieldOK(err)
	} else {
		inRange(h.Place)
		require.True(t, h.Date.Year >= 1801 && h.Date.Year <= 2398, raw)
	}
	if s, err := astrotiming.ParseSearchQuery(q, fuzzNow); err != nil {
		fieldOK(err)
	} else {
		inRange(s.Place)
		require.True(t, s.Days >= 1 && s.Days <= engine.MaxRangeDays, "%q: %d days", raw, s.Days)
		require.True(t, s.MinScore >= 0 && s.MinScore <= 100 && s.Limit >= 1 && s.Limit <= engine.MaxSearchLimit, raw)
		require.NotEmpty(t, s.Activity.Key)
	}
	if s, err := astrotiming.ParseTQSQuery(q, fuzzNow); err != nil {
		fieldOK(err)
	} else {
		inRange(s.Place)
		require.True(t, s.At.UTC().Year() >= 1801 && s.At.UTC().Year() <= 2398, raw)
	}
}

func FuzzParseQueries(f *testing.F) {
	for _, s := range []string{
		"lat=31.5497&lng=74.3436&tz=Asia/Karachi&date=2026-03-11",
		"lat=91&lng=0&tz=UTC", "lat=NaN&lng=Inf&tz=UTC", "lat=1e308&lng=-0&tz=Local",
		"activity=writing&lat=1&lng=2&from=2026-01-01&to=2026-03-31&min_score=0&limit=100",
		"activity=%00&lat=1&lng=2&from=2026-01-01&to=2025-01-01", "activity=Write&lat=-90&lng=180&at=2026-03-11T10:00:00+05:00",
		"tz=../../etc/passwd&lat=0&lng=0", "date=2026-02-29&lat=0&lng=0&tz=UTC", "at=9999-12-31T23:59:59Z&activity=x&lat=0&lng=0",
		"lat=1&lng=2&tz=UTC&elevation=2850&pressure=0&temperature=-5", "lat=1&lng=2&tz=UTC&elevation=9001&pressure=499&temperature=NaN",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) { checkParsed(t, raw) })
}

func TestParseQueryCases(t *testing.T) {
	t.Parallel()
	q, _ := url.ParseQuery("activity=writing&lat=31.5497&lng=74.3436&tz=Asia/Karachi")
	s, err := astrotiming.ParseSearchQuery(q, fuzzNow)
	require.NoError(t, err)
	require.Equal(t, engine.DefaultSearchDays, s.Days)
	require.Equal(t, "2026-03-11", s.From.String())
	require.Equal(t, 31.55, s.Place.Lat)

	q, _ = url.ParseQuery("activity=writing&lat=0&lng=0&from=2026-01-01&to=2026-03-31")
	s, err = astrotiming.ParseSearchQuery(q, fuzzNow)
	require.NoError(t, err)
	require.Equal(t, 90, s.Days, "90 days inclusive is allowed")
	q.Set("to", "2026-04-01")
	_, err = astrotiming.ParseSearchQuery(q, fuzzNow)
	var fe *engine.FieldError
	require.ErrorAs(t, err, &fe)
	require.Equal(t, "to", fe.Field)
	require.Equal(t, 0.0, engine.RoundCoord(-0.0001), "no negative zero in keys")
}
