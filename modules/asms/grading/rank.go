package grading

import (
	"cmp"
	"slices"
)

// Standing is one student's place in a class.
type Standing struct {
	Student  int64  `json:"student"`
	Percent  Tenths `json:"percent"`
	Position int    `json:"position"`
}

// Rank orders a class by rounded percentage, highest first, and gives positions by standard
// competition ranking: equal percentages share a position and the next one skips (1, 2, 2, 4).
// Ties are on the rounded percentage because that is what the report card prints: two
// students shown with 81.5 must not be told they came 3rd and 4th. Within a tie students are
// listed by id, so the order is stable. The input is not changed.
func Rank(class []Standing) []Standing {
	out := slices.Clone(class)
	slices.SortFunc(out, func(a, b Standing) int {
		if c := cmp.Compare(b.Percent, a.Percent); c != 0 {
			return c
		}
		return cmp.Compare(a.Student, b.Student)
	})
	for i := range out {
		if i > 0 && out[i].Percent == out[i-1].Percent {
			out[i].Position = out[i-1].Position
		} else {
			out[i].Position = i + 1
		}
	}
	return out
}
