package grading

import (
	"fmt"
	"math/big"
	"strings"
)

// IBCC is the Inter Board Committee of Chairmen's equivalence of Cambridge O-level and
// A-level grades: each subject grade is given marks out of 100, the same for O and A levels,
// and the marks of the counted subjects are summed and scaled to the total of the Pakistani
// certificate (SSC/Matric for O levels, HSSC for O plus A levels). Sources are in
// docs/asms.md ("Grade scales").
var IBCC = []IBCCGrade{
	{"A*", 90}, {"A", 85}, {"B", 75}, {"C", 65}, {"D", 55}, {"E", 45}, {"U", 0},
}

// IBCCGrade is one row of the equivalence table: a grade and its marks out of 100.
type IBCCGrade struct {
	Letter string `json:"letter"`
	Marks  int64  `json:"marks"`
}

// IBCCMarks is a grade's marks out of 100 ("a*" and " A* " are A*).
func IBCCMarks(letter string) (int64, error) {
	l := strings.ToUpper(strings.TrimSpace(letter))
	for _, g := range IBCC {
		if g.Letter == l {
			return g.Marks, nil
		}
	}
	return 0, fmt.Errorf("grading: %q is not an O/A-level grade (A*, A, B, C, D, E or U)", letter)
}

// IBCCEquivalence converts subject grades to marks out of total, the way IBCC's certificate
// states them: (Σ marks) × total / (100 × subjects), half-up to one decimal. Eight O-level
// grades scaled to 900 give the Matric figure; eight O-level and three A-level grades to 1100
// give the HSSC figure. Which subjects must be counted (and passed) for which group is IBCC's
// rule for the certificate, not this arithmetic's.
func IBCCEquivalence(letters []string, total int64) (Tenths, error) {
	if len(letters) == 0 {
		return 0, fmt.Errorf("grading: no grades to convert")
	}
	if total <= 0 {
		return 0, fmt.Errorf("grading: total %d; want the certificate's total marks, e.g. 1100", total)
	}
	sum := int64(0)
	for _, l := range letters {
		m, err := IBCCMarks(l)
		if err != nil {
			return 0, err
		}
		sum += m
	}
	// Round takes a fraction of 1 and gives tenths of 100; scale by total/100 first.
	return Round(big.NewRat(sum*total, 100*int64(len(letters))*100)), nil
}
