package engine

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestSearchWindowsAreMergedRankedAndAboveMinimum(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	act, err := LookupActivity("sign contract")
	require.NoError(t, err)
	from := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	res, err := e.Search(SearchRequest{Activity: act, Place: karachi, From: from, Days: 14, MinScore: 55, Limit: 100})
	require.NoError(t, err)
	require.NotEmpty(t, res.Windows)
	require.Greater(t, res.Hours, 14*24-2)
	for i, w := range res.Windows {
		require.False(t, w.Start.Before(from))
		require.False(t, w.End.After(res.To))
		require.True(t, w.End.After(w.Start))
		require.GreaterOrEqual(t, w.Score, 55)
		require.Equal(t, BandOf(w.Score), w.Band)
		peak := 0
		for j, h := range w.Hours {
			require.GreaterOrEqual(t, h.Score, 55)
			peak = max(peak, h.Score)
			if j > 0 {
				require.Equal(t, w.Hours[j-1].End, h.Start, "hours in a window are adjacent")
			}
		}
		require.Equal(t, peak, w.Peak)
		if i > 0 {
			prev := res.Windows[i-1]
			require.True(t, prev.Score > w.Score || (prev.Score == w.Score && prev.Peak >= w.Peak))
		}
	}
	// Windows do not touch: two adjacent qualifying hours would have been merged.
	for i := range res.Windows {
		for j := range res.Windows {
			if i != j {
				require.False(t, res.Windows[i].End.Equal(res.Windows[j].Start))
			}
		}
	}
}

func TestSearchScoresMatchPointScores(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	act, err := LookupActivity("travel")
	require.NoError(t, err)
	from := time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)
	tl, err := e.newTimeline(karachi, from, from.Add(3*24*time.Hour))
	require.NoError(t, err)
	scores, err := tl.hourScores(act)
	require.NoError(t, err)
	// Interpolated positions differ from exact ones by ~1e-5°, so the integer scores agree unless
	// an orb or sign boundary lies within that distance; over 72 hours none does.
	for i, h := range tl.hours {
		exact, err := e.Score(act, karachi, h.Mid())
		require.NoError(t, err)
		require.Equal(t, exact.Score, scores[i], "hour %d at %s: %+v", h.Index, h.Mid(), exact.Breakdown)
	}
}

func TestHourRulerDominatesOverAMonth(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	act, err := LookupActivity("surgery") // Mars, also the Sun
	require.NoError(t, err)
	from := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	tl, err := e.newTimeline(karachi, from, from.Add(30*24*time.Hour))
	require.NoError(t, err)
	scores, err := tl.hourScores(act)
	require.NoError(t, err)
	sum := map[Planet]int{}
	n := map[Planet]int{}
	for i, h := range tl.hours {
		sum[h.Ruler] += scores[i]
		n[h.Ruler]++
	}
	mean := func(p Planet) float64 { return float64(sum[p]) / float64(n[p]) }
	// Same sky on average, so the 30-point hour factor separates the rulers in its order.
	require.Greater(t, mean(Mars), mean(Sun))
	require.Greater(t, mean(Sun), mean(Jupiter))
	require.Greater(t, mean(Jupiter), mean(Mercury))
	require.Greater(t, mean(Mercury), mean(Saturn))

	res, err := e.Search(SearchRequest{Activity: act, Place: karachi, From: from, Days: 30, MinScore: 70, Limit: 100})
	require.NoError(t, err)
	require.NotEmpty(t, res.Windows)
	marsHours := 0
	for _, w := range res.Windows {
		for _, h := range w.Hours {
			if h.Ruler == Mars {
				marsHours++
			}
		}
	}
	require.Positive(t, marsHours)
}

func TestSearchAcceptsTheFullNinetyDays(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	act, err := LookupActivity("wedding")
	require.NoError(t, err)
	from := time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC)
	res, err := e.Search(SearchRequest{Activity: act, Place: karachi, From: from, Days: MaxRangeDays, MinScore: 80, Limit: MaxSearchLimit})
	require.NoError(t, err)
	require.Equal(t, from.Add(90*24*time.Hour), res.To)
	require.InDelta(t, 90*24, res.Hours, 2)
}

func TestSearchValidation(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	act, err := LookupActivity("travel")
	require.NoError(t, err)
	from := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	cases := map[string]SearchRequest{
		"days":      {Activity: act, Place: karachi, From: from, Days: 91},
		"min_score": {Activity: act, Place: karachi, From: from, MinScore: 101},
		"limit":     {Activity: act, Place: karachi, From: from, Limit: 1000},
		"from":      {Activity: act, Place: karachi},
		"activity":  {Place: karachi, From: from},
		"lat":       {Activity: act, Place: Place{Lat: 91, Zone: time.UTC}, From: from},
	}
	for field, req := range cases {
		_, err := e.Search(req)
		var fe *FieldError
		require.ErrorAs(t, err, &fe, field)
		require.Equal(t, field, fe.Field)
	}
}

