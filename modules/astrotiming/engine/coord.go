package engine

import "math"

// CoordDecimals is how finely AstroTiming resolves a location: 0.001° (about 110 m) moves a
// sunrise by at most 0.12 s, well inside the 1 s the hours promise, and lets nearby callers
// share cached hours.
const CoordDecimals = 3

// RoundCoord rounds a latitude or longitude to CoordDecimals places. Zero comes back as +0, so
// a key built from the result never reads "-0".
func RoundCoord(v float64) float64 {
	const f = 1000
	r := math.Round(v*f) / f
	if r == 0 {
		return 0
	}
	return r
}
