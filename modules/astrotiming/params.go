package astrotiming

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/ephemeris"
	"github.com/alorig/alorig/shared/web"
)

// placeQuery reads lat, lng and tz from a query string, and the optional elevation (metres),
// pressure (hPa) and temperature (°C) that set refraction at rise and set (default: sea level
// and the standard atmosphere, 1013.25 hPa and 15 °C, as `swetest -rise`). When tz is optional
// and absent, UTC is used. Coordinates are rounded to engine.CoordDecimals.
func placeQuery(q url.Values, tzRequired bool) (engine.Place, error) {
	tz := q.Get("tz")
	if tz == "" && !tzRequired {
		tz = "UTC"
	}
	// Each of the three is checked on its own, so one answer names every bad field.
	var errs fieldErrors
	add := func(err error) {
		var fe *engine.FieldError
		if errors.As(err, &fe) {
			errs = append(errs, fe)
		}
	}
	var p engine.Place
	var err error
	if q.Get("lat") == "" {
		add(&engine.FieldError{Field: "lat", Reason: "is required"})
	} else if p.Lat, err = engine.ParseLat(q.Get("lat")); err != nil {
		add(err)
	}
	if q.Get("lng") == "" {
		add(&engine.FieldError{Field: "lng", Reason: "is required"})
	} else if p.Lng, err = engine.ParseLng(q.Get("lng")); err != nil {
		add(err)
	}
	if tz == "" {
		add(&engine.FieldError{Field: "tz", Reason: "is required (an IANA zone such as Asia/Karachi)"})
	} else if p.Zone, err = engine.ParseZone(tz); err != nil {
		add(err)
	}
	airQuery(q, &p, add)
	switch len(errs) {
	case 0:
	case 1:
		return engine.Place{}, errs[0]
	default:
		return engine.Place{}, errs
	}
	p.Lat, p.Lng = engine.RoundCoord(p.Lat), engine.RoundCoord(p.Lng)
	return p, nil
}

// airQuery sets p's elevation and atmosphere from q's elevation, pressure and temperature, each
// defaulting to sea level and ephemeris.StandardAtmosphere; a bad value goes to add.
func airQuery(q url.Values, p *engine.Place, add func(error)) {
	atm := ephemeris.StandardAtmosphere
	p.Alt = optFloat(q, "elevation", 0, engine.CheckElevation, add)
	atm.PressureHPa = optFloat(q, "pressure", atm.PressureHPa, engine.CheckPressure, add)
	atm.TemperatureC = optFloat(q, "temperature", atm.TemperatureC, engine.CheckTemperature, add)
	p.Atm = &atm
}

// withAir is p at the elevation and in the air a gives (defaults for members it leaves out):
// for places that come from a name or a saved row rather than from coordinates sent.
func withAir(p engine.Place, a AtmosphereInput) (engine.Place, error) {
	var errs fieldErrors
	airQuery(a.addTo(url.Values{}), &p, func(err error) {
		var fe *engine.FieldError
		if errors.As(err, &fe) {
			errs = append(errs, fe)
		}
	})
	switch len(errs) {
	case 0:
		return p, nil
	case 1:
		return p, errs[0]
	}
	return p, errs
}

// optFloat reads an optional decimal query value checked by check; absent gives def. A bad one
// is handed to add and def returned.
func optFloat(q url.Values, field string, def float64, check func(float64) error, add func(error)) float64 {
	s := strings.TrimSpace(q.Get(field))
	if s == "" {
		return def
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		add(&engine.FieldError{Field: field, Reason: fmt.Sprintf("%q is not a decimal number", clip(s))})
		return def
	}
	if err := check(v); err != nil {
		add(err)
		return def
	}
	return v
}

// fieldErrors is several bad query fields at once. errors.As finds the first as a
// *engine.FieldError, so code that reports one field keeps working.
type fieldErrors []*engine.FieldError

func (f fieldErrors) Error() string {
	parts := make([]string, len(f))
	for i, fe := range f {
		parts[i] = fe.Error()
	}
	return strings.Join(parts, "; ")
}

