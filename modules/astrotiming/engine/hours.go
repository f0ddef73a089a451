package engine

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/alorig/alorig/shared/clock"
	"github.com/alorig/alorig/shared/ephemeris"
)

// Engine computes hours, positions and scores. Safe for concurrent use.
type Engine struct {
	eph   *ephemeris.Ephemeris
	atm   ephemeris.Atmosphere
	clock clock.Clock

	vocMu    sync.Mutex
	vocCache []vocPeriod // recent Moon-sign periods, newest last
}

// Option adjusts an Engine.
type Option func(*Engine)

// WithAtmosphere sets the pressure and temperature used for refraction at sunrise and sunset
// when a Place brings none (default ephemeris.StandardAtmosphere: 1013.25 hPa, 15 °C, as
// `swetest -rise`).
func WithAtmosphere(a ephemeris.Atmosphere) Option { return func(e *Engine) { e.atm = a } }

// New builds an Engine on an opened ephemeris. clk answers "now" for the *Now helpers.
func New(eph *ephemeris.Ephemeris, clk clock.Clock, opts ...Option) *Engine {
	e := &Engine{eph: eph, atm: ephemeris.StandardAtmosphere, clock: clk}
	for _, o := range opts {
		o(e)
	}
	return e
}

// Atmosphere is the refraction model used for places that bring none.
func (e *Engine) Atmosphere() ephemeris.Atmosphere { return e.atm }

// AtmosphereAt is the refraction model used at p: its own, else the engine's.
func (e *Engine) AtmosphereAt(p Place) ephemeris.Atmosphere {
	if p.Atm != nil {
		return *p.Atm
	}
	return e.atm
}

// ErrPolar is matched by *PolarError.
var ErrPolar = errors.New("astrotiming: no planetary hours at this place and date")

// PolarError reports a date without the sunrise, sunset and following sunrise that Al Saat's
// hours need (midnight sun or polar night, or a Sun that rises or sets only once in a day).
type PolarError struct {
	Date Date
	Kind string // "midnight_sun" or "polar_night"
	Lat  float64
}

func (e *PolarError) Error() string {
	return fmt.Sprintf("astrotiming: %s on %s at latitude %.4f: the Sun does not both rise and set, so there are no planetary hours", e.Kind, e.Date, e.Lat)
}

// Unwrap lets errors.Is(err, ErrPolar) match.
func (e *PolarError) Unwrap() error { return ErrPolar }

