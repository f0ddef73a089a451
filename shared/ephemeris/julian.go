package ephemeris

/*
#include <swephexp.h>
*/
import "C"

import (
	"math"
	"time"
)

// unixEpochJD is the Julian day of 1970-01-01T00:00:00Z.
const unixEpochJD = 2440587.5

// JulianDay converts t to a Julian day in Universal Time. Go times are UTC; the difference to
// UT1 (always under 0.9 s) is ignored, as swetest does for its -ut input.
func JulianDay(t time.Time) float64 {
	sec := t.Unix()
	ns := t.Nanosecond()
	// Whole days and the remainder are summed separately to keep sub-millisecond precision.
	days := math.Floor(float64(sec) / 86400)
	rem := float64(sec) - days*86400 + float64(ns)/1e9
	return unixEpochJD + days + rem/86400
}

// TimeFromJulianDay converts a Julian day in Universal Time to a UTC time, rounded to the
// microsecond (a float64 Julian day near the present resolves about 40 µs).
func TimeFromJulianDay(jd float64) time.Time {
	d := jd - unixEpochJD
	days := math.Floor(d)
	us := math.Round((d - days) * 86400e6)
	return time.Unix(int64(days)*86400, 0).Add(time.Duration(us) * time.Microsecond).UTC()
}

// JulDay is libswe's swe_julday for a Gregorian calendar date and a decimal UT hour.
func JulDay(year, month, day int, hour float64) float64 {
	return float64(C.swe_julday(C.int(year), C.int(month), C.int(day), C.double(hour), C.SE_GREG_CAL))
}

// RevJul is libswe's swe_revjul: the Gregorian date and decimal UT hour of a Julian day.
func RevJul(jd float64) (year, month, day int, hour float64) {
	var y, m, d C.int
	var h C.double
	C.swe_revjul(C.double(jd), C.SE_GREG_CAL, &y, &m, &d, &h)
	return int(y), int(m), int(d), float64(h)
}
