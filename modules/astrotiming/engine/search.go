package engine

import (
	"fmt"
	"sort"
	"time"
)

// Search limits.
const (
	DefaultMinScore = 60
	// AnyScore asks for a minimum of 0 (every hour qualifies): MinScore's zero value already
	// means DefaultMinScore, so callers that were given an explicit 0 pass this instead.
	AnyScore            = -1
	DefaultSearchLimit  = 10
	MaxSearchLimit      = 100
	DefaultSearchDays   = 7
	maxScheduleItems    = 50
	maxAlternatives     = 3
	unfavorableBelow    = 40
	minScheduleDuration = 5 * time.Minute
)

// SearchRequest asks for the best windows for an activity.
type SearchRequest struct {
	Activity Activity
	Place    Place
	From     time.Time
	Days     int // 1–90; 0 means DefaultSearchDays
	MinScore int // 1–100; 0 means DefaultMinScore, AnyScore means 0
	Limit    int // 0 means DefaultSearchLimit
}

// ScoredHour is a planetary hour with the activity's score at its midpoint.
type ScoredHour struct {
	Hour
	Score int    `json:"score"`
	Band  string `json:"band"`
}

// Window is a run of consecutive planetary hours that all reach the minimum score.
type Window struct {
	Start time.Time    `json:"start"`
	End   time.Time    `json:"end"`
	Score int          `json:"score"` // duration-weighted mean of the hours, rounded
	Peak  int          `json:"peak"`  // best single hour
	Band  string       `json:"band"`
	Hours []ScoredHour `json:"hours"`
}

// SearchResult holds the ranked windows.
type SearchResult struct {
	Activity  Activity  `json:"activity"`
	From      time.Time `json:"from"`
	To        time.Time `json:"to"`
	MinScore  int       `json:"min_score"`
	Windows   []Window  `json:"windows"`
	Hours     int       `json:"hours_scanned"`
	PolarDays []Date    `json:"polar_days,omitempty"`
}

func (r *SearchRequest) normalise() error {
	if r.Days == 0 {
		r.Days = DefaultSearchDays
	}
	if r.Days < 1 || r.Days > MaxRangeDays {
		return &FieldError{Field: "days", Reason: fmt.Sprintf("must be between 1 and %d", MaxRangeDays)}
	}
	switch r.MinScore {
	case 0:
		r.MinScore = DefaultMinScore
	case AnyScore:
		r.MinScore = 0
	}
	if r.MinScore < 0 || r.MinScore > 100 {
		return &FieldError{Field: "min_score", Reason: "must be between 0 and 100"}
	}
	if r.Limit == 0 {
		r.Limit = DefaultSearchLimit
	}
	if r.Limit < 1 || r.Limit > MaxSearchLimit {
		return &FieldError{Field: "limit", Reason: fmt.Sprintf("must be between 1 and %d", MaxSearchLimit)}
	}
	if r.From.IsZero() {
		return &FieldError{Field: "from", Reason: "is required"}
	}
	if r.Activity.Key == "" {
		return &FieldError{Field: "activity", Reason: "is required"}
	}
	return r.Place.Validate()
}

// Search scans the planetary hours from req.From for req.Days days, scores each for the activity
// at its midpoint, merges adjacent hours at or above MinScore into windows and ranks them by
// score, then peak, then earliest start.
func (e *Engine) Search(req SearchRequest) (*SearchResult, error) {
	if err := req.normalise(); err != nil {
		return nil, err
	}
	to := req.From.Add(time.Duration(req.Days) * 24 * time.Hour)
	tl, err := e.newTimeline(req.Place, req.From, to)
	if err != nil {
		return nil, err
	}
	scores, err := tl.hourScores(req.Activity)
	if err != nil {
		return nil, err
	}
	res := &SearchResult{Activity: req.Activity, From: req.From, To: to, MinScore: req.MinScore, Windows: []Window{}, Hours: len(tl.hours), PolarDays: tl.polarDays}
	var cur *Window
	flush := func() {
		if cur == nil {
			return
		}
		var sum, total float64
		for _, h := range cur.Hours {
			d := minTime(h.End, to).Sub(maxTime(h.Start, req.From)).Seconds()
			sum += d * float64(h.Score)
			total += d
		}
		cur.Score = int(sum/total + 0.5)
		cur.Band = BandOf(cur.Score)
		res.Windows = append(res.Windows, *cur)
		cur = nil
	}
	for i, h := range tl.hours {
		s := scores[i]
		if s < req.MinScore {
			flush()
			continue
		}
		if cur != nil && !cur.End.Equal(h.Start) {
			flush()
		}
		sh := ScoredHour{Hour: h, Score: s, Band: BandOf(s)}
		if cur == nil {
			cur = &Window{Start: maxTime(h.Start, req.From)}
		}
		cur.End = minTime(h.End, to)
		cur.Peak = max(cur.Peak, s)
		cur.Hours = append(cur.Hours, sh)
	}
	flush()
	sort.SliceStable(res.Windows, func(i, j int) bool {
		a, b := res.Windows[i], res.Windows[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if a.Peak != b.Peak {
			return a.Peak > b.Peak
		}
		return a.Start.Before(b.Start)
	})
	if len(res.Windows) > req.Limit {
		res.Windows = res.Windows[:req.Limit]
	}
	return res, nil
}
