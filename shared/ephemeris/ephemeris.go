// Package ephemeris is a small cgo binding to the Swiss Ephemeris C library (Debian's libswe,
// `pkg-config swe`). It exposes planet positions (swe_calc_ut), rise/set/transit times
// (swe_rise_trans) and Julian day conversions in Universal Time.
//
// libswe keeps global state (the ephemeris path, file handles, caches of the last computed
// positions); Debian's build makes that state thread-local. Every call therefore goes through one
// package-wide mutex and, in C, first makes the calling OS thread use the handle's file path.
// Several *Ephemeris values may exist side by side.
//
// The library silently falls back to its analytic Moshier ephemeris when a date lies outside the
// data files. This binding never does: such a result is reported as ErrOutOfRange, so precision
// promised by the files is precision delivered.
package ephemeris

/*
#cgo pkg-config: swe
#include <stdlib.h>
#include "alorig_swe.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unsafe"
)

// DefaultPath is where Debian's swe-basic-data installs the ephemeris files (1800–2399 CE).
const DefaultPath = "/usr/share/libswe/ephe"

// Body is a Swiss Ephemeris body number (SE_SUN, SE_MOON, …).
type Body int32

// Bodies known to the library by number. Other numbers (asteroids as SE_AST_OFFSET+n) may be
// passed as Body(n) directly.
const (
	Sun      Body = C.SE_SUN
	Moon     Body = C.SE_MOON
	Mercury  Body = C.SE_MERCURY
	Venus    Body = C.SE_VENUS
	Mars     Body = C.SE_MARS
	Jupiter  Body = C.SE_JUPITER
	Saturn   Body = C.SE_SATURN
	Uranus   Body = C.SE_URANUS
	Neptune  Body = C.SE_NEPTUNE
	Pluto    Body = C.SE_PLUTO
	MeanNode Body = C.SE_MEAN_NODE
	TrueNode Body = C.SE_TRUE_NODE
	Chiron   Body = C.SE_CHIRON
)

// Flag is a set of SEFLG_* bits for Calc. FlagSwissEph and FlagSpeed are always added.
type Flag int32

// Calculation flags (a subset of SEFLG_*). Flags that need extra library state (topocentric
// positions after swe_set_topo, sidereal modes after swe_set_sid_mode) are not offered: that
// state would be per thread and per call here, and nothing needs it yet.
const (
	FlagSwissEph     Flag = C.SEFLG_SWIEPH
	FlagSpeed        Flag = C.SEFLG_SPEED
	FlagHeliocentric Flag = C.SEFLG_HELCTR
	FlagTruePos      Flag = C.SEFLG_TRUEPOS
	FlagJ2000        Flag = C.SEFLG_J2000
	FlagNoNutation   Flag = C.SEFLG_NONUT
	FlagEquatorial   Flag = C.SEFLG_EQUATORIAL
)

const (
	ephemerisBits = Flag(C.SEFLG_JPLEPH | C.SEFLG_SWIEPH | C.SEFLG_MOSEPH)
	statefulBits  = Flag(C.SEFLG_TOPOCTR | C.SEFLG_SIDEREAL)
)

// Errors returned by this package. Wrapped errors carry the body, date and libswe's message.
var (
	// ErrOutOfRange: the date is outside the ephemeris files, or libswe could not use the files
	// and would have fallen back to the less precise Moshier ephemeris.
	ErrOutOfRange = errors.New("ephemeris: date outside the Swiss Ephemeris files")
	// ErrNoEvent: the body does not rise or set (circumpolar) near the requested date.
	ErrNoEvent = errors.New("ephemeris: no rise or set found (circumpolar body)")
	// ErrFiles: the ephemeris directory is missing or holds no usable files.
	ErrFiles = errors.New("ephemeris: ephemeris files unavailable")
	// ErrCalc: libswe reported an error of its own.
	ErrCalc = errors.New("ephemeris: calculation failed")
)

// callMu serialises every call into libswe. With Debian's thread-local build this is stricter
// than needed, but it keeps the binding correct on a build without thread-local state and keeps
// the number of threads holding open ephemeris files small.
var callMu sync.Mutex

// Ephemeris is a handle on one directory of Swiss Ephemeris files. Safe for concurrent use.
type Ephemeris struct {
	path    string
	cpath   *C.char // lives as long as the handle; handles are few and long-lived
	startJD float64
	endJD   float64
}

// Open checks that dir holds Swiss Ephemeris files covering at least the planets and the Moon
// and returns a handle using them. The usable range is the overlap of the planet and Moon files.
func Open(dir string) (*Ephemeris, error) {
	if dir == "" {
		dir = DefaultPath
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("%w: path %q: %v", ErrFiles, dir, err)
	}
	st, err := os.Stat(abs)
	if err != nil || !st.IsDir() {
		return nil, fmt.Errorf("%w: %q is not a readable directory", ErrFiles, abs)
	}
	if len(abs) > 4000 {
		return nil, fmt.Errorf("%w: path too long (%d bytes)", ErrFiles, len(abs))
	}
	// libswe wants the trailing separator to read the string as a directory.
	e := &Ephemeris{path: abs, cpath: C.CString(abs + string(os.PathSeparator))}

	var start, end C.double
	var serr [C.AS_MAXCH]C.char
	callMu.Lock()
	ret := C.alorig_probe(e.cpath, &start, &end, &serr[0])
	callMu.Unlock()
	if ret != 0 {
		C.free(unsafe.Pointer(e.cpath))
		return nil, fmt.Errorf("%w: %q: %s", ErrFiles, abs, strings.TrimSpace(C.GoString(&serr[0])))
	}
	e.startJD, e.endJD = float64(start), float64(end)
	return e, nil
}

// Path is the directory the handle reads.
func (e *Ephemeris) Path() string { return e.path }

// Range is the span of Julian days (UT, to within ΔT) the files cover.
func (e *Ephemeris) Range() (startJD, endJD float64) { return e.startJD, e.endJD }

// RangeTime is Range as UTC times.
func (e *Ephemeris) RangeTime() (start, end time.Time) {
	return TimeFromJulianDay(e.startJD), TimeFromJulianDay(e.endJD)
}

// Position is the result of Calc: for the default (ecliptic, tropical, geocentric) flags the
// longitude and latitude are in degrees, the distance in AU, the speeds per day.
type Position struct {
	Longitude      float64 `json:"longitude"`
	Latitude       float64 `json:"latitude"`
	Distance       float64 `json:"distance"`
	LongitudeSpeed float64 `json:"longitude_speed"`
	LatitudeSpeed  float64 `json:"latitude_speed"`
	DistanceSpeed  float64 `json:"distance_speed"`
}

// Calc computes the position of body at jdUT (Julian day, Universal Time) with swe_calc_ut.
// FlagSwissEph and FlagSpeed are always set; other ephemeris bits in flags are rejected because
// they would bypass the files.
func (e *Ephemeris) Calc(jdUT float64, body Body, flags Flag) (Position, error) {
	if err := checkFlags(flags); err != nil {
		return Position{}, fmt.Errorf("ephemeris: body %d: %w", body, err)
	}
	callMu.Lock()
	defer callMu.Unlock()
	return e.calcLocked(jdUT, body, flags)
}

// CalcTime is Calc at a time instant.
func (e *Ephemeris) CalcTime(t time.Time, body Body, flags Flag) (Position, error) {
	return e.Calc(JulianDay(t), body, flags)
}

// CalcMany computes several bodies at one instant under a single lock acquisition.
func (e *Ephemeris) CalcMany(jdUT float64, bodies []Body, flags Flag, out []Position) error {
	if len(out) < len(bodies) {
		return fmt.Errorf("ephemeris: CalcMany needs %d result slots, got %d", len(bodies), len(out))
	}
	if err := checkFlags(flags); err != nil {
		return fmt.Errorf("ephemeris: %w", err)
	}
	callMu.Lock()
	defer callMu.Unlock()
	for i, b := range bodies {
		p, err := e.calcLocked(jdUT, b, flags)
		if err != nil {
			return err
		}
		out[i] = p
	}
	return nil
}

func checkFlags(flags Flag) error {
	if flags&ephemerisBits&^FlagSwissEph != 0 {
		return fmt.Errorf("only the Swiss Ephemeris files may be used, got flags %#x", int32(flags))
	}
	if flags&statefulBits != 0 {
		return fmt.Errorf("topocentric and sidereal flags are not supported, got flags %#x", int32(flags))
	}
	return nil
}

func (e *Ephemeris) calcLocked(jdUT float64, body Body, flags Flag) (Position, error) {
	iflag := C.int32(flags | FlagSwissEph | FlagSpeed)
	var xx [6]C.double
	var serr [C.AS_MAXCH]C.char
	ret := C.alorig_calc(e.cpath, C.double(jdUT), C.int32(body), iflag, &xx[0], &serr[0])
	msg := strings.TrimSpace(C.GoString(&serr[0]))
	if ret < 0 {
		if strings.Contains(msg, "not found") || strings.Contains(msg, "outside") || strings.Contains(msg, "beyond") {
			return Position{}, fmt.Errorf("%w: body %d at JD %.6f: %s", ErrOutOfRange, body, jdUT, msg)
		}
		return Position{}, fmt.Errorf("%w: body %d at JD %.6f: %s", ErrCalc, body, jdUT, msg)
	}
	if Flag(ret)&FlagSwissEph == 0 {
		return Position{}, fmt.Errorf("%w: body %d at JD %.6f (%s): %s", ErrOutOfRange, body, jdUT,
			TimeFromJulianDay(jdUT).Format(time.RFC3339), msg)
	}
	return Position{
		Longitude:      float64(xx[0]),
		Latitude:       float64(xx[1]),
		Distance:       float64(xx[2]),
		LongitudeSpeed: float64(xx[3]),
		LatitudeSpeed:  float64(xx[4]),
		DistanceSpeed:  float64(xx[5]),
	}, nil
}

// Version is the libswe version string.
func Version() string {
	var buf [C.AS_MAXCH]C.char
	callMu.Lock()
	defer callMu.Unlock()
	return C.GoString(C.swe_version(&buf[0]))
}

// Licence is the licence under which Debian distributes libswe (debian/copyright of libswe2.0):
// the Affero GPL, version 3. Astrodienst also sells a professional licence; Alorig does not hold
// one and complies with the AGPL instead (NOTICE at the repository root).
const Licence = "AGPL-3.0 (Swiss Ephemeris by Astrodienst AG; libswe as packaged by Debian)"
