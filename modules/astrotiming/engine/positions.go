package engine

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/alorig/alorig/shared/ephemeris"
)

// Sign is a tropical zodiac sign, Aries = 0.
type Sign int

// The twelve signs.
const (
	Aries Sign = iota
	Taurus
	Gemini
	Cancer
	Leo
	Virgo
	Libra
	Scorpio
	Sagittarius
	Capricorn
	Aquarius
	Pisces
)

var signNames = [12]string{"Aries", "Taurus", "Gemini", "Cancer", "Leo", "Virgo", "Libra", "Scorpio", "Sagittarius", "Capricorn", "Aquarius", "Pisces"}

func (s Sign) String() string { return signNames[((int(s)%12)+12)%12] }

// MarshalText writes the English sign name.
func (s Sign) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads an English sign name (case-insensitive), so API JSON decodes back.
func (s *Sign) UnmarshalText(b []byte) error {
	for i, n := range signNames {
		if strings.EqualFold(n, string(b)) {
			*s = Sign(i)
			return nil
		}
	}
	return fmt.Errorf("astrotiming: unknown sign %q", clip(string(b)))
}

// SignOf is the sign holding an ecliptic longitude.
func SignOf(lon float64) Sign { return Sign(int(math.Floor(norm360(lon)/30)) % 12) }

// Dignity is a planet's essential dignity by sign.
type Dignity string

// Essential dignities (the traditional sign tables; terms and faces are not used).
const (
	Domicile   Dignity = "domicile"
	Exaltation Dignity = "exaltation"
	Detriment  Dignity = "detriment"
	Fall       Dignity = "fall"
	Peregrine  Dignity = "peregrine"
)

var (
	domiciles = [7][]Sign{
		Sun: {Leo}, Moon: {Cancer}, Mercury: {Gemini, Virgo}, Venus: {Taurus, Libra},
		Mars: {Aries, Scorpio}, Jupiter: {Sagittarius, Pisces}, Saturn: {Capricorn, Aquarius},
	}
	exaltations = [7]Sign{Sun: Aries, Moon: Taurus, Mercury: Virgo, Venus: Pisces, Mars: Capricorn, Jupiter: Cancer, Saturn: Libra}
)

// DignityOf is p's essential dignity in s. When two apply (Mercury in Virgo is domicile and
// exaltation, in Pisces detriment and fall) the first of domicile, exaltation, detriment, fall
// is reported.
func DignityOf(p Planet, s Sign) Dignity {
	for _, d := range domiciles[p] {
		if d == s {
			return Domicile
		}
	}
	if exaltations[p] == s {
		return Exaltation
	}
	for _, d := range domiciles[p] {
		if (d+6)%12 == s {
			return Detriment
		}
	}
	if (exaltations[p]+6)%12 == s {
		return Fall
	}
	return Peregrine
}

// AspectKind is one of the five Ptolemaic aspects.
type AspectKind int

// Aspects.
const (
	Conjunction AspectKind = iota
	Sextile
	Square
	Trine
	Opposition
)

var aspectInfo = [5]struct {
	name  string
	angle float64
}{{"conjunction", 0}, {"sextile", 60}, {"square", 90}, {"trine", 120}, {"opposition", 180}}

func (k AspectKind) String() string { return aspectInfo[k].name }

// Angle is the exact separation of the aspect in degrees.
func (k AspectKind) Angle() float64 { return aspectInfo[k].angle }

