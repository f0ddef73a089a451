package engine

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/alorig/alorig/shared/clock"
	"github.com/alorig/alorig/shared/ephemeris"
)

func newEngine(t testing.TB, opts ...Option) *Engine {
	t.Helper()
	eph, err := ephemeris.Open(ephemeris.DefaultPath)
	require.NoError(t, err)
	return New(eph, clock.NewFake(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)), opts...)
}

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}
