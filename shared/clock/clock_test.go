package clock_test

import (
	"testing"
	"time"

	"github.com/alorig/alorig/shared/clock"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	t.Parallel()
	c, fixed, err := clock.Parse("")
	require.NoError(t, err)
	require.False(t, fixed)
	require.IsType(t, clock.System{}, c)

	c, fixed, err = clock.Parse("2015-03-13T17:00:00Z")
	require.NoError(t, err)
	require.True(t, fixed)
	require.WithinDuration(t, time.Date(2015, 3, 13, 17, 0, 0, 0, time.UTC), c.Now(), 5*time.Second, "starts at the instant and runs")

	c, _, err = clock.Parse("+36h")
	require.NoError(t, err)
	require.WithinDuration(t, time.Now().Add(36*time.Hour), c.Now(), 5*time.Second)

	_, _, err = clock.Parse("tomorrow")
	require.ErrorContains(t, err, "RFC 3339")
}

func TestFake(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 29, 0, 59, 0, 0, time.UTC)
	f := clock.NewFake(start)
	require.Equal(t, start, f.Now())
	require.Equal(t, start.Add(2*time.Minute), f.Advance(2*time.Minute))
	f.Set(start)
	require.Equal(t, start, f.Now())
}
