package grading

import (
	"errors"
	"fmt"
	"math/big"
	"slices"
)

// MarkingPeriod is a term of the school year (django-sis MarkingPeriod). Weight is its share
// of the final result, relative to the other periods (e.g. 1:1:2 for two terms and the
// annual exam). Active says whether teachers may still enter grades in it.
type MarkingPeriod struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Weight int64  `json:"weight"`
	Active bool   `json:"active"`
}

// ErrPeriodClosed is returned by AcceptsGrades for a period that is not active.
var ErrPeriodClosed = errors.New("grading: the marking period is not active")

// AcceptsGrades is nil when marks may be entered in the period, or an error naming it.
func (mp MarkingPeriod) AcceptsGrades() error {
	if !mp.Active {
		return fmt.Errorf("%w: %q (id %d)", ErrPeriodClosed, mp.Name, mp.ID)
	}
	return nil
}

// Assessment is a test, quiz or assignment within a marking period. Weight is its share of
// the period's result relative to the period's other assessments; 0 records marks without
// counting them (a practice test).
type Assessment struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	MaxMarks Tenths `json:"max_marks"`
	Weight   int64  `json:"weight"`
}

// Status says how a score counts.
type Status int

const (
	// Marked: Obtained counts.
	Marked Status = iota
	// Absent: the student missed it without excuse; it counts as zero.
	Absent
	// Excused: left out of the student's result (medical leave, joined late).
	Excused
)

// Score is one student's mark in one assessment.
type Score struct {
	Assessment int64  `json:"assessment"`
	Obtained   Tenths `json:"obtained"`
	Status     Status `json:"status"`
}

// Result is a weighted result: the exact fraction (kept so results combine without rounding
// twice) and its rounded percentage.
type Result struct {
	// Percent is the result rounded half-up to one decimal (see Round).
	Percent Tenths `json:"percent"`
	// Unmarked lists the assessments (or, for a final result, the periods) with no score yet:
	// the result covers the rest and is provisional while this is not empty.
	Unmarked []int64 `json:"unmarked,omitempty"`
	exact    *big.Rat
}

// Exact is the unrounded result as a fraction of 1 (0.7245 is 72.45%), a copy.
func (r Result) Exact() *big.Rat {
	if r.exact == nil {
		return new(big.Rat)
	}
	return new(big.Rat).Set(r.exact)
}

// ErrNothingCounted is returned when no assessment (or period) with weight above zero has a
// counting score: there is no result to show, rather than a 0% that looks like one.
var ErrNothingCounted = errors.New("grading: nothing counted yet")

// Round turns an exact fraction of 1 into tenths of a percent, rounding half up: 72.45% is
// 72.5, 72.44% is 72.4. In integers: floor((2·1000·num + den) / (2·den)) for num, den ≥ 0.
//
// Half-up, not half-to-even, because it is what Pakistani boards, teachers and parents do by
// hand: a report card whose 72.45 printed as 72.4 would be queried. The fraction is exact, so
// there is no float drift: 41 marks out of 80 is exactly 51.25% and prints 51.3, where
// float64's 41.0/80*100 is 51.249999… and would print 51.2.
func Round(frac *big.Rat) Tenths {
	num := new(big.Int).Mul(frac.Num(), big.NewInt(2000))
	num.Add(num, frac.Denom())
	den := new(big.Int).Mul(frac.Denom(), big.NewInt(2))
	return Tenths(num.Quo(num, den).Int64())
}

// ScoreError names a score that cannot be counted.
type ScoreError struct {
	Assessment int64
	Problem    string
}

func (e *ScoreError) Error() string {
	return fmt.Sprintf("grading: assessment %d: %s", e.Assessment, e.Problem)
}

