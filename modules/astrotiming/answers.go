package astrotiming

import (
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/ephemeris"
)

// Location echoes the place an answer was computed for, after rounding, with the elevation and
// the air that refracted the Sun at rise and set.
type Location struct {
	Lat         float64 `json:"lat"`
	Lng         float64 `json:"lng"`
	TZ          string  `json:"tz"`
	Elevation   float64 `json:"elevation" doc:"metres above sea level used for rise and set"`
	Pressure    float64 `json:"pressure" doc:"hPa used for refraction; 0 means libswe estimated it from the elevation"`
	Temperature float64 `json:"temperature" doc:"°C used for refraction"`
}

func locationOf(p engine.Place) Location {
	atm := ephemeris.StandardAtmosphere // what the module's engine uses for a place without one
	if p.Atm != nil {
		atm = *p.Atm
	}
	return Location{Lat: p.Lat, Lng: p.Lng, TZ: p.Zone.String(), Elevation: p.Alt, Pressure: atm.PressureHPa, Temperature: atm.TemperatureC}
}

// HourJSON is one planetary hour as the API writes it: English ruler with its Arabic name.
type HourJSON struct {
	Index       int           `json:"index"`
	Ruler       engine.Planet `json:"ruler"`
	RulerArabic string        `json:"ruler_arabic"`
	Start       time.Time     `json:"start"`
	End         time.Time     `json:"end"`
	IsDay       bool          `json:"is_day"`
}

// DayJSON is GET /api/v1/hours.
type DayJSON struct {
	Date           engine.Date   `json:"date"`
	Location       Location      `json:"location"`
	Sunrise        time.Time     `json:"sunrise"`
	Sunset         time.Time     `json:"sunset"`
	NextSunrise    time.Time     `json:"next_sunrise"`
	DayRuler       engine.Planet `json:"day_ruler"`
	DayRulerArabic string        `json:"day_ruler_arabic"`
	Hours          []HourJSON    `json:"hours"`
}

func hourJSON(h engine.Hour) HourJSON {
	return HourJSON{Index: h.Index, Ruler: h.Ruler, RulerArabic: h.Ruler.ArabicName(), Start: h.Start, End: h.End, IsDay: h.IsDay}
}

func dayJSON(d *engine.Day, p engine.Place) DayJSON {
	out := DayJSON{Date: d.Date, Location: locationOf(p), Sunrise: d.Sunrise, Sunset: d.Sunset, NextSunrise: d.NextSunrise,
		DayRuler: d.DayRuler, DayRulerArabic: d.DayRuler.ArabicName(), Hours: make([]HourJSON, len(d.Hours))}
	for i, h := range d.Hours {
		out.Hours[i] = hourJSON(h)
	}
	return out
}

// NowJSON is GET /api/v1/now.
type NowJSON struct {
	At             time.Time     `json:"at"`
	Location       Location      `json:"location"`
	Hour           HourJSON      `json:"hour"`
	Remaining      string        `json:"remaining"`
	RemainingSecs  int64         `json:"remaining_seconds"`
	DayRuler       engine.Planet `json:"day_ruler"`
	DayRulerArabic string        `json:"day_ruler_arabic"`
	Next           *HourJSON     `json:"next,omitempty"`
}

func nowJSON(eng *engine.Engine, p engine.Place, now time.Time) (*NowJSON, error) {
	day, h, err := eng.HourAt(p, now)
	if err != nil {
		return nil, err
	}
	left := h.End.Sub(now).Truncate(time.Second)
	out := &NowJSON{At: now.In(p.Zone), Location: locationOf(p), Hour: hourJSON(h), Remaining: left.String(),
		RemainingSecs: int64(left / time.Second), DayRuler: day.DayRuler, DayRulerArabic: day.DayRuler.ArabicName()}
	if h.Index < len(day.Hours) {
		n := hourJSON(day.Hours[h.Index])
		out.Next = &n
	}
	return out, nil
}

// PlanetJSON adds the Arabic name to a position.
type PlanetJSON struct {
	engine.PlanetPosition
	ArabicName string `json:"arabic_name"`
}

// PositionsJSON is GET /api/v1/positions.
type PositionsJSON struct {
	At      time.Time        `json:"at"`
	Planets []PlanetJSON     `json:"planets"`
	Aspects []engine.Aspect  `json:"aspects"`
	Moon    engine.MoonState `json:"moon"`
}

func positionsJSON(ps *engine.Positions) PositionsJSON {
	out := PositionsJSON{At: ps.At, Aspects: ps.Aspects, Moon: ps.Moon, Planets: make([]PlanetJSON, len(ps.Planets))}
	if out.Aspects == nil {
		out.Aspects = []engine.Aspect{}
	}
	for i, p := range ps.Planets {
		out.Planets[i] = PlanetJSON{PlanetPosition: p, ArabicName: p.Name.ArabicName()}
	}
	return out
}

// ScoreJSON is GET /api/v1/tqs: the engine's score plus names for people.
type ScoreJSON struct {
	*engine.Score
	PlanetArabic string   `json:"planet_arabic"`
	Location     Location `json:"location"`
}
