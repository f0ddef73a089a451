package engine

import (
	"fmt"
	"sort"
	"time"
)

// Span is a time interval [Start, End).
type Span struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

func (s Span) overlaps(o Span) bool { return s.Start.Before(o.End) && o.Start.Before(s.End) }

// ScheduleItem is an activity to place in the calendar.
type ScheduleItem struct {
	ID        string
	Activity  Activity
	Duration  time.Duration
	Priority  int   // higher is placed first
	Preferred *Span // optional window the user would like; nil means anywhere in the range
}

// ScheduleRequest lists items to place between From and From+Days.
type ScheduleRequest struct {
	Place Place
	From  time.Time
	Days  int
	Items []ScheduleItem
}

// Slot is a candidate time for an activity with its score.
type Slot struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	Score int       `json:"score"`
	Band  string    `json:"band"`
}

// ScheduleEntry is the outcome for one item or one planned entry.
type ScheduleEntry struct {
	ID           string   `json:"id"`
	Activity     string   `json:"activity"`
	Priority     int      `json:"priority"`
	Preferred    *Span    `json:"preferred_window,omitempty"`
	Assigned     *Span    `json:"assigned_window,omitempty"`
	Score        int      `json:"tqs_score"`
	Band         string   `json:"band"`
	Unfavorable  bool     `json:"unfavorable"`
	Overlaps     []string `json:"overlaps,omitempty"`
	Alternatives []Slot   `json:"alternatives,omitempty"`
	Note         string   `json:"note,omitempty"`
}

// Schedule is a conflict-free placement of the items.
type Schedule struct {
	From    time.Time       `json:"from"`
	To      time.Time       `json:"to"`
	Entries []ScheduleEntry `json:"entries"`
}

// Schedule places items greedily by priority (ties keep input order): each takes the
// best-scoring free slot starting at a planetary-hour boundary (or at its preferred window's
// start) inside its preferred window, or anywhere in the range when the window has no free slot.
// Entries scoring under 40 are flagged unfavourable with up to three better free alternatives.
func (e *Engine) Schedule(req ScheduleRequest) (*Schedule, error) {
	if req.Days == 0 {
		req.Days = DefaultSearchDays
	}
	if req.Days < 1 || req.Days > MaxRangeDays {
		return nil, &FieldError{Field: "days", Reason: fmt.Sprintf("must be between 1 and %d", MaxRangeDays)}
	}
	if len(req.Items) == 0 || len(req.Items) > maxScheduleItems {
		return nil, &FieldError{Field: "items", Reason: fmt.Sprintf("must hold 1 to %d activities", maxScheduleItems)}
	}
	to := req.From.Add(time.Duration(req.Days) * 24 * time.Hour)
	for i, it := range req.Items {
		field := fmt.Sprintf("items[%d]", i)
		if it.Activity.Key == "" {
			return nil, &FieldError{Field: field + ".activity", Reason: "is required"}
		}
		if it.Duration < minScheduleDuration || it.Duration > 24*time.Hour {
			return nil, &FieldError{Field: field + ".duration", Reason: "must be between 5 minutes and 24 hours"}
		}
		if p := it.Preferred; p != nil && !p.End.After(p.Start) {
			return nil, &FieldError{Field: field + ".preferred_window", Reason: "end must be after start"}
		}
	}
	tl, err := e.newTimeline(req.Place, req.From, to)
	if err != nil {
		return nil, err
	}
	order := make([]int, len(req.Items))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return req.Items[order[a]].Priority > req.Items[order[b]].Priority })

	out := &Schedule{From: req.From, To: to, Entries: make([]ScheduleEntry, len(req.Items))}
	var busy []Span
	for _, idx := range order {
		it := req.Items[idx]
		entry := ScheduleEntry{ID: it.ID, Activity: it.Activity.Key, Priority: it.Priority, Preferred: it.Preferred}
		scores, err := tl.hourScores(it.Activity)
		if err != nil {
			return nil, err
		}
		within := Span{req.From, to}
		if it.Preferred != nil {
			within = Span{maxTime(it.Preferred.Start, req.From), minTime(it.Preferred.End, to)}
		}
		best, ok := tl.bestSlots(scores, it.Duration, within, busy, 1, -1)
		if !ok && it.Preferred != nil {
			entry.Note = "no free slot in the preferred window; placed elsewhere in the range"
			best, ok = tl.bestSlots(scores, it.Duration, Span{req.From, to}, busy, 1, -1)
		}
		if !ok {
			entry.Note = "no free slot of this length in the range"
			out.Entries[idx] = entry
			continue
		}
		slot := best[0]
		entry.Assigned = &Span{slot.Start, slot.End}
		entry.Score, entry.Band = slot.Score, slot.Band
		busy = append(busy, *entry.Assigned)
		if slot.Score < unfavorableBelow {
			entry.Unfavorable = true
			entry.Alternatives, _ = tl.bestSlots(scores, it.Duration, Span{req.From, to}, busy, maxAlternatives, slot.Score)
		}
		out.Entries[idx] = entry
	}
	return out, nil
}

