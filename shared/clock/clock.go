// Package clock is the one source of time for business rules. Production uses the system
// clock; tests and demos use a Fake (set and stepped by hand) or an Offset clock that starts at
// a chosen instant and then runs. Nothing outside this package calls time.Now for a rule.
package clock

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// Clock tells the time.
type Clock interface {
	Now() time.Time
}

// System is the real wall clock.
type System struct{}

func (System) Now() time.Time { return time.Now() }

// Offset is the wall clock shifted by a fixed duration: a clock that starts at a chosen instant
// and then runs at normal speed.
type Offset struct{ D time.Duration }

func (o Offset) Now() time.Time { return time.Now().Add(o.D) }

// StartingAt returns a running clock that reads t now.
func StartingAt(t time.Time) Offset { return Offset{D: time.Until(t)} }

// Fake is a clock that moves only when told to. Safe for concurrent use.
type Fake struct {
	mu  sync.Mutex
	now time.Time
}

// NewFake returns a Fake reading t.
func NewFake(t time.Time) *Fake { return &Fake{now: t} }

func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// Set moves the clock to t.
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	f.now = t
	f.mu.Unlock()
}

// Advance moves the clock forward by d and returns the new time.
func (f *Fake) Advance(d time.Duration) time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
	return f.now
}

// Parse reads the ALORIG_CLOCK setting: empty for the system clock, an RFC 3339 instant for a
// clock that starts there and runs, or a signed duration ("+36h", "-90m") for an offset clock.
// The bool reports whether the result differs from the system clock.
func Parse(s string) (Clock, bool, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return System{}, false, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return StartingAt(t), true, nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		return Offset{D: d}, true, nil
	}
	return nil, false, fmt.Errorf("clock %q: want an RFC 3339 time (2026-03-13T17:00:00Z) or a duration (+36h)", s)
}
