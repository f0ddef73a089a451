package engine

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/alorig/alorig/shared/ephemeris"
)

// MaxRangeDays bounds forward searches and schedules.
const MaxRangeDays = 90

// ErrInvalid is wrapped by every *FieldError.
var ErrInvalid = errors.New("astrotiming: invalid input")

// FieldError names the input field that is wrong and why; the HTTP layer turns it into a
// problem+json answer.
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string { return "astrotiming: " + e.Field + ": " + e.Reason }

// Unwrap lets errors.Is(err, ErrInvalid) match.
func (e *FieldError) Unwrap() error { return ErrInvalid }

// Place is where the hours are computed: latitude north-positive, longitude east-positive, in
// degrees, elevation in metres, and the IANA zone that defines the local date. Atm, when set,
// is the air that refracts the Sun at rise and set there; nil means the engine's default
// (ephemeris.StandardAtmosphere unless WithAtmosphere said otherwise).
type Place struct {
	Lat  float64
	Lng  float64
	Alt  float64
	Zone *time.Location
	Atm  *ephemeris.Atmosphere
}

// Ranges of the refraction inputs. Pressure 0 is allowed on its own: libswe then estimates it
// from the elevation, as swe_rise_trans documents.
const (
	MinElevation   = -500.0
	MaxElevation   = 9000.0
	MinPressure    = 500.0
	MaxPressure    = 1100.0
	MinTemperature = -60.0
	MaxTemperature = 60.0
)

// Validate checks the ranges of a Place built by hand.
func (p Place) Validate() error {
	if err := checkLat(p.Lat); err != nil {
		return err
	}
	if err := checkLng(p.Lng); err != nil {
		return err
	}
	if p.Zone == nil {
		return &FieldError{Field: "tz", Reason: "time zone is required"}
	}
	if err := CheckElevation(p.Alt); err != nil {
		return err
	}
	if p.Atm != nil {
		if err := CheckPressure(p.Atm.PressureHPa); err != nil {
			return err
		}
		if err := CheckTemperature(p.Atm.TemperatureC); err != nil {
			return err
		}
	}
	return nil
}

// CheckPressure accepts 0 ("estimate from the elevation") or 500–1100 hPa.
func CheckPressure(v float64) error {
	if v != 0 && (math.IsNaN(v) || v < MinPressure || v > MaxPressure) {
		return &FieldError{Field: "pressure", Reason: "must be between 500 and 1100 hPa, or 0 to estimate it from the elevation"}
	}
	return nil
}

// CheckTemperature accepts −60 … 60 °C.
func CheckTemperature(v float64) error {
	if math.IsNaN(v) || v < MinTemperature || v > MaxTemperature {
		return &FieldError{Field: "temperature", Reason: "must be between -60 and 60 °C"}
	}
	return nil
}

// CheckElevation accepts −500 … 9000 metres.
func CheckElevation(v float64) error {
	if math.IsNaN(v) || v < MinElevation || v > MaxElevation {
		return &FieldError{Field: "elevation", Reason: "must be between -500 and 9000 metres"}
	}
	return nil
}

func checkLat(v float64) error {
	if math.IsNaN(v) || v < -90 || v > 90 {
		return &FieldError{Field: "lat", Reason: "must be a number between -90 and 90"}
	}
	return nil
}

func checkLng(v float64) error {
	if math.IsNaN(v) || v < -180 || v > 180 {
		return &FieldError{Field: "lng", Reason: "must be a number between -180 and 180"}
	}
	return nil
}

// ParseLat reads a latitude in decimal degrees (−90 … 90).
func ParseLat(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, &FieldError{Field: "lat", Reason: fmt.Sprintf("%q is not a decimal number", clip(s))}
	}
	return v, checkLat(v)
}

// ParseLng reads a longitude in decimal degrees, east positive (−180 … 180).
func ParseLng(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, &FieldError{Field: "lng", Reason: fmt.Sprintf("%q is not a decimal number", clip(s))}
	}
	return v, checkLng(v)
}

// ParseZone loads an IANA time zone ("Asia/Karachi"). "Local" and empty names are refused so a
// server's own zone never leaks into a user's answer.
func ParseZone(s string) (*time.Location, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "Local" || len(s) > 64 || strings.Contains(s, "..") || strings.HasPrefix(s, "/") {
		return nil, &FieldError{Field: "tz", Reason: fmt.Sprintf("%q is not an IANA time zone name", clip(s))}
	}
	if loc, ok := zones.Load(s); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(s)
	if err != nil {
		return nil, &FieldError{Field: "tz", Reason: fmt.Sprintf("%q is not an IANA time zone name", clip(s))}
	}
	zones.Store(s, loc)
	return loc, nil
}

// zones caches loaded time zones: time.LoadLocation reads and parses the tzdata file on every
// call, which was an eighth of the cost of a cached hours request. Only names that loaded are
// stored, so the map is bounded by the zone database (about 600 names).
var zones sync.Map

// ParsePlace reads the three query values the HTTP layer receives.
func ParsePlace(lat, lng, tz string) (Place, error) {
	la, err := ParseLat(lat)
	if err != nil {
		return Place{}, err
	}
	ln, err := ParseLng(lng)
	if err != nil {
		return Place{}, err
	}
	zone, err := ParseZone(tz)
	if err != nil {
		return Place{}, err
	}
	return Place{Lat: la, Lng: ln, Zone: zone}, nil
}

// Date is a calendar date without a zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf is the calendar date of t in its own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// String is YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// MarshalText writes YYYY-MM-DD.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD, so JSON written by the API decodes back (clients, tests).
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate("date", string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// AddDays moves the date by n days.
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// Midnight is the first instant of the date in loc.
func (d Date) Midnight(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// DaysUntil counts calendar days from d to o.
func (d Date) DaysUntil(o Date) int {
	a := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
	b := time.Date(o.Year, o.Month, o.Day, 12, 0, 0, 0, time.UTC)
	return int(math.Round(b.Sub(a).Hours() / 24))
}

// ParseDate reads YYYY-MM-DD strictly (no normalisation of 2026-02-31).
func ParseDate(field, s string) (Date, error) {
	s = strings.TrimSpace(s)
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || len(s) != 10 {
		return Date{}, &FieldError{Field: field, Reason: fmt.Sprintf("%q is not a date in the form YYYY-MM-DD", clip(s))}
	}
	if t.Year() < 1801 || t.Year() > 2398 {
		return Date{}, &FieldError{Field: field, Reason: "must lie between 1801 and 2398 (the ephemeris files)"}
	}
	return DateOf(t), nil
}

// ParseRange reads a from/to date pair (inclusive) of at most MaxRangeDays days.
func ParseRange(from, to string) (Date, Date, error) {
	f, err := ParseDate("from", from)
	if err != nil {
		return Date{}, Date{}, err
	}
	t, err := ParseDate("to", to)
	if err != nil {
		return Date{}, Date{}, err
	}
	n := f.DaysUntil(t)
	if n < 0 {
		return Date{}, Date{}, &FieldError{Field: "to", Reason: "must not be before from"}
	}
	if n+1 > MaxRangeDays {
		return Date{}, Date{}, &FieldError{Field: "to", Reason: fmt.Sprintf("range is %d days; at most %d are allowed", n+1, MaxRangeDays)}
	}
	return f, t, nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