// bestSlots returns up to n non-overlapping free slots of length d inside within, best score
// first (ties: earliest), each scoring more than above. Candidate starts are the planetary-hour
// boundaries and within.Start.
func (tl *timeline) bestSlots(scores []int, d time.Duration, within Span, busy []Span, n, above int) ([]Slot, bool) {
	starts := []time.Time{within.Start}
	for _, h := range tl.hours {
		if !h.Start.Before(within.Start) && h.Start.Before(within.End) {
			starts = append(starts, h.Start)
		}
	}
	var cands []Slot
	for _, s := range starts {
		sp := Span{s, s.Add(d)}
		if sp.End.After(within.End) || conflicts(sp, busy) {
			continue
		}
		score, ok := tl.spanScore(scores, sp.Start, sp.End)
		if !ok || score <= above {
			continue
		}
		cands = append(cands, Slot{Start: sp.Start, End: sp.End, Score: score, Band: BandOf(score)})
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].Score != cands[j].Score {
			return cands[i].Score > cands[j].Score
		}
		return cands[i].Start.Before(cands[j].Start)
	})
	var out []Slot
	for _, c := range cands {
		if len(out) == n {
			break
		}
		taken := false
		for _, o := range out {
			if (Span{c.Start, c.End}).overlaps(Span{o.Start, o.End}) {
				taken = true
				break
			}
		}
		if !taken {
			out = append(out, c)
		}
	}
	return out, len(out) > 0
}

func conflicts(s Span, busy []Span) bool {
	for _, b := range busy {
		if s.overlaps(b) {
			return true
		}
	}
	return false
}

// PlannedEntry is an activity a user has already put in the calendar.
type PlannedEntry struct {
	ID       string
	Activity Activity
	Start    time.Time
	End      time.Time
}

// CheckPlan scores planned entries, lists which overlap each other, and for unfavourable ones
// (score under 40) suggests up to three better free slots within lookahead after the entry's
// start (1–90 days; 0 means 7).
func (e *Engine) CheckPlan(p Place, entries []PlannedEntry, lookaheadDays int) ([]ScheduleEntry, error) {
	if lookaheadDays == 0 {
		lookaheadDays = DefaultSearchDays
	}
	if lookaheadDays < 1 || lookaheadDays > MaxRangeDays {
		return nil, &FieldError{Field: "lookahead_days", Reason: fmt.Sprintf("must be between 1 and %d", MaxRangeDays)}
	}
	if len(entries) == 0 || len(entries) > maxScheduleItems {
		return nil, &FieldError{Field: "entries", Reason: fmt.Sprintf("must hold 1 to %d entries", maxScheduleItems)}
	}
	from, to := entries[0].Start, entries[0].End
	for i, en := range entries {
		field := fmt.Sprintf("entries[%d]", i)
		if en.Activity.Key == "" {
			return nil, &FieldError{Field: field + ".activity", Reason: "is required"}
		}
		if !en.End.After(en.Start) || en.End.Sub(en.Start) > 24*time.Hour {
			return nil, &FieldError{Field: field + ".end", Reason: "must be after start and at most 24 hours later"}
		}
		from, to = minTime(from, en.Start), maxTime(to, en.End)
	}
	to = maxTime(to, from.Add(time.Duration(lookaheadDays)*24*time.Hour))
	if to.Sub(from) > MaxRangeDays*24*time.Hour {
		return nil, &FieldError{Field: "entries", Reason: fmt.Sprintf("entries and lookahead span more than %d days", MaxRangeDays)}
	}
	tl, err := e.newTimeline(p, from, to)
	if err != nil {
		return nil, err
	}
	busy := make([]Span, len(entries))
	for i, en := range entries {
		busy[i] = Span{en.Start, en.End}
	}
	out := make([]ScheduleEntry, len(entries))
	for i, en := range entries {
		scores, err := tl.hourScores(en.Activity)
		if err != nil {
			return nil, err
		}
		r := ScheduleEntry{ID: en.ID, Activity: en.Activity.Key, Assigned: &Span{en.Start, en.End}}
		for j, o := range entries {
			if j != i && busy[i].overlaps(busy[j]) {
				r.Overlaps = append(r.Overlaps, o.ID)
			}
		}
		score, ok := tl.spanScore(scores, en.Start, en.End)
		if !ok {
			r.Note = "no planetary hours at this place and time (polar day or night)"
			out[i] = r
			continue
		}
		r.Score, r.Band = score, BandOf(score)
		if score < unfavorableBelow || len(r.Overlaps) > 0 {
			r.Unfavorable = score < unfavorableBelow
			window := Span{en.Start, minTime(en.Start.Add(time.Duration(lookaheadDays)*24*time.Hour), to)}
			r.Alternatives, _ = tl.bestSlots(scores, en.End.Sub(en.Start), window, busy, maxAlternatives, score)
		}
		out[i] = r
	}
	return out, nil
}
