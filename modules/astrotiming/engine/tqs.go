package engine

import (
	"fmt"
	"strings"
	"time"
)

// Factor weights of the Timing Quality Score (the seed's model; they sum to 100).
const (
	WeightHourRuler  = 30
	WeightDayRuler   = 15
	WeightDignity    = 15
	WeightLunar      = 15
	WeightAspects    = 15
	WeightRetrograde = 10
)

// Factor is one part of a score: integer points out of Max and why.
type Factor struct {
	Points int    `json:"points"`
	Max    int    `json:"max"`
	Reason string `json:"reason"`
}

// Breakdown lists the six factors; their Points sum exactly to the score.
type Breakdown struct {
	HourRuler  Factor `json:"hour_ruler"`
	DayRuler   Factor `json:"day_ruler"`
	Dignity    Factor `json:"dignity"`
	Lunar      Factor `json:"lunar"`
	Aspects    Factor `json:"aspects"`
	Retrograde Factor `json:"retrograde"`
}

// Total is the sum of the factors' points.
func (b Breakdown) Total() int {
	return b.HourRuler.Points + b.DayRuler.Points + b.Dignity.Points + b.Lunar.Points + b.Aspects.Points + b.Retrograde.Points
}

// Score is the Timing Quality Score of an activity at an instant and place.
type Score struct {
	Score     int       `json:"score"`
	Band      string    `json:"band"`
	Breakdown Breakdown `json:"breakdown"`
	Activity  string    `json:"activity"`
	Planet    Planet    `json:"planet"`
	At        time.Time `json:"at"`
	DayRuler  Planet    `json:"day_ruler"`
	Hour      Hour      `json:"hour"`
}

// Bands of the score.
const (
	BandExcellent   = "Excellent"
	BandGood        = "Good"
	BandNeutral     = "Neutral"
	BandUnfavorable = "Unfavorable"
	BandAvoid       = "Avoid"
)

// BandOf names a score: 80–100 Excellent, 60–79 Good, 40–59 Neutral, 20–39 Unfavorable, 0–19 Avoid.
func BandOf(score int) string {
	switch {
	case score >= 80:
		return BandExcellent
	case score >= 60:
		return BandGood
	case score >= 40:
		return BandNeutral
	case score >= 20:
		return BandUnfavorable
	}
	return BandAvoid
}

// Score computes the Timing Quality Score of act at t in place.
func (e *Engine) Score(act Activity, p Place, t time.Time) (*Score, error) {
	day, hour, err := e.HourAt(p, t)
	if err != nil {
		return nil, err
	}
	ps, err := e.Positions(t)
	if err != nil {
		return nil, err
	}
	s := scoreOf(act, day.DayRuler, hour, ps, true)
	s.At = t.UTC()
	return &s, nil
}

// ScoreNow is Score at the engine clock's present moment.
func (e *Engine) ScoreNow(act Activity, p Place) (*Score, error) {
	return e.Score(act, p, e.clock.Now())
}

// scoreOf is the pure scoring rule; ps must carry the Moon's void-of-course state. Without
// explain the reasons are left empty: the forward search scores thousands of hours and only
// needs the numbers.
func scoreOf(act Activity, dayRuler Planet, hour Hour, ps *Positions, explain bool) Score {
	b := Breakdown{
		HourRuler:  rulerFactor(act, hour.Ruler, WeightHourRuler, [4]int{20, 12, 6, 0}, "hour", explain),
		DayRuler:   rulerFactor(act, dayRuler, WeightDayRuler, [4]int{10, 6, 3, 0}, "day", explain),
		Dignity:    dignityFactor(act, ps, explain),
		Lunar:      lunarFactor(ps, explain),
		Aspects:    aspectFactor(act, ps, explain),
		Retrograde: retrogradeFactor(act, ps, explain),
	}
	total := b.Total()
	return Score{Score: total, Band: BandOf(total), Breakdown: b, Activity: act.Key, Planet: act.Planet, DayRuler: dayRuler, Hour: hour, At: ps.At}
}

