package grading

import (
	"fmt"
	"slices"
	"strings"
)

// Rule is one band of a grade scale (django-sis GradeScaleRule): percentages from Min to Max,
// both inclusive, one decimal, get Letter. Pass says whether the band passes.
type Rule struct {
	Min    Tenths `json:"min"`
	Max    Tenths `json:"max"`
	Letter string `json:"letter"`
	Pass   bool   `json:"pass"`
}

// Scale is a validated set of rules covering 0.0–100.0 with no gap and no overlap, so every
// rounded percentage has exactly one letter. Rules are kept highest first, the order a report
// card's key prints them in.
type Scale struct {
	Name  string
	rules []Rule
}

// ScaleError lists every problem of a proposed scale.
type ScaleError struct {
	Name     string
	Problems []string
}

func (e *ScaleError) Error() string {
	return fmt.Sprintf("grading: scale %q: %s", e.Name, strings.Join(e.Problems, "; "))
}

// NewScale validates rules (in any order) into a Scale: letters present and distinct, each
// band within 0.0–100.0 with Min ≤ Max, bands touching exactly (the next band starts 0.1 above
// the previous one's Max: no gap, no overlap) from 0.0 up to 100.0, and passing bands all
// above failing ones.
func NewScale(name string, rules []Rule) (Scale, error) {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if len(rules) == 0 {
		return Scale{}, &ScaleError{Name: name, Problems: []string{"has no rules"}}
	}
	sorted := slices.Clone(rules)
	slices.SortStableFunc(sorted, func(a, b Rule) int {
		if a.Min != b.Min {
			return int(a.Min - b.Min)
		}
		return int(a.Max - b.Max)
	})
	seen := map[string]bool{}
	for _, r := range sorted {
		letter := strings.TrimSpace(r.Letter)
		switch {
		case letter == "":
			bad("the band %s–%s has no letter", r.Min, r.Max)
		case seen[letter]:
			bad("letter %q is used twice", letter)
		}
		seen[letter] = true
		if r.Min < 0 || r.Max > Hundred {
			bad("%s (%s–%s) is outside 0.0–100.0", letter, r.Min, r.Max)
		}
		if r.Min > r.Max {
			bad("%s starts at %s, above its end %s", letter, r.Min, r.Max)
		}
	}
	if len(problems) > 0 {
		// Coverage of 0–100 is meaningless while a band is upside down or out of range.
		return Scale{}, &ScaleError{Name: name, Problems: problems}
	}
	if first := sorted[0]; first.Min > 0 {
		bad("nothing covers 0.0–%s", first.Min-1)
	}
	for i := 1; i < len(sorted); i++ {
		prev, next := sorted[i-1], sorted[i]
		switch {
		case next.Min > prev.Max+1:
			bad("gap between %s (ends %s) and %s (starts %s): nothing covers %s–%s", prev.Letter, prev.Max, next.Letter, next.Min, prev.Max+1, next.Min-1)
		case next.Min <= prev.Max:
			bad("%s (%s–%s) and %s (%s–%s) overlap on %s–%s", prev.Letter, prev.Min, prev.Max, next.Letter, next.Min, next.Max, next.Min, min(prev.Max, next.Max))
		}
		if prev.Pass && !next.Pass {
			bad("%s passes but %s, above it, fails", prev.Letter, next.Letter)
		}
	}
	if last := slices.MaxFunc(sorted, func(a, b Rule) int { return int(a.Max - b.Max) }); last.Max < Hundred {
		bad("nothing covers %s–100.0", last.Max+1)
	}
	if len(problems) > 0 {
		return Scale{}, &ScaleError{Name: name, Problems: problems}
	}
	for i := range sorted {
		sorted[i].Letter = strings.TrimSpace(sorted[i].Letter)
	}
	slices.Reverse(sorted)
	return Scale{Name: name, rules: sorted}, nil
}

// Rules are the scale's bands, highest first (a copy).
func (s Scale) Rules() []Rule { return slices.Clone(s.rules) }

// Grade is the band a rounded percentage falls in. A percentage outside 0.0–100.0 is an
// error, not a clamp: it means marks above the maximum got through somewhere.
func (s Scale) Grade(p Tenths) (Rule, error) {
	if p < 0 || p > Hundred {
		return Rule{}, fmt.Errorf("grading: %s%% is outside 0.0–100.0", p)
	}
	for _, r := range s.rules {
		if p >= r.Min {
			return r, nil
		}
	}
	return Rule{}, fmt.Errorf("grading: scale %q has no band for %s%%", s.Name, p)
}

// Passes says whether a rounded percentage passes on this scale.
func (s Scale) Passes(p Tenths) (bool, error) {
	r, err := s.Grade(p)
	return r.Pass, err
}

// BISE is the scale of Pakistan's Boards of Intermediate and Secondary Education for SSC and
// HSSC results: A1 80 and above, A 70–79, B 60–69, C 50–59, D 40–49, E 33–39, F below 33
// (33% is the pass mark). With one-decimal percentages the bands are 80.0–100.0, 70.0–79.9
// and so on.
func BISE() Scale {
	s, err := NewScale("BISE", []Rule{
		{Min: 800, Max: 1000, Letter: "A1", Pass: true},
		{Min: 700, Max: 799, Letter: "A", Pass: true},
		{Min: 600, Max: 699, Letter: "B", Pass: true},
		{Min: 500, Max: 599, Letter: "C", Pass: true},
		{Min: 400, Max: 499, Letter: "D", Pass: true},
		{Min: 330, Max: 399, Letter: "E", Pass: true},
		{Min: 0, Max: 329, Letter: "F", Pass: false},
	})
	if err != nil {
		panic(err) // a constant table: a test proves it valid
	}
	return s
}

// SubjectResult is one subject's rounded percentage, for a verdict over a whole result.
type SubjectResult struct {
	Subject string `json:"subject"`
	Percent Tenths `json:"percent"`
}

// Verdict is pass only when every subject passes on the scale (the board rule: 33% in each
// subject, not on average). It lists the failed subjects in the given order.
func Verdict(s Scale, subjects []SubjectResult) (pass bool, failed []string, err error) {
	for _, sr := range subjects {
		ok, err := s.Passes(sr.Percent)
		if err != nil {
			return false, nil, fmt.Errorf("grading: %s: %w", sr.Subject, err)
		}
		if !ok {
			failed = append(failed, sr.Subject)
		}
	}
	return len(failed) == 0 && len(subjects) > 0, failed, nil
}
