package ephemeris

// #include "alorig_swe.h"
import "C"

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Event selects what RiseTrans looks for (SE_CALC_* with optional SE_BIT_* modifiers or'ed in).
type Event int32

// Events and modifiers. Without modifiers a rise or set is that of the upper limb of the disc,
// with refraction computed from the Atmosphere passed in — the usual civil definition of sunrise.
const (
	EventRise          Event = C.SE_CALC_RISE
	EventSet           Event = C.SE_CALC_SET
	EventUpperTransit  Event = C.SE_CALC_MTRANSIT
	EventLowerTransit  Event = C.SE_CALC_ITRANSIT
	EventDiscCenter    Event = C.SE_BIT_DISC_CENTER
	EventDiscBottom    Event = C.SE_BIT_DISC_BOTTOM
	EventNoRefraction  Event = C.SE_BIT_NO_REFRACTION
	EventFixedDiscSize Event = C.SE_BIT_FIXED_DISC_SIZE
)

// GeoPos is an observer's place: longitude east-positive and latitude north-positive in degrees,
// altitude in metres above sea level.
type GeoPos struct {
	Lng float64 `json:"lng"`
	Lat float64 `json:"lat"`
	Alt float64 `json:"alt"`
}

// Atmosphere sets the refraction model for rise and set: pressure in hPa and temperature in °C.
// libswe treats PressureHPa 0 as "estimate from the altitude" (1013.25 hPa at sea level, about
// 700 hPa at 3000 m).
type Atmosphere struct {
	PressureHPa  float64 `json:"pressure_hpa"`
	TemperatureC float64 `json:"temperature_c"`
}

// StandardAtmosphere is the default used across Alorig: the standard atmosphere at sea level,
// 1013.25 hPa and 15 °C, which is what `swetest -rise` uses when not given -at, so answers agree
// with the reference program by default. flatlib passes 0/0, which libswe reads as 1013.25 hPa
// and 0 °C; the colder air refracts a little more and moves a mid-latitude sunrise a few seconds
// earlier.
var StandardAtmosphere = Atmosphere{PressureHPa: 1013.25, TemperatureC: 15}

// RiseTrans finds the first event of body after jdUT as seen from geo (swe_rise_trans).
// It returns ErrNoEvent when the body stays above or below the horizon, ErrOutOfRange when the
// search would leave the ephemeris files.
func (e *Ephemeris) RiseTrans(jdUT float64, body Body, event Event, geo GeoPos, atm Atmosphere) (float64, error) {
	if math.IsNaN(jdUT) || jdUT < e.startJD || jdUT > e.endJD-2 {
		return 0, fmt.Errorf("%w: rise/set search for body %d from JD %.6f; files cover %.1f–%.1f",
			ErrOutOfRange, body, jdUT, e.startJD, e.endJD)
	}
	if geo.Lat < -90 || geo.Lat > 90 || geo.Lng < -180 || geo.Lng > 180 {
		return 0, fmt.Errorf("ephemeris: rise/set: position lat %.6f lng %.6f out of bounds", geo.Lat, geo.Lng)
	}
	geopos := [3]C.double{C.double(geo.Lng), C.double(geo.Lat), C.double(geo.Alt)}
	var tret [10]C.double
	var serr [C.AS_MAXCH]C.char

	callMu.Lock()
	defer callMu.Unlock()
	ret := C.alorig_rise(e.cpath, C.double(jdUT), C.int32(body), C.int32(event), &geopos[0], C.double(atm.PressureHPa), C.double(atm.TemperatureC), &tret[0], &serr[0])
	msg := strings.TrimSpace(C.GoString(&serr[0]))
	switch {
	case ret == -2:
		return 0, fmt.Errorf("%w: body %d event %d after JD %.6f at lat %.4f lng %.4f", ErrNoEvent, body, event, jdUT, geo.Lat, geo.Lng)
	case ret < 0:
		return 0, fmt.Errorf("%w: rise/set body %d after JD %.6f: %s", ErrCalc, body, jdUT, msg)
	}
	// libswe's rise/set search does not report which ephemeris it used; a message about a
	// missing file means it fell back to Moshier for part of the search.
	if strings.Contains(msg, "Moshier") || strings.Contains(msg, "not found") {
		return 0, fmt.Errorf("%w: rise/set body %d after JD %.6f: %s", ErrOutOfRange, body, jdUT, msg)
	}
	return float64(tret[0]), nil
}

// NextEvent is RiseTrans on time instants.
func (e *Ephemeris) NextEvent(after time.Time, body Body, event Event, geo GeoPos, atm Atmosphere) (time.Time, error) {
	jd, err := e.RiseTrans(JulianDay(after), body, event, geo, atm)
	if err != nil {
		return time.Time{}, err
	}
	return TimeFromJulianDay(jd), nil
}