// MarshalText writes the aspect name.
func (k AspectKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText reads an aspect name (conjunction, sextile, square, trine, opposition).
func (k *AspectKind) UnmarshalText(b []byte) error {
	for i := range aspectInfo {
		if strings.EqualFold(aspectInfo[i].name, string(b)) {
			*k = AspectKind(i)
			return nil
		}
	}
	return fmt.Errorf("astrotiming: unknown aspect %q", clip(string(b)))
}

// Moiety is half of a planet's orb of light as given by al-Bīrūnī (Sun 15°, Moon 12°, Saturn and
// Jupiter 9°, Mars 8°, Venus and Mercury 7°). Two planets are in aspect when their separation is
// within the sum of their moieties of the exact angle.
func Moiety(p Planet) float64 {
	return [7]float64{Sun: 7.5, Moon: 6, Mercury: 3.5, Venus: 3.5, Mars: 4, Jupiter: 4.5, Saturn: 4.5}[p]
}

// PlanetPosition is one planet at an instant (geocentric, tropical, apparent).
type PlanetPosition struct {
	Name         Planet  `json:"name"`
	Longitude    float64 `json:"longitude"`
	Latitude     float64 `json:"latitude"`
	Speed        float64 `json:"speed"` // degrees of longitude per day; negative when retrograde
	Sign         Sign    `json:"sign"`
	DegreeInSign float64 `json:"degree_in_sign"`
	Retrograde   bool    `json:"retrograde"`
	Dignity      Dignity `json:"dignity"`
}

// Aspect between two planets at an instant. A comes before B in Planets order.
type Aspect struct {
	A          Planet     `json:"a"`
	B          Planet     `json:"b"`
	Kind       AspectKind `json:"kind"`
	Angle      float64    `json:"angle"`
	Separation float64    `json:"separation"` // actual angular distance, 0–180°
	Orb        float64    `json:"orb"`        // |separation − angle|
	MaxOrb     float64    `json:"max_orb"`    // sum of the two moieties
	Applying   bool       `json:"applying"`   // the orb is shrinking
}

// Involves reports whether p is one of the two planets.
func (a Aspect) Involves(p Planet) bool { return a.A == p || a.B == p }

// Other is the planet of the pair that is not p.
func (a Aspect) Other(p Planet) Planet {
	if a.A == p {
		return a.B
	}
	return a.A
}

// MoonState is the Moon's condition at an instant.
type MoonState struct {
	Sign         Sign         `json:"sign"`
	Phase        string       `json:"phase"`
	Elongation   float64      `json:"elongation"`   // Moon − Sun longitude, 0–360°
	Illumination float64      `json:"illumination"` // illuminated fraction of the disc, 0–1
	Waxing       bool         `json:"waxing"`
	VoidOfCourse VoidOfCourse `json:"void_of_course"`
}

// Positions is the sky at an instant.
type Positions struct {
	At      time.Time        `json:"at"`
	Planets []PlanetPosition `json:"planets"`
	Aspects []Aspect         `json:"aspects"`
	Moon    MoonState        `json:"moon"`
}

// Planet returns the position of p.
func (ps *Positions) Planet(p Planet) PlanetPosition { return ps.Planets[p] }

// state is one body's raw ephemeris result.
type state struct{ lon, lat, dist, vlon, vlat, vdist float64 }

// sky holds the seven planets in Planets order.
type sky [7]state

// source yields the sky at a Julian day; only bodies in mask (bit per Planet) must be filled.
type source interface {
	at(jd float64, mask uint8) (*sky, error)
}

const allBodies uint8 = 0x7f

type exactSource struct{ eph *ephemeris.Ephemeris }

var classicalBodies = []ephemeris.Body{ephemeris.Sun, ephemeris.Moon, ephemeris.Mercury, ephemeris.Venus, ephemeris.Mars, ephemeris.Jupiter, ephemeris.Saturn}

func (s exactSource) at(jd float64, mask uint8) (*sky, error) {
	var out sky
	if mask == allBodies {
		var pos [7]ephemeris.Position
		if err := s.eph.CalcMany(jd, classicalBodies, 0, pos[:]); err != nil {
			return nil, fmt.Errorf("astrotiming: planets at %s: %w", ephemeris.TimeFromJulianDay(jd).Format(time.RFC3339), err)
		}
		for p, q := range pos {
			out[p] = state{q.Longitude, q.Latitude, q.Distance, q.LongitudeSpeed, q.LatitudeSpeed, q.DistanceSpeed}
		}
		return &out, nil
	}
	for _, p := range Planets {
		if mask&(1<<p) == 0 {
			continue
		}
		pos, err := s.eph.Calc(jd, p.Body(), 0)
		if err != nil {
			return nil, fmt.Errorf("astrotiming: %s at %s: %w", p, ephemeris.TimeFromJulianDay(jd).Format(time.RFC3339), err)
		}
		out[p] = state{pos.Longitude, pos.Latitude, pos.Distance, pos.LongitudeSpeed, pos.LatitudeSpeed, pos.DistanceSpeed}
	}
	return &out, nil
}

// Positions computes the seven planets, their aspects and the Moon's condition at t.
func (e *Engine) Positions(t time.Time) (*Positions, error) {
	jd := ephemeris.JulianDay(t)
	src := exactSource{e.eph}
	s, err := src.at(jd, allBodies)
	if err != nil {
		return nil, err
	}
	ps := describe(t, s, true)
	voc, err := e.voidOfCourse(src, jd, s)
	if err != nil {
		return nil, err
	}
	ps.Moon.VoidOfCourse = voc
	return ps, nil
}

// PositionsNow is Positions at the engine clock's present moment.
func (e *Engine) PositionsNow() (*Positions, error) { return e.Positions(e.clock.Now()) }

// describe turns a raw sky into planets, aspects and the Moon's phase (without void of course).
// Aspects are sorted tightest first only when sorted is set (for display).
func describe(t time.Time, s *sky, sorted bool) *Positions {
	ps := &Positions{At: t.UTC(), Planets: make([]PlanetPosition, 7)}
	for _, p := range Planets {
		st := s[p]
		lon := norm360(st.lon)
		sign := SignOf(lon)
		ps.Planets[p] = PlanetPosition{
			Name: p, Longitude: lon, Latitude: st.lat, Speed: st.vlon, Sign: sign,
			DegreeInSign: lon - float64(sign)*30, Retrograde: st.vlon < 0, Dignity: DignityOf(p, sign),
		}
	}
	ps.Aspects = aspectsOf(s)
	if sorted {
		sort.SliceStable(ps.Aspects, func(i, j int) bool { return ps.Aspects[i].Orb < ps.Aspects[j].Orb })
	}
	ps.Moon = moonState(s)
	return ps
}

func aspectsOf(s *sky) []Aspect {
	out := make([]Aspect, 0, 8)
	for i := 0; i < 7; i++ {
		for j := i + 1; j < 7; j++ {
			a, b := Planets[i], Planets[j]
			d := norm360(s[a].lon - s[b].lon)
			sep := d
			rate := s[a].vlon - s[b].vlon
			if d > 180 {
				sep = 360 - d
				rate = -rate
			}
			maxOrb := Moiety(a) + Moiety(b)
			for k := Conjunction; k <= Opposition; k++ {
				dev := sep - k.Angle()
				if math.Abs(dev) > maxOrb {
					continue
				}
				out = append(out, Aspect{
					A: a, B: b, Kind: k, Angle: k.Angle(), Separation: sep, Orb: math.Abs(dev),
					MaxOrb: maxOrb, Applying: dev*rate < 0,
				})
			}
		}
	}
	return out
}

// phaseNames divide the Sun–Moon elongation into eight 45° phases centred on the quarters.
var phaseNames = [8]string{"new_moon", "waxing_crescent", "first_quarter", "waxing_gibbous", "full_moon", "waning_gibbous", "last_quarter", "waning_crescent"}

// PhaseName is the phase for an elongation (Moon − Sun, degrees).
func PhaseName(elongation float64) string {
	return phaseNames[int(math.Floor(norm360(elongation+22.5)/45))%8]
}

func moonState(s *sky) MoonState {
	m, sun := s[Moon], s[Sun]
	el := norm360(m.lon - sun.lon)
	// Meeus, Astronomical Algorithms ch. 48: geocentric elongation ψ, phase angle i, k=(1+cos i)/2.
	cosPsi := math.Cos(rad(m.lat)) * math.Cos(rad(m.lon-sun.lon))
	psi := math.Acos(math.Max(-1, math.Min(1, cosPsi)))
	i := math.Atan2(sun.dist*math.Sin(psi), m.dist-sun.dist*math.Cos(psi))
	return MoonState{
		Sign:         SignOf(m.lon),
		Phase:        PhaseName(el),
		Elongation:   el,
		Illumination: (1 + math.Cos(i)) / 2,
		Waxing:       el < 180,
	}
}

func norm360(x float64) float64 {
	x = math.Mod(x, 360)
	if x < 0 {
		x += 360
	}
	return x
}

// wrap180 maps an angle into (−180, 180].
func wrap180(x float64) float64 {
	x = norm360(x)
	if x > 180 {
		x -= 360
	}
	return x
}

func rad(d float64) float64 { return d * math.Pi / 180 }
