package astrotiming_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/alorig/alorig/modules/astrotiming"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

const quito = "lat=-0.1807&lng=-78.4678&tz=America/Guayaquil&date=2026-09-23"

// Elevation, pressure and temperature change sunrise and sunset where they are given, are echoed
// in the answer, get their own cache entry, and default to sea level and the standard
// atmosphere (1013.25 hPa, 15 °C), as swetest -rise.
func TestAtmosphereParametersChangeRiseAndSet(t *testing.T) {
	t.Parallel()
	env, _ := start(t)
	k := apiKey(newKey(t, env, register(t, env), "developer"))
	day := func(query string) astrotiming.DayJSON {
		t.Helper()
		res, body := env.Do("GET", host, "/api/v1/hours?"+query, k, "")
		require.Equal(t, 200, res.StatusCode, body)
		var d astrotiming.DayJSON
		require.NoError(t, json.Unmarshal([]byte(body), &d))
		return d
	}
	def := day(quito)
	require.Equal(t, astrotiming.Location{Lat: -0.181, Lng: -78.468, TZ: "America/Guayaquil", Elevation: 0, Pressure: 1013.25, Temperature: 15}, def.Location)
	same := day(quito + "&elevation=0&pressure=1013.25&temperature=15")
	require.Equal(t, def, same, "the defaults said out loud give the same answer")

	high := day(quito + "&elevation=2850&pressure=0&temperature=12")
	require.Equal(t, astrotiming.Location{Lat: -0.181, Lng: -78.468, TZ: "America/Guayaquil", Elevation: 2850, Pressure: 0, Temperature: 12}, high.Location)
	// swetest -rise -geopos-78.4678,-0.1807,2850 -at0,12 puts this sunrise about 45 s after the
	// sea-level one (thinner air refracts less); the engine's agreement with swetest to the
	// second is TestRiseSetAgreesWithSwetestLive's.
	late := high.Sunrise.Sub(def.Sunrise)
	require.Greater(t, late, 30*time.Second, "thin air: a later sunrise")
	require.Less(t, late, 90*time.Second)
	require.Less(t, high.Sunset.Sub(def.Sunset), -30*time.Second, "and an earlier sunset")

	keys, err := env.Mounted("astrotiming").KV.Keys(context.Background(), "hours:v2:2026-09-23:*")
	require.NoError(t, err)
	require.Len(t, keys, 2, "the default and the high place are cached apart: %v", keys)

	res, body := env.Do("GET", host, "/api/v1/now?lat=-0.1807&lng=-78.4678&tz=America/Guayaquil&elevation=2850&temperature=-5", k, "")
	require.Equal(t, 200, res.StatusCode, body)
	require.Contains(t, body, `"elevation":2850,"pressure":1013.25,"temperature":-5`)
}

func TestBadAtmosphereNamesTheField(t *testing.T) {
	t.Parallel()
	env, _ := start(t)
	k := apiKey(newKey(t, env, register(t, env), "premium"))
	bad := func(name, path, field string, extra ...string) testkit.Scenario {
		return testkit.Scenario{Name: name, Host: host, Path: path, Header: k, Status: 422,
			Contains: append([]string{`"field":"` + field + `"`, `"status":422`}, extra...)}
	}
	body := func(name, path, payload string, contains ...string) testkit.Scenario {
		return testkit.Scenario{Name: name, Method: "POST", Host: host, Path: path, Header: k, Body: payload, Status: 422,
			Contains: append([]string{`"status":422`}, contains...)}
	}
	rows := []testkit.Scenario{
		bad("elevation too high", "/api/v1/hours?"+lahore+"&elevation=9001", "elevation", "between -500 and 9000 metres"),
		bad("elevation not a number", "/api/v1/hours?"+lahore+"&elevation=high", "elevation", "is not a decimal number"),
		bad("pressure too low", "/api/v1/now?"+lahore+"&pressure=499", "pressure", "between 500 and 1100 hPa, or 0"),
		bad("pressure NaN", "/api/v1/tqs?activity=writing&"+lahore+"&pressure=NaN", "pressure"),
		bad("temperature too hot", "/api/v1/search?activity=writing&"+lahore+"&temperature=61", "temperature", "between -60 and 60"),
		bad("all three at once", "/api/v1/hours?"+lahore+"&elevation=-501&pressure=1101&temperature=-61", "elevation", `"field":"pressure"`, `"field":"temperature"`),
		body("bulk item", "/api/v1/tqs/bulk", `{"lat":31.5,"lng":74.3,"tz":"Asia/Karachi","pressure":900,"items":[{"activity":"writing","at":"2026-03-11T10:00:00Z","pressure":2000}]}`,
			`"field":"items[0].pressure"`),
		body("schedule", "/api/v1/schedule", `{"lat":31.5,"lng":74.3,"tz":"Asia/Karachi","temperature":99,"items":[{"activity":"writing","duration_minutes":60}]}`,
			`"field":"temperature"`),
		body("conflict check", "/api/v1/schedule/check", `{"lat":31.5,"lng":74.3,"tz":"Asia/Karachi","elevation":10000,"saved":true}`,
			`"field":"elevation"`),
		body("ask", "/api/v1/ask", `{"question":"when should I write in Lahore?","pressure":10}`, `"field":"pressure"`),
	}
	env.Run(t, rows)
	res, b := env.Do("GET", host, "/api/v1/hours?"+lahore+"&temperature=100", k, "")
	require.Equal(t, 422, res.StatusCode, b)
	require.Equal(t, "application/problem+json", res.Header.Get("Content-Type"))

	// A valid body with the three given is answered.
	res, b = env.Do("POST", host, "/api/v1/tqs/bulk", k,
		`{"lat":31.5,"lng":74.3,"tz":"Asia/Karachi","elevation":217,"items":[{"activity":"writing","at":"2026-03-11T10:00:00Z","temperature":30}]}`)
	require.Equal(t, 200, res.StatusCode, b)
	require.Contains(t, b, `"elevation":217,"pressure":1013.25,"temperature":30`, "an item's temperature with the request's elevation")
}

func TestDayPageTakesTheAtmosphere(t *testing.T) {
	t.Parallel()
	env, _ := start(t)
	env.Run(t, []testkit.Scenario{
		{Name: "default air in the footer", Host: host, Path: "/", Status: 200,
			Contains: []string{"(sea level, 1013.25 hPa, 15 °C)", `href="/source"`}},
		{Name: "given air", Host: host, Path: "/?city=Lahore&elevation=217&temperature=30", Status: 200,
			Contains: []string{"(217 m, 1013.25 hPa, 30 °C)", `name="elevation" size="5" inputmode="decimal" value="217"`}},
		{Name: "pressure from the elevation", Host: host, Path: "/?city=Lahore&elevation=217&pressure=0", Status: 200,
			Contains: []string{"(217 m, pressure from the elevation, 15 °C)"}},
		{Name: "bad pressure", Host: host, Path: "/?city=Lahore&pressure=2000", Status: 422,
			Contains: []string{"Pressure: must be between 500 and 1100 hPa, or 0 to estimate it from the elevation."}, NotContains: []string{"astrotiming: pressure"}},
	})
}