// rulerFactor: full weight when the ruler is the activity's planet, then pts for a secondary
// planet, a benefic, a neutral planet and a malefic.
func rulerFactor(act Activity, ruler Planet, max int, pts [4]int, what string, explain bool) Factor {
	switch {
	case ruler == act.Planet:
		return Factor{max, max, why(explain, "%s %s is the activity's planet", ruler, what)}
	case act.secondary(ruler):
		return Factor{pts[0], max, why(explain, "%s %s shares the activity's domain", ruler, what)}
	case ruler.Nature() == Benefic:
		return Factor{pts[1], max, why(explain, "%s %s is benefic", ruler, what)}
	case ruler.Nature() == Neutral:
		return Factor{pts[2], max, why(explain, "%s %s is neutral to the activity", ruler, what)}
	}
	return Factor{pts[3], max, why(explain, "%s %s is malefic", ruler, what)}
}

var dignityPoints = map[Dignity]int{Domicile: 15, Exaltation: 12, Peregrine: 7, Detriment: 2, Fall: 0}

func dignityFactor(act Activity, ps *Positions, explain bool) Factor {
	pp := ps.Planets[act.Planet]
	return Factor{dignityPoints[pp.Dignity], WeightDignity, why(explain, "%s in %s: %s", act.Planet, pp.Sign, pp.Dignity)}
}

var phasePoints = map[string]int{
	"new_moon": 2, "waxing_crescent": 10, "first_quarter": 10, "waxing_gibbous": 10,
	"full_moon": 7, "waning_gibbous": 4, "last_quarter": 4, "waning_crescent": 4,
}

func lunarFactor(ps *Positions, explain bool) Factor {
	m := ps.Moon
	if m.VoidOfCourse.Active {
		f := Factor{Points: 0, Max: WeightLunar}
		if explain {
			f.Reason = "Moon void of course until " + m.VoidOfCourse.End.Format(time.RFC3339)
		}
		return f
	}
	pts := phasePoints[m.Phase]
	dig := ps.Planets[Moon].Dignity
	switch dig {
	case Domicile, Exaltation:
		pts += 5
	case Peregrine:
		pts += 3
	}
	return Factor{pts, WeightLunar, why(explain, "%s, Moon in %s (%s)", m.Phase, m.Sign, dig)}
}

// aspectValue is the contribution of one aspect to the activity's planet from other.
func aspectValue(a Aspect, other Planet) int {
	var v int
	switch a.Kind {
	case Conjunction:
		v = map[Nature]int{Benefic: 3, Neutral: 1, Malefic: -3}[other.Nature()]
	default:
		v = map[AspectKind]int{Sextile: 2, Trine: 3, Square: -2, Opposition: -3}[a.Kind]
		v += map[Nature]int{Benefic: 1, Neutral: 0, Malefic: -1}[other.Nature()]
	}
	if a.Applying {
		v *= 2
	}
	return v
}

const aspectBase = 7

func aspectFactor(act Activity, ps *Positions, explain bool) Factor {
	sum := 0
	var parts []string
	for _, a := range ps.Aspects {
		if !a.Involves(act.Planet) {
			continue
		}
		other := a.Other(act.Planet)
		v := aspectValue(a, other)
		sum += v
		if !explain {
			continue
		}
		state := "separating"
		if a.Applying {
			state = "applying"
		}
		parts = append(parts, fmt.Sprintf("%s %s %s (%+d)", state, a.Kind, other, v))
	}
	pts := min(max(aspectBase+sum, 0), WeightAspects)
	if !explain {
		return Factor{Points: pts, Max: WeightAspects}
	}
	reason := fmt.Sprintf("no aspects to %s", act.Planet)
	if len(parts) > 0 {
		reason = act.Planet.String() + ": " + strings.Join(parts, ", ")
	}
	return Factor{pts, WeightAspects, reason}
}

func retrogradeFactor(act Activity, ps *Positions, explain bool) Factor {
	if ps.Planets[act.Planet].Retrograde {
		return Factor{0, WeightRetrograde, why(explain, "%s is retrograde", act.Planet)}
	}
	var retro []string
	for _, p := range ps.Planets {
		if p.Retrograde && p.Name != act.Planet {
			retro = append(retro, p.Name.String())
		}
	}
	pts := max(WeightRetrograde-2*len(retro), 2)
	if len(retro) == 0 {
		return Factor{pts, WeightRetrograde, why(explain, "no planet retrograde")}
	}
	return Factor{pts, WeightRetrograde, why(explain, "%s direct; retrograde: %s", act.Planet, strings.Join(retro, ", "))}
}

// why formats a reason only when one is wanted.
func why(explain bool, format string, a ...any) string {
	if !explain {
		return ""
	}
	return strings.ReplaceAll(fmt.Sprintf(format, a...), "_", " ")
}