func (f fieldErrors) Unwrap() []error {
	out := make([]error, len(f))
	for i, fe := range f {
		out[i] = fe
	}
	return out
}

// instantQuery reads an RFC 3339 instant; empty means now.
func instantQuery(field, s string, now time.Time) (time.Time, error) {
	if s == "" {
		return now, nil
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, &engine.FieldError{Field: field, Reason: fmt.Sprintf("%q is not an RFC 3339 time such as 2026-03-11T10:00:00Z", clip(s))}
	}
	if y := t.UTC().Year(); y < 1801 || y > 2398 {
		return time.Time{}, &engine.FieldError{Field: field, Reason: "must lie between 1801 and 2398 (the ephemeris files)"}
	}
	return t, nil
}

// intQuery reads an optional integer within [lo, hi]; empty gives def.
func intQuery(q url.Values, field string, def, lo, hi int) (int, error) {
	s := q.Get(field)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < lo || n > hi {
		return 0, &engine.FieldError{Field: field, Reason: fmt.Sprintf("must be a whole number from %d to %d", lo, hi)}
	}
	return n, nil
}

func activityQuery(field, s string) (engine.Activity, error) {
	if strings.TrimSpace(s) == "" {
		return engine.Activity{}, &engine.FieldError{Field: field, Reason: "is required (see GET /api/v1/activities)"}
	}
	a, err := engine.LookupActivity(s)
	if err != nil {
		var fe *engine.FieldError
		if errors.As(err, &fe) {
			return engine.Activity{}, &engine.FieldError{Field: field, Reason: fe.Reason}
		}
		return engine.Activity{}, &engine.FieldError{Field: field, Reason: fmt.Sprintf("no activity matches %q (see GET /api/v1/activities)", clip(s))}
	}
	return a, nil
}

// HoursQuery is a parsed GET /api/v1/hours.
type HoursQuery struct {
	Place engine.Place
	Date  engine.Date
}

// ParseHoursQuery reads lat, lng, tz (required) and date (default: today in tz).
func ParseHoursQuery(q url.Values, now time.Time) (HoursQuery, error) {
	p, err := placeQuery(q, true)
	if err != nil {
		return HoursQuery{}, err
	}
	d := engine.DateOf(now.In(p.Zone))
	if s := q.Get("date"); s != "" {
		if d, err = engine.ParseDate("date", s); err != nil {
			return HoursQuery{}, err
		}
	}
	return HoursQuery{Place: p, Date: d}, nil
}

// SearchQuery is a parsed GET /api/v1/search.
type SearchQuery struct {
	Activity engine.Activity
	Place    engine.Place
	From     engine.Date
	Days     int
	MinScore int
	Limit    int
}

// ParseSearchQuery reads activity, lat, lng, tz (default UTC), from and to (inclusive dates,
// default the next 7 days, at most 90), min_score and limit.
func ParseSearchQuery(q url.Values, now time.Time) (SearchQuery, error) {
	act, err := activityQuery("activity", q.Get("activity"))
	if err != nil {
		return SearchQuery{}, err
	}
	p, err := placeQuery(q, false)
	if err != nil {
		return SearchQuery{}, err
	}
	today := engine.DateOf(now.In(p.Zone))
	from, to := q.Get("from"), q.Get("to")
	if from == "" {
		from = today.String()
	}
	if to == "" {
		f, err := engine.ParseDate("from", from)
		if err != nil {
			return SearchQuery{}, err
		}
		to = f.AddDays(engine.DefaultSearchDays - 1).String()
	}
	f, t, err := engine.ParseRange(from, to)
	if err != nil {
		return SearchQuery{}, err
	}
	minScore, err := intQuery(q, "min_score", engine.DefaultMinScore, 0, 100)
	if err != nil {
		return SearchQuery{}, err
	}
	limit, err := intQuery(q, "limit", engine.DefaultSearchLimit, 1, engine.MaxSearchLimit)
	if err != nil {
		return SearchQuery{}, err
	}
	return SearchQuery{Activity: act, Place: p, From: f, Days: f.DaysUntil(t) + 1, MinScore: minScore, Limit: limit}, nil
}