func TestScheduleIsConflictFreeAndHonoursPriorities(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	lookup := func(q string) Activity {
		a, err := LookupActivity(q)
		require.NoError(t, err)
		return a
	}
	from := time.Date(2026, 12, 7, 0, 0, 0, 0, karachi.Zone)
	pref := &Span{from.Add(9 * time.Hour), from.Add(18 * time.Hour)}
	items := []ScheduleItem{
		{ID: "a", Activity: lookup("sign contract"), Duration: 90 * time.Minute, Priority: 1},
		{ID: "b", Activity: lookup("job interview"), Duration: time.Hour, Priority: 5, Preferred: pref},
		{ID: "c", Activity: lookup("travel"), Duration: 3 * time.Hour, Priority: 3},
		{ID: "d", Activity: lookup("sign contract"), Duration: 90 * time.Minute, Priority: 1},
	}
	s, err := e.Schedule(ScheduleRequest{Place: karachi, From: from, Days: 5, Items: items})
	require.NoError(t, err)
	require.Len(t, s.Entries, 4)
	for i, en := range s.Entries {
		require.Equal(t, items[i].ID, en.ID, "entries keep input order")
		require.NotNil(t, en.Assigned, en)
		require.Equal(t, items[i].Duration, en.Assigned.End.Sub(en.Assigned.Start))
		for j := i + 1; j < len(s.Entries); j++ {
			require.False(t, en.Assigned.overlaps(*s.Entries[j].Assigned), "%s overlaps %s", en.ID, s.Entries[j].ID)
		}
		if en.Unfavorable {
			for _, alt := range en.Alternatives {
				require.Greater(t, alt.Score, en.Score)
			}
		}
	}
	b := s.Entries[1]
	require.False(t, b.Assigned.Start.Before(pref.Start))
	require.False(t, b.Assigned.End.After(pref.End))
	// The two identical items cannot share the best slot; the first in input order gets it.
	require.GreaterOrEqual(t, s.Entries[0].Score, s.Entries[3].Score)

	// The highest-priority item gets the best slot in its window: no free slot there scores more.
	tl, err := e.newTimeline(karachi, from, from.Add(5*24*time.Hour))
	require.NoError(t, err)
	scores, err := tl.hourScores(items[1].Activity)
	require.NoError(t, err)
	best, ok := tl.bestSlots(scores, time.Hour, *pref, nil, 1, -1)
	require.True(t, ok)
	require.Equal(t, best[0].Score, b.Score)
}

func TestCheckPlanFlagsOverlapsAndUnfavourableEntries(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	act, err := LookupActivity("sign contract")
	require.NoError(t, err)
	from := time.Date(2026, 12, 7, 0, 0, 0, 0, karachi.Zone)
	// Find the worst hour of a day for this activity and plan the signing there.
	tl, err := e.newTimeline(karachi, from, from.Add(24*time.Hour))
	require.NoError(t, err)
	scores, err := tl.hourScores(act)
	require.NoError(t, err)
	worst := 0
	for i := range scores {
		if scores[i] < scores[worst] {
			worst = i
		}
	}
	h := tl.hours[worst]
	entries := []PlannedEntry{
		{ID: "sign", Activity: act, Start: h.Start, End: h.End},
		{ID: "call", Activity: act, Start: h.Start.Add(10 * time.Minute), End: h.Start.Add(20 * time.Minute)},
	}
	res, err := e.CheckPlan(karachi, entries, 3)
	require.NoError(t, err)
	require.Equal(t, []string{"call"}, res[0].Overlaps)
	require.Equal(t, []string{"sign"}, res[1].Overlaps)
	require.Equal(t, scores[worst], res[0].Score)
	require.Equal(t, scores[worst] < unfavorableBelow, res[0].Unfavorable)
	require.NotEmpty(t, res[0].Alternatives)
	for _, alt := range res[0].Alternatives {
		require.Greater(t, alt.Score, res[0].Score)
		require.False(t, (Span{alt.Start, alt.End}).overlaps(Span{entries[1].Start, entries[1].End}))
	}
}

// MinScore's zero value means the default; AnyScore is how a caller asks for a real minimum of 0,
// under which every hour qualifies and the whole range is one window.
func TestSearchAnyScoreKeepsEveryHour(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	act, err := LookupActivity("writing")
	require.NoError(t, err)
	from := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	res, err := e.Search(SearchRequest{Activity: act, Place: karachi, From: from, Days: 2, MinScore: AnyScore, Limit: 100})
	require.NoError(t, err)
	require.Equal(t, 0, res.MinScore)
	require.Len(t, res.Windows, 1)
	require.Equal(t, from, res.Windows[0].Start)
	require.Equal(t, res.To, res.Windows[0].End)
	require.Len(t, res.Windows[0].Hours, res.Hours)

	def, err := e.Search(SearchRequest{Activity: act, Place: karachi, From: from, Days: 2, Limit: 100})
	require.NoError(t, err)
	require.Equal(t, DefaultMinScore, def.MinScore)
}
