package discipline

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestDetectPatterns(t *testing.T) {
	t.Parallel()
	week := 7 * 24 * time.Hour
	now := at(t, "2026-03-20T12:00:00Z")
	prior, recent := now.Add(-10*24*time.Hour), now.Add(-2*24*time.Hour)

	var trades []TradeRecord
	var vs []Violation
	// Revenge: one in the prior week, three in the recent one → rising.
	for i, base := range []time.Time{prior, recent, recent.Add(3 * time.Hour), recent.Add(6 * time.Hour)} {
		trades = append(trades, closedTrade(string(rune('a'+i)), base.Add(-time.Hour), 50*time.Minute, -1))
		vs = append(vs, vio(CodeCooldownActive, base.Add(-5*time.Minute)))
	}
	// Session edge: two attempts 10 minutes before London opens (08:00 GMT) in the prior week,
	// none recently → falling. One at 03:00 is not at an edge.
	vs = append(vs,
		vio(CodeOutsideSession, at(t, "2026-03-10T07:50:00Z")),
		vio(CodeOutsideSession, at(t, "2026-03-11T07:50:00Z")),
		vio(CodeOutsideSession, at(t, "2026-03-12T03:00:00Z")))
	// Oversizing: a streak of three in each week (each counted once); a lone one is no streak.
	for _, base := range []time.Time{prior.Add(30 * time.Hour), recent.Add(30 * time.Hour)} {
		for k := range 3 {
			vs = append(vs, vio(CodeRiskTooHigh, base.Add(time.Duration(k)*time.Minute)))
		}
	}
	vs = append(vs, vio(CodeRiskTooHigh, recent.Add(40*time.Hour)))
	// Older than two weeks: ignored.
	vs = append(vs, vio(CodeExternalExecution, now.Add(-20*24*time.Hour)), vio(CodeExternalExecution, now.Add(-21*24*time.Hour)))

	got := DetectPatterns(trades, vs, now, week)
	byType := map[string]Pattern{}
	for _, p := range got {
		byType[p.Type] = p
	}
	require.Equal(t, Pattern{Type: PatternRevenge, Count: 4, Recent: 3, Prior: 1, Trend: TrendRising, LastAt: recent.Add(6*time.Hour - 5*time.Minute)}, byType[PatternRevenge])
	require.Equal(t, Pattern{Type: PatternSessionEdge, Count: 2, Recent: 0, Prior: 2, Trend: TrendFalling, LastAt: at(t, "2026-03-11T07:50:00Z")}, byType[PatternSessionEdge])
	require.Equal(t, 2, byType[PatternOversizing].Count)
	require.Equal(t, TrendStable, byType[PatternOversizing].Trend)
	require.Equal(t, 4, byType[PatternLockBreaking].Count)
	require.NotContains(t, byType, PatternExternal)
	require.NotContains(t, byType, PatternPostWin)
}

func TestOversizingStreakBrokenByAcceptedTrade(t *testing.T) {
	t.Parallel()
	now := t0.Add(24 * time.Hour)
	vs := []Violation{vio(CodeRiskTooHigh, t0), vio(CodeRiskTooHigh, t0.Add(2*time.Minute)), vio(CodeRiskTooHigh, t0.Add(4*time.Hour)), vio(CodeRiskTooHigh, t0.Add(6*time.Hour)),
		vio(CodeRiskTooHigh, t0.Add(8*time.Hour)), vio(CodeNoGoSignal, t0.Add(8*time.Hour+time.Minute)), vio(CodeRiskTooHigh, t0.Add(9*time.Hour)), vio(CodeRiskTooHigh, t0.Add(10*time.Hour))}
	resized := []TradeRecord{{ClientID: "r", Direction: Buy, Entry: 100, InitialStop: 90, OpenedAt: t0.Add(time.Minute)}}
	require.Empty(t, DetectPatterns(resized, vs[:2], now, 24*time.Hour))
	p := DetectPatterns(resized, vs, now, 24*time.Hour)
	require.Len(t, p, 1)
	// 0m/2m is split by the resized trade at 1m, 8h by another refusal: the streaks are 4h–6h–8h and 9h–10h.
	require.Equal(t, 2, p[0].Count)
	require.Equal(t, t0.Add(10*time.Hour), p[0].LastAt)
}
