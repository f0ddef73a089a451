// Package engine is AstroTiming's planetary-hour and timing-score engine: Layer 1 (classical
// planetary hours after Al Saat), Layer 2 (positions, dignities, aspects and the Moon from the
// Swiss Ephemeris) and Layer 3 (the Timing Quality Score, forward search and scheduling).
// It does no I/O besides the ephemeris files; docs/astrotiming.md states every rule and formula.
package engine

import (
	"fmt"
	"strings"
	"time"

	"github.com/alorig/alorig/shared/ephemeris"
)

// Planet is one of the seven classical planets. Values equal the Swiss Ephemeris body numbers.
type Planet int

// The seven classical planets.
const (
	Sun Planet = iota
	Moon
	Mercury
	Venus
	Mars
	Jupiter
	Saturn
)

// Planets lists the seven in Swiss Ephemeris order (Sun, Moon, Mercury, … Saturn).
var Planets = [7]Planet{Sun, Moon, Mercury, Venus, Mars, Jupiter, Saturn}

// ChaldeanOrder is the order of the planetary hours: slowest to fastest apparent motion.
var ChaldeanOrder = [7]Planet{Saturn, Jupiter, Mars, Sun, Venus, Mercury, Moon}

var planetNames = [7]struct{ en, translit, arabic string }{
	Sun:     {"Sun", "Shams", "الشمس"},
	Moon:    {"Moon", "Qamar", "القمر"},
	Mercury: {"Mercury", "Utarid", "عطارد"},
	Venus:   {"Venus", "Zuhra", "الزهرة"},
	Mars:    {"Mars", "Mirrikh", "المريخ"},
	Jupiter: {"Jupiter", "Mushtari", "المشتري"},
	Saturn:  {"Saturn", "Zuhal", "زحل"},
}

// String is the English name.
func (p Planet) String() string {
	if p < Sun || p > Saturn {
		return fmt.Sprintf("Planet(%d)", int(p))
	}
	return planetNames[p].en
}

// ArabicName is the transliterated Arabic name used in Al Saat (Shams, Qamar, …).
func (p Planet) ArabicName() string { return planetNames[p].translit }

// ArabicScript is the name in Arabic script.
func (p Planet) ArabicScript() string { return planetNames[p].arabic }

// Body is the Swiss Ephemeris body number.
func (p Planet) Body() ephemeris.Body { return ephemeris.Body(p) }

// MarshalText writes the English name, so JSON carries "Venus" rather than a number.
func (p Planet) MarshalText() ([]byte, error) {
	if p < Sun || p > Saturn {
		return nil, fmt.Errorf("astrotiming: planet %d is not classical", int(p))
	}
	return []byte(p.String()), nil
}

// UnmarshalText accepts what ParsePlanet accepts.
func (p *Planet) UnmarshalText(b []byte) error {
	v, err := ParsePlanet(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// ParsePlanet reads an English or transliterated Arabic planet name, case-insensitively.
func ParsePlanet(s string) (Planet, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	for _, p := range Planets {
		n := planetNames[p]
		if k == strings.ToLower(n.en) || k == strings.ToLower(n.translit) || s == n.arabic {
			return p, nil
		}
	}
	return 0, &FieldError{Field: "planet", Reason: fmt.Sprintf("%q is not one of the seven classical planets", s)}
}

// Nature is a planet's traditional benefic or malefic character, used by the score.
type Nature int

// Natures.
const (
	Neutral Nature = iota // Sun, Moon and Mercury take their colour from others
	Benefic               // Jupiter (greater) and Venus (lesser)
	Malefic               // Saturn (greater) and Mars (lesser)
)

// Nature of the planet.
func (p Planet) Nature() Nature {
	switch p {
	case Jupiter, Venus:
		return Benefic
	case Saturn, Mars:
		return Malefic
	}
	return Neutral
}

// DayRuler is the planet ruling a weekday: Sunday the Sun, Monday the Moon, … Saturday Saturn.
func DayRuler(w time.Weekday) Planet {
	return [7]Planet{Sun, Moon, Mars, Mercury, Jupiter, Venus, Saturn}[w]
}

// chaldeanIndex is the position of p in ChaldeanOrder.
func chaldeanIndex(p Planet) int {
	for i, c := range ChaldeanOrder {
		if c == p {
			return i
		}
	}
	return -1
}

// HourRuler is the ruler of planetary hour n (1–24, day hours first) on a day ruled by day.
func HourRuler(day Planet, n int) Planet {
	return ChaldeanOrder[(chaldeanIndex(day)+n-1)%7]
}
