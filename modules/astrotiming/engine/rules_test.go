package engine

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestRoundCoord(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want float64 }{
		{31.5497, 31.55}, {74.3436, 74.344}, {-0.1278, -0.128}, {0.0004, 0}, {-0.0004, 0}, {-0.0001, 0},
		{90, 90}, {-180, -180}, {12.3455, 12.346}, {-12.3455, -12.346},
	} {
		got := RoundCoord(c.in)
		require.Equal(t, c.want, got, "RoundCoord(%v)", c.in)
		require.False(t, math.Signbit(got) && got == 0, "RoundCoord(%v) is -0", c.in)
	}
}

func TestPlans(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		plan, min string
		ok        bool
	}{
		{PlanPremium, PlanDeveloper, true}, {PlanPremium, PlanPremium, true}, {PlanDeveloper, PlanPremium, false},
		{PlanDeveloper, PlanDeveloper, true}, {PlanFree, PlanDeveloper, false}, {"", PlanFree, false}, {"gold", PlanFree, false},
	} {
		require.Equal(t, c.ok, PlanAtLeast(c.plan, c.min), "%q at least %q", c.plan, c.min)
	}
	require.Equal(t, PlanFree, BestPlan(nil))
	require.Equal(t, PlanFree, BestPlan([]string{"gold"}), "an unknown tier grants nothing")
	require.Equal(t, PlanPremium, BestPlan([]string{PlanFree, PlanPremium, PlanDeveloper}))
	require.Equal(t, PlanDeveloper, BestPlan([]string{PlanDeveloper, PlanFree}))
}

func TestBestHour(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 11, 6, 0, 0, 0, time.UTC)
	h := func(i, score int) ScoredHour {
		return ScoredHour{Hour: Hour{Index: i, Start: at.Add(time.Duration(i) * time.Hour)}, Score: score}
	}
	_, ok := BestHour(nil)
	require.False(t, ok)
	_, ok = BestHour([]Window{{}})
	require.False(t, ok, "a window without hours advises nothing")
	best, ok := BestHour([]Window{{Hours: []ScoredHour{h(1, 40), h(2, 70), h(3, 55)}}, {Hours: []ScoredHour{h(9, 70), h(10, 60)}}})
	require.True(t, ok)
	require.Equal(t, 2, best.Index, "the highest score, the earliest of equals")
	best, _ = BestHour([]Window{{Hours: []ScoredHour{h(1, 40)}}, {Hours: []ScoredHour{h(5, 41)}}})
	require.Equal(t, 5, best.Index, "every window is looked at")
}

func TestNoticeAt(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 11, 10, 0, 0, 0, time.UTC)
	require.Equal(t, now.Add(time.Hour), NoticeAt(Window{Start: now.Add(time.Hour)}, now))
	require.Equal(t, now, NoticeAt(Window{Start: now}, now), "a window opening now is told now")
	require.Equal(t, now, NoticeAt(Window{Start: now.Add(-time.Minute)}, now), "a window under way is told at once")
}
