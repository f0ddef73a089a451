package engine

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/alorig/alorig/shared/ephemeris"
)

// trackStep is the spacing in days of exact ephemeris samples a timeline interpolates between.
// Cubic Hermite interpolation on positions and speeds over 12 hours stays within about 1e-5° of
// the Moon's true longitude (far less for the planets; TestTrackMatchesEphemeris bounds it),
// well below anything a score can see.
const trackStep = 0.5

// track holds exact samples of the seven planets every trackStep days.
type track struct {
	t0      float64
	samples []sky
}

func newTrack(eph *ephemeris.Ephemeris, fromJD, toJD float64) (*track, error) {
	t0 := math.Floor(fromJD/trackStep)*trackStep - trackStep
	n := int(math.Ceil((toJD-t0)/trackStep)) + 2
	tr := &track{t0: t0, samples: make([]sky, n)}
	src := exactSource{eph}
	for i := range tr.samples {
		s, err := src.at(t0+float64(i)*trackStep, allBodies)
		if err != nil {
			return nil, err
		}
		tr.samples[i] = *s
	}
	return tr, nil
}

func (tr *track) at(jd float64, _ uint8) (*sky, error) {
	x := (jd - tr.t0) / trackStep
	i := int(math.Floor(x))
	if i < 0 || i+1 >= len(tr.samples) {
		return nil, fmt.Errorf("astrotiming: JD %.5f outside the precomputed track", jd)
	}
	s := x - float64(i)
	a, b := &tr.samples[i], &tr.samples[i+1]
	h00, h10, h01, h11 := 2*s*s*s-3*s*s+1, s*s*s-2*s*s+s, -2*s*s*s+3*s*s, s*s*s-s*s
	d00, d10, d01, d11 := 6*s*s-6*s, 3*s*s-4*s+1, -6*s*s+6*s, 3*s*s-2*s
	herm := func(p0, p1, v0, v1 float64) (float64, float64) {
		m0, m1 := v0*trackStep, v1*trackStep
		return h00*p0 + h10*m0 + h01*p1 + h11*m1, (d00*p0 + d10*m0 + d01*p1 + d11*m1) / trackStep
	}
	var out sky
	for p := range out {
		// Unwrap longitude across 360° before interpolating.
		l1 := a[p].lon + wrap180(b[p].lon-a[p].lon)
		lon, vlon := herm(a[p].lon, l1, a[p].vlon, b[p].vlon)
		lat, vlat := herm(a[p].lat, b[p].lat, a[p].vlat, b[p].vlat)
		dist, vdist := herm(a[p].dist, b[p].dist, a[p].vdist, b[p].vdist)
		out[p] = state{norm360(lon), lat, dist, vlon, vlat, vdist}
	}
	return &out, nil
}

// timeline is the planetary days, interpolated sky and void-of-course periods of a span at a
// place, computed once so that many activities and instants can be scored cheaply.
type timeline struct {
	place     Place
	from, to  time.Time
	days      []*Day
	hours     []Hour // all hours of all days, in time order
	dayOf     []int  // index into days for each hour
	tr        *track
	voc       []vocPeriod
	polarDays []Date
	mids      []*Positions // sky at each hour's midpoint, shared by every activity scored
	scores    map[string][]int
}

// newTimeline covers [from, to). Polar dates inside the span are skipped and listed.
func (e *Engine) newTimeline(p Place, from, to time.Time) (*timeline, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	tl := &timeline{place: p, from: from, to: to, scores: map[string][]int{}}
	// The planetary day of the local date before from may still be running at from.
	first := DateOf(from.In(p.Zone)).AddDays(-1)
	days, polar, err := e.dayRange(p, first, first.DaysUntil(DateOf(to.In(p.Zone)))+1)
	if err != nil {
		return nil, err
	}
	tl.polarDays = polar
	for _, day := range days {
		if !day.NextSunrise.After(from) || !day.Sunrise.Before(to) {
			continue
		}
		tl.days = append(tl.days, day)
		for _, h := range day.Hours {
			if h.End.After(from) && h.Start.Before(to) {
				tl.hours = append(tl.hours, h)
				tl.dayOf = append(tl.dayOf, len(tl.days)-1)
			}
		}
	}
	if len(tl.hours) == 0 {
		return nil, &PolarError{Date: DateOf(from.In(p.Zone)), Kind: "no_hours", Lat: p.Lat}
	}
	fromJD := ephemeris.JulianDay(tl.hours[0].Start)
	toJD := ephemeris.JulianDay(tl.hours[len(tl.hours)-1].End)
	tr, err := newTrack(e.eph, fromJD-3, toJD+3)
	if err != nil {
		return nil, err
	}
	tl.tr = tr
	for jd := fromJD; jd < toJD; {
		s, err := tr.at(jd, allBodies)
		if err != nil {
			return nil, err
		}
		v, err := findVoidPeriod(tr, jd, s)
		if err != nil {
			return nil, err
		}
		tl.voc = append(tl.voc, v)
		jd = v.exit + 1e-6
	}
	return tl, nil
}

// positionsAt is the interpolated sky at t with its void-of-course state.
func (tl *timeline) positionsAt(t time.Time) (*Positions, error) {
	jd := ephemeris.JulianDay(t)
	s, err := tl.tr.at(jd, allBodies)
	if err != nil {
		return nil, err
	}
	ps := describe(t, s, false)
	i := sort.Search(len(tl.voc), func(i int) bool { return tl.voc[i].exit > jd })
	if i < len(tl.voc) {
		ps.Moon.VoidOfCourse = tl.voc[i].at(jd)
	}
	return ps, nil
}

// hourScores scores every hour of the timeline for act, at each hour's midpoint.
func (tl *timeline) hourScores(act Activity) ([]int, error) {
	if s, ok := tl.scores[act.Key]; ok {
		return s, nil
	}
	if tl.mids == nil {
		tl.mids = make([]*Positions, len(tl.hours))
		for i, h := range tl.hours {
			ps, err := tl.positionsAt(h.Mid())
			if err != nil {
				return nil, err
			}
			tl.mids[i] = ps
		}
	}
	out := make([]int, len(tl.hours))
	for i, h := range tl.hours {
		out[i] = scoreOf(act, tl.days[tl.dayOf[i]].DayRuler, h, tl.mids[i], false).Score
	}
	tl.scores[act.Key] = out
	return out, nil
}

// spanScore is the duration-weighted mean of the hour scores over [start, end), rounded, and
// false when part of the span has no planetary hours (a polar date).
func (tl *timeline) spanScore(scores []int, start, end time.Time) (int, bool) {
	i := sort.Search(len(tl.hours), func(i int) bool { return tl.hours[i].End.After(start) })
	var sum, total float64
	cursor := start
	for ; i < len(tl.hours) && tl.hours[i].Start.Before(end); i++ {
		h := tl.hours[i]
		if h.Start.After(cursor) {
			return 0, false
		}
		s, e := maxTime(h.Start, start), minTime(h.End, end)
		d := e.Sub(s).Seconds()
		sum += d * float64(scores[i])
		total += d
		cursor = e
	}
	if total <= 0 || cursor.Before(end) {
		return 0, false
	}
	return int(math.Round(sum / total)), true
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