// Hour is one of the 24 unequal planetary hours of a planetary day.
type Hour struct {
	Index int       `json:"index"` // 1–12 day hours, 13–24 night hours
	Ruler Planet    `json:"ruler"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	IsDay bool      `json:"is_day"`
}

// Mid is the middle of the hour, the instant at which it is scored.
func (h Hour) Mid() time.Time { return h.Start.Add(h.End.Sub(h.Start) / 2) }

// Contains reports whether t falls in [Start, End).
func (h Hour) Contains(t time.Time) bool { return !t.Before(h.Start) && t.Before(h.End) }

// Day is a planetary day: from the sunrise on a local date to the next sunrise.
type Day struct {
	Date        Date      `json:"date"`
	Sunrise     time.Time `json:"sunrise"`
	Sunset      time.Time `json:"sunset"`
	NextSunrise time.Time `json:"next_sunrise"`
	DayRuler    Planet    `json:"day_ruler"`
	Hours       []Hour    `json:"hours"`
}

// HourAt finds the hour containing t, or false when t is outside the day.
func (d *Day) HourAt(t time.Time) (Hour, bool) {
	if t.Before(d.Sunrise) || !t.Before(d.NextSunrise) {
		return Hour{}, false
	}
	for _, h := range d.Hours {
		if h.Contains(t) {
			return h, true
		}
	}
	// Rounding can leave t a microsecond past the last computed end; it belongs to hour 24.
	return d.Hours[len(d.Hours)-1], true
}

// maxHalf bounds the daylight and the night of a planetary day: with a longer one the Sun is
// circling the pole rather than rising and setting once.
const maxHalf = 24 * time.Hour

// Day computes the planetary day that begins with the first sunrise on date in the place's zone.
func (e *Engine) Day(p Place, date Date) (*Day, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	midnight := date.Midnight(p.Zone)
	rise, err := e.nextEvent(midnight, ephemeris.EventRise, p)
	if err != nil {
		return nil, e.polarOr(err, p, date)
	}
	if DateOf(rise.In(p.Zone)) != date {
		return nil, e.polarKind(p, date)
	}
	return e.dayFromSunrise(p, date, rise)
}

func (e *Engine) dayFromSunrise(p Place, date Date, rise time.Time) (*Day, error) {
	set, err := e.nextEvent(rise, ephemeris.EventSet, p)
	if err != nil {
		return nil, e.polarOr(err, p, date)
	}
	next, err := e.nextEvent(set, ephemeris.EventRise, p)
	if err != nil {
		return nil, e.polarOr(err, p, date)
	}
	if set.Sub(rise) >= maxHalf || next.Sub(set) >= maxHalf {
		return nil, e.polarKind(p, date)
	}
	return buildDay(date, rise.In(p.Zone), set.In(p.Zone), next.In(p.Zone)), nil
}

// buildDay divides daylight and night into twelve equal parts each.
func buildDay(date Date, rise, set, next time.Time) *Day {
	ruler := DayRuler(rise.Weekday())
	d := &Day{Date: date, Sunrise: rise, Sunset: set, NextSunrise: next, DayRuler: ruler, Hours: make([]Hour, 24)}
	// Each boundary is computed once and rounded to the millisecond, so an hour's end is exactly
	// the next hour's start.
	var edges [25]time.Time
	for i := 0; i <= 12; i++ {
		edges[i] = rise.Add(set.Sub(rise) * time.Duration(i) / 12).Round(time.Millisecond)
		edges[12+i] = set.Add(next.Sub(set) * time.Duration(i) / 12).Round(time.Millisecond)
	}
	for i := 0; i < 24; i++ {
		d.Hours[i] = Hour{Index: i + 1, Ruler: HourRuler(ruler, i+1), Start: edges[i], End: edges[i+1], IsDay: i < 12}
	}
	return d
}

func (e *Engine) nextEvent(after time.Time, ev ephemeris.Event, p Place) (time.Time, error) {
	t, err := e.eph.NextEvent(after, ephemeris.Sun, ev, ephemeris.GeoPos{Lng: p.Lng, Lat: p.Lat, Alt: p.Alt}, e.AtmosphereAt(p))
	if err != nil {
		return time.Time{}, err
	}
	// Planetary hour boundaries are shown to the second; microseconds only add noise.
	return t.Round(time.Millisecond), nil
}

func (e *Engine) polarOr(err error, p Place, date Date) error {
	if errors.Is(err, ephemeris.ErrNoEvent) {
		return e.polarKind(p, date)
	}
	return fmt.Errorf("astrotiming: planetary day %s at %.4f,%.4f: %w", date, p.Lat, p.Lng, err)
}

// polarKind tells midnight sun from polar night by the Sun's declination at local noon: the Sun
// stays up when it is on the observer's side of the equator.
func (e *Engine) polarKind(p Place, date Date) error {
	noon := time.Date(date.Year, date.Month, date.Day, 12, 0, 0, 0, p.Zone)
	kind := "polar_night"
	if pos, err := e.eph.CalcTime(noon, ephemeris.Sun, ephemeris.FlagEquatorial); err == nil {
		if (pos.Latitude > 0) == (p.Lat > 0) {
			kind = "midnight_sun"
		}
	}
	return &PolarError{Date: date, Kind: kind, Lat: p.Lat}
}

// HourAt is the planetary hour containing t. A moment before the local sunrise belongs to the
// previous planetary day, whose night lasts until this sunrise.
func (e *Engine) HourAt(p Place, t time.Time) (*Day, Hour, error) {
	if p.Zone == nil {
		return nil, Hour{}, &FieldError{Field: "tz", Reason: "time zone is required"}
	}
	date := DateOf(t.In(p.Zone))
	day, err := e.Day(p, date)
	if err != nil {
		return nil, Hour{}, err
	}
	if t.Before(day.Sunrise) {
		// Before this sunrise: still the night of the previous planetary day.
		if day, err = e.Day(p, date.AddDays(-1)); err != nil {
			return nil, Hour{}, err
		}
	}
	if h, ok := day.HourAt(t); ok {
		return day, h, nil
	}
	// Only a night that ends after the local date (a sunrise just past midnight) gets here.
	if day, err = e.Day(p, date.AddDays(1)); err == nil {
		if h, ok := day.HourAt(t); ok {
			return day, h, nil
		}
	}
	return nil, Hour{}, e.polarKind(p, date)
}

// HourNow is HourAt for the engine clock's present moment.
func (e *Engine) HourNow(p Place) (*Day, Hour, error) { return e.HourAt(p, e.clock.Now()) }

// DayRange computes n consecutive planetary days from date (1 ≤ n ≤ MaxRangeDays), sharing each
// sunrise between neighbours. Polar dates are left out and listed separately, for the daily
// pre-computation job and multi-day views.
func (e *Engine) DayRange(p Place, from Date, n int) ([]*Day, []Date, error) {
	if n < 1 || n > MaxRangeDays {
		return nil, nil, &FieldError{Field: "days", Reason: fmt.Sprintf("must be between 1 and %d", MaxRangeDays)}
	}
	if err := p.Validate(); err != nil {
		return nil, nil, err
	}
	return e.dayRange(p, from, n)
}

// dayRange is DayRange without the public limit; timelines add a day on either side.
func (e *Engine) dayRange(p Place, from Date, n int) ([]*Day, []Date, error) {
	var days []*Day
	var polar []Date
	var prev *Day
	for i := 0; i < n; i++ {
		date := from.AddDays(i)
		var day *Day
		var err error
		if prev != nil && DateOf(prev.NextSunrise) == date {
			day, err = e.dayFromSunrise(p, date, prev.NextSunrise)
		} else {
			day, err = e.Day(p, date)
		}
		if errors.Is(err, ErrPolar) {
			polar = append(polar, date)
			prev = nil
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		days = append(days, day)
		prev = day
	}
	return days, polar, nil
}
