package engine

import (
	"fmt"
	"math"
	"time"

	"github.com/alorig/alorig/shared/ephemeris"
)

// VoidOfCourse describes the Moon's stay in its current sign. The traditional definition is
// used: the Moon is void of course from her last exact Ptolemaic aspect (conjunction, sextile,
// square, trine, opposition) to one of the six other classical planets made while in this sign
// until she enters the next sign. If she makes no such aspect in the sign, the whole stay is void.
type VoidOfCourse struct {
	Active      bool         `json:"active"` // the instant asked about lies in [Start, End)
	Start       time.Time    `json:"start"`
	End         time.Time    `json:"end"` // the Moon's ingress into the next sign
	MoonSign    Sign         `json:"moon_sign"`
	SignEntered time.Time    `json:"sign_entered"`
	LastAspect  *AspectEvent `json:"last_aspect,omitempty"`
}

// AspectEvent is an exact aspect of the Moon to a planet.
type AspectEvent struct {
	Planet Planet     `json:"planet"`
	Kind   AspectKind `json:"kind"`
	At     time.Time  `json:"at"`
}

// vocPeriod is one Moon-sign stay with its void period, in Julian days.
type vocPeriod struct {
	enter, exit, start float64
	sign               Sign
	last               *AspectEvent
}

func (v vocPeriod) at(jd float64) VoidOfCourse {
	return VoidOfCourse{
		Active:      jd >= v.start && jd < v.exit,
		Start:       ephemeris.TimeFromJulianDay(v.start).Round(time.Second),
		End:         ephemeris.TimeFromJulianDay(v.exit).Round(time.Second),
		MoonSign:    v.sign,
		SignEntered: ephemeris.TimeFromJulianDay(v.enter).Round(time.Second),
		LastAspect:  v.last,
	}
}

// rootTolerance stops root-finding at about 0.01 s.
const rootTolerance = 1e-7

const vocCacheSize = 32

// voidOfCourse answers from a small cache of Moon-sign periods: every instant in one sign stay
// shares the same answer, and the search is about ten times dearer than the positions.
func (e *Engine) voidOfCourse(src source, jd float64, now *sky) (VoidOfCourse, error) {
	e.vocMu.Lock()
	for _, c := range e.vocCache {
		if jd >= c.enter && jd < c.exit {
			e.vocMu.Unlock()
			return c.at(jd), nil
		}
	}
	e.vocMu.Unlock()
	p, err := findVoidPeriod(src, jd, now)
	if err != nil {
		return VoidOfCourse{}, err
	}
	e.vocMu.Lock()
	e.vocCache = append(e.vocCache, p)
	if len(e.vocCache) > vocCacheSize {
		e.vocCache = e.vocCache[len(e.vocCache)-vocCacheSize:]
	}
	e.vocMu.Unlock()
	return p.at(jd), nil
}

// VoidOfCourseUncached computes the void-of-course period around t without the cache (for
// benchmarks and for callers that want to verify a cached answer).
func (e *Engine) VoidOfCourseUncached(t time.Time) (VoidOfCourse, error) {
	jd := ephemeris.JulianDay(t)
	src := exactSource{e.eph}
	s, err := src.at(jd, 1<<Moon)
	if err != nil {
		return VoidOfCourse{}, err
	}
	p, err := findVoidPeriod(src, jd, s)
	if err != nil {
		return VoidOfCourse{}, err
	}
	return p.at(jd), nil
}

func findVoidPeriod(src source, jd float64, now *sky) (vocPeriod, error) {
	m := now[Moon]
	sign := SignOf(m.lon)
	lower := float64(sign) * 30
	enter, err := moonCrossing(src, lower, jd-norm360(m.lon-lower)/m.vlon)
	if err != nil {
		return vocPeriod{}, err
	}
	exit, err := moonCrossing(src, lower+30, jd+(lower+30-norm360(m.lon))/m.vlon)
	if err != nil {
		return vocPeriod{}, err
	}
	// Numerical noise must not move the instant out of its own period.
	enter, exit = math.Min(enter, jd), math.Max(exit, jd+1e-9)
	a, err := src.at(enter, allBodies)
	if err != nil {
		return vocPeriod{}, err
	}
	b, err := src.at(exit, allBodies)
	if err != nil {
		return vocPeriod{}, err
	}
	p := vocPeriod{enter: enter, exit: exit, start: enter, sign: sign}
	for _, pl := range Planets {
		if pl == Moon {
			continue
		}
		// The Moon–planet elongation grows monotonically (the Moon is never slower than ~11.7°/day,
		// no planet faster than ~2.2°/day), so each aspect angle is crossed at most once.
		e0 := norm360(a[Moon].lon - a[pl].lon)
		e1 := e0 + wrap180(b[Moon].lon-a[Moon].lon) - wrap180(b[pl].lon-a[pl].lon)
		target, kind, ok := lastAspectAngle(e0, e1)
		if !ok {
			continue
		}
		guess := enter + (target-e0)/(e1-e0)*(exit-enter)
		at, err := aspectTime(src, pl, target, guess, enter, exit)
		if err != nil {
			return vocPeriod{}, err
		}
		if p.last == nil || at > p.start {
			p.start = at
			p.last = &AspectEvent{Planet: pl, Kind: kind, At: ephemeris.TimeFromJulianDay(at).Round(time.Second)}
		}
	}
	return p, nil
}

// lastAspectAngle is the largest elongation in (e0, e1] that is an aspect angle modulo 360.
func lastAspectAngle(e0, e1 float64) (float64, AspectKind, bool) {
	angles := [...]struct {
		deg  float64
		kind AspectKind
	}{{0, Conjunction}, {60, Sextile}, {90, Square}, {120, Trine}, {180, Opposition}, {240, Trine}, {270, Square}, {300, Sextile}}
	best, bestKind, found := 0.0, Conjunction, false
	for _, turn := range []float64{0, 360, 720} {
		for _, a := range angles {
			x := a.deg + turn
			if x > e0 && x <= e1 && (!found || x > best) {
				best, bestKind, found = x, a.kind, true
			}
		}
	}
	return best, bestKind, found
}

// moonCrossing finds when the Moon's longitude reaches target, by Newton's method from guess.
func moonCrossing(src source, target, guess float64) (float64, error) {
	t := guess
	for i := 0; i < 12; i++ {
		s, err := src.at(t, 1<<Moon)
		if err != nil {
			return 0, err
		}
		dt := wrap180(s[Moon].lon-target) / s[Moon].vlon
		t -= dt
		if math.Abs(dt) < rootTolerance {
			return t, nil
		}
	}
	return 0, fmt.Errorf("astrotiming: Moon ingress at %.0f° near JD %.5f did not converge", target, guess)
}

// aspectTime finds when the Moon–planet elongation equals target (mod 360), within [lo, hi].
func aspectTime(src source, pl Planet, target, guess, lo, hi float64) (float64, error) {
	t := guess
	for i := 0; i < 12; i++ {
		s, err := src.at(t, 1<<Moon|1<<pl)
		if err != nil {
			return 0, err
		}
		dt := wrap180(s[Moon].lon-s[pl].lon-target) / (s[Moon].vlon - s[pl].vlon)
		t = math.Max(lo, math.Min(hi, t-dt))
		if math.Abs(dt) < rootTolerance {
			return t, nil
		}
	}
	return 0, fmt.Errorf("astrotiming: Moon–%s aspect near JD %.5f did not converge", pl, guess)
}