// PeriodResult weighs one student's scores in one marking period:
//
//	Σ weight·(obtained/max) / Σ weight
//
// over the assessments that count (weight > 0, a Marked or Absent score). Each assessment
// contributes its fraction of its own maximum, so a 20-mark quiz and a 100-mark exam of equal
// weight count equally. Scores above the maximum or below zero, scores for assessments not in
// the list, two scores for one assessment, and assessments with a maximum of zero or a
// negative weight are errors, not silently clamped.
func PeriodResult(assessments []Assessment, scores []Score) (Result, error) {
	byID := make(map[int64]Assessment, len(assessments))
	for _, a := range assessments {
		if _, dup := byID[a.ID]; dup {
			return Result{}, &ScoreError{Assessment: a.ID, Problem: "is listed twice"}
		}
		if a.MaxMarks <= 0 {
			return Result{}, &ScoreError{Assessment: a.ID, Problem: fmt.Sprintf("%q has maximum marks %s; want more than 0", a.Name, a.MaxMarks)}
		}
		if a.Weight < 0 {
			return Result{}, &ScoreError{Assessment: a.ID, Problem: fmt.Sprintf("%q has weight %d; want 0 or more", a.Name, a.Weight)}
		}
		byID[a.ID] = a
	}
	got := make(map[int64]Score, len(scores))
	for _, s := range scores {
		a, ok := byID[s.Assessment]
		if !ok {
			return Result{}, &ScoreError{Assessment: s.Assessment, Problem: "is not an assessment of this marking period"}
		}
		if _, dup := got[s.Assessment]; dup {
			return Result{}, &ScoreError{Assessment: s.Assessment, Problem: "has two scores for one student"}
		}
		if s.Status < Marked || s.Status > Excused {
			return Result{}, &ScoreError{Assessment: s.Assessment, Problem: fmt.Sprintf("status %d is not marked, absent or excused", s.Status)}
		}
		if s.Status == Marked && (s.Obtained < 0 || s.Obtained > a.MaxMarks) {
			return Result{}, &ScoreError{Assessment: s.Assessment, Problem: fmt.Sprintf("%s marks obtained is outside 0–%s", s.Obtained, a.MaxMarks)}
		}
		got[s.Assessment] = s
	}
	sum, weights := new(big.Rat), new(big.Int)
	var unmarked []int64
	term := new(big.Rat)
	for _, a := range assessments {
		s, ok := got[a.ID]
		if !ok {
			unmarked = append(unmarked, a.ID)
			continue
		}
		if a.Weight == 0 || s.Status == Excused {
			continue
		}
		obtained := int64(s.Obtained)
		if s.Status == Absent {
			obtained = 0
		}
		term.SetFrac64(a.Weight*obtained, int64(a.MaxMarks))
		sum.Add(sum, term)
		weights.Add(weights, big.NewInt(a.Weight))
	}
	return finish(sum, weights, unmarked)
}

func finish(sum *big.Rat, weights *big.Int, unmarked []int64) (Result, error) {
	if weights.Sign() == 0 {
		return Result{Unmarked: unmarked}, ErrNothingCounted
	}
	exact := sum.Quo(sum, new(big.Rat).SetInt(weights))
	return Result{Percent: Round(exact), Unmarked: unmarked, exact: exact}, nil
}

// FinalResult weighs a student's period results by the periods' weights, from the exact
// period fractions, so the final is rounded once (rounding each period and then their
// average can move a result by 0.1 across a grade boundary). Periods with no result yet are
// listed in Unmarked; a result for a period not listed is an error.
func FinalResult(periods []MarkingPeriod, results map[int64]Result) (Result, error) {
	sum, weights := new(big.Rat), new(big.Int)
	var unmarked []int64
	known := make(map[int64]bool, len(periods))
	term := new(big.Rat)
	for _, mp := range periods {
		if known[mp.ID] {
			return Result{}, fmt.Errorf("grading: marking period %d is listed twice", mp.ID)
		}
		known[mp.ID] = true
		if mp.Weight < 0 {
			return Result{}, fmt.Errorf("grading: marking period %q has weight %d; want 0 or more", mp.Name, mp.Weight)
		}
		r, ok := results[mp.ID]
		if !ok || r.exact == nil {
			unmarked = append(unmarked, mp.ID)
			continue
		}
		term.Mul(r.exact, new(big.Rat).SetInt64(mp.Weight))
		sum.Add(sum, term)
		weights.Add(weights, big.NewInt(mp.Weight))
	}
	for id := range results {
		if !known[id] {
			return Result{}, fmt.Errorf("grading: a result for marking period %d, which is not in the list", id)
		}
	}
	slices.Sort(unmarked)
	return finish(sum, weights, unmarked)
}
