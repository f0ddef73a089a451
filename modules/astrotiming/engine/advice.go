package engine

import "time"

// BestHour is the single best-scored hour of the windows, the earliest of equals; false when
// the windows hold no hour. The daily briefing advises it per activity domain.
func BestHour(windows []Window) (ScoredHour, bool) {
	var best *ScoredHour
	for _, w := range windows {
		for i := range w.Hours {
			if best == nil || w.Hours[i].Score > best.Score {
				best = &w.Hours[i]
			}
		}
	}
	if best == nil {
		return ScoredHour{}, false
	}
	return *best, true
}

// NoticeAt is when to tell a subscriber that a window opens: at its start, or at once (now)
// when the window is already under way.
func NoticeAt(w Window, now time.Time) time.Time {
	if !w.Start.After(now) {
		return now
	}
	return w.Start
}