// TQSQuery is a parsed GET /api/v1/tqs.
type TQSQuery struct {
	Activity engine.Activity
	Place    engine.Place
	At       time.Time
}

// ParseTQSQuery reads activity, lat, lng, tz (default UTC) and at (default now).
func ParseTQSQuery(q url.Values, now time.Time) (TQSQuery, error) {
	act, err := activityQuery("activity", q.Get("activity"))
	if err != nil {
		return TQSQuery{}, err
	}
	p, err := placeQuery(q, false)
	if err != nil {
		return TQSQuery{}, err
	}
	at, err := instantQuery("at", q.Get("at"), now)
	if err != nil {
		return TQSQuery{}, err
	}
	return TQSQuery{Activity: act, Place: p, At: at}, nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// AtmosphereInput is the optional elevation and air of a JSON request, for refraction at rise
// and set; embedded in every request body whose answer depends on sunrise and sunset. Absent
// members take the defaults of the query parameters of the same names.
type AtmosphereInput struct {
	Elevation   *float64 `json:"elevation,omitempty" doc:"metres above sea level, -500 to 9000 (default 0)"`
	Pressure    *float64 `json:"pressure,omitempty" doc:"air pressure in hPa for refraction at rise and set, 500 to 1100, or 0 to estimate it from the elevation (default 1013.25)"`
	Temperature *float64 `json:"temperature,omitempty" doc:"air temperature in °C for refraction at rise and set, -60 to 60 (default 15)"`
}

// addTo writes the members given into q, for placeQuery, and returns q.
func (a AtmosphereInput) addTo(q url.Values) url.Values {
	for _, f := range []struct {
		name string
		v    *float64
	}{{"elevation", a.Elevation}, {"pressure", a.Pressure}, {"temperature", a.Temperature}} {
		if f.v != nil {
			q.Set(f.name, strconv.FormatFloat(*f.v, 'g', -1, 64))
		}
	}
	return q
}

// or is a with each absent member taken from def.
func (a AtmosphereInput) or(def AtmosphereInput) AtmosphereInput {
	if a.Elevation == nil {
		a.Elevation = def.Elevation
	}
	if a.Pressure == nil {
		a.Pressure = def.Pressure
	}
	if a.Temperature == nil {
		a.Temperature = def.Temperature
	}
	return a
}

// airErrors is withAir's error as the field errors of a JSON body.
func airErrors(err error) []web.FieldError {
	var many fieldErrors
	if errors.As(err, &many) {
		out := make([]web.FieldError, len(many))
		for i, fe := range many {
			out[i] = web.FieldError{Field: fe.Field, Reason: fe.Reason}
		}
		return out
	}
	fe := fieldErr(err)
	return []web.FieldError{{Field: fe.Field, Reason: fe.Reason}}
}

// airForm reads a page form's elevation, pressure and temperature (each optional) and checks
// them as the API does.
func airForm(elevation, pressure, temperature string) (AtmosphereInput, error) {
	q := url.Values{"elevation": {elevation}, "pressure": {pressure}, "temperature": {temperature}}
	var p engine.Place
	var errs fieldErrors
	airQuery(q, &p, func(err error) {
		var fe *engine.FieldError
		if errors.As(err, &fe) {
			errs = append(errs, fe)
		}
	})
	if len(errs) > 0 {
		return AtmosphereInput{}, errs[0]
	}
	var a AtmosphereInput
	if strings.TrimSpace(elevation) != "" {
		a.Elevation = &p.Alt
	}
	if strings.TrimSpace(pressure) != "" {
		a.Pressure = &p.Atm.PressureHPa
	}
	if strings.TrimSpace(temperature) != "" {
		a.Temperature = &p.Atm.TemperatureC
	}
	return a, nil
}
