package grading_test

import (
	"encoding/json"
	"errors"
	"math/big"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/alorig/alorig/modules/asms/grading"
)

func TestParseTenths(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   string
		want grading.Tenths
		err  string
	}{
		{in: "72", want: 720},
		{in: "72.5", want: 725},
		{in: "72.0", want: 720},
		{in: " 33.0 ", want: 330},
		{in: "0", want: 0},
		{in: "100", want: 1000},
		{in: "007.5", want: 75},
		{in: "", err: "is empty"},
		{in: "72.55", err: "more than one decimal"},
		{in: "-1", err: "is negative"},
		{in: "72.", err: "is not a number like 72 or 72.5"},
		{in: ".5", err: "is not a number like 72 or 72.5"},
		{in: "7e2", err: `character 'e' is not a digit`},
		{in: "1 2", err: `character ' ' is not a digit`},
		{in: "+5", err: `character '+' is not a digit`},
		{in: "72,5", err: `character ',' is not a digit`},
		{in: "9999999999999999", err: "is too large"},
	} {
		got, err := grading.ParseTenths(c.in)
		if c.err != "" {
			require.ErrorContains(t, err, c.err, "input %q", c.in)
			require.ErrorContains(t, err, c.in)
			continue
		}
		require.NoError(t, err, c.in)
		require.Equal(t, c.want, got, c.in)
	}
}

func TestTenthsText(t *testing.T) {
	t.Parallel()
	for v, s := range map[grading.Tenths]string{725: "72.5", 800: "80.0", 0: "0.0", 1000: "100.0", -5: "-0.5", 7: "0.7"} {
		require.Equal(t, s, v.String())
	}
	require.Equal(t, grading.Tenths(800), grading.Whole(80))
	js, err := json.Marshal(struct{ P grading.Tenths }{725})
	require.NoError(t, err)
	require.JSONEq(t, `{"P":"72.5"}`, string(js))
	var back struct{ P grading.Tenths }
	require.NoError(t, json.Unmarshal(js, &back))
	require.Equal(t, grading.Tenths(725), back.P)
	require.Error(t, json.Unmarshal([]byte(`{"P":"72.55"}`), &back))
}

func TestRoundHalfUpExactly(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		num, den int64
		want     grading.Tenths
	}{
		{41, 80, 513},           // 51.25%: float64 says 51.2499…; exact half rounds up
		{1449, 2000, 725},       // 72.45%
		{7244, 10000, 724},      // 72.44%
		{3295, 10000, 330},      // 32.95% prints 33.0: a BISE pass
		{32949, 100000, 329},    // 32.949%: a fail
		{1, 3, 333},             // 33.33…%
		{2, 3, 667},             // 66.66…%
		{0, 1, 0},               // nothing
		{1, 1, 1000},            // everything
		{7995, 10000, 800},      // 79.95% is an A1
		{79949, 100000, 799},    // 79.949% is an A
		{1, 2000, 1},            // 0.05%
		{999999, 1000000, 1000}, // 99.9999%
	} {
		require.Equal(t, c.want, grading.Round(big.NewRat(c.num, c.den)), "%d/%d", c.num, c.den)
	}
}

func TestPeriodResult(t *testing.T) {
	t.Parallel()
	quiz := grading.Assessment{ID: 1, Name: "Quiz", MaxMarks: grading.Whole(20), Weight: 20}
	mid := grading.Assessment{ID: 2, Name: "Mid-term", MaxMarks: grading.Whole(50), Weight: 30}
	final := grading.Assessment{ID: 3, Name: "Final", MaxMarks: grading.Whole(100), Weight: 50}
	practice := grading.Assessment{ID: 4, Name: "Practice", MaxMarks: grading.Whole(10), Weight: 0}
	eighty := grading.Assessment{ID: 5, Name: "Test", MaxMarks: grading.Whole(80), Weight: 1}
	marked := func(id int64, m grading.Tenths) grading.Score { return grading.Score{Assessment: id, Obtained: m} }
	for _, c := range []struct {
		name        string
		assessments []grading.Assessment
		scores      []grading.Score
		want        grading.Tenths
		unmarked    []int64
		err         string
		errIs       error
	}{
		{name: "one test, an exact half", assessments: []grading.Assessment{eighty}, scores: []grading.Score{marked(5, grading.Whole(41))}, want: 513},
		{
			name: "weights 20/30/50 over maxima 20/50/100", assessments: []grading.Assessment{quiz, mid, final},
			scores: []grading.Score{marked(1, grading.Whole(15)), marked(2, grading.Whole(35)), marked(3, grading.Whole(80))}, want: 760,
		},
		{
			name:        "equal weights count each test's fraction, not its marks",
			assessments: []grading.Assessment{{ID: 1, MaxMarks: grading.Whole(20), Weight: 1}, {ID: 2, MaxMarks: grading.Whole(100), Weight: 1}},
			scores:      []grading.Score{marked(1, grading.Whole(10)), marked(2, grading.Whole(100))}, want: 750,
		},
		{name: "half marks", assessments: []grading.Assessment{quiz}, scores: []grading.Score{marked(1, 175)}, want: 875},
		{
			name: "absent counts as zero", assessments: []grading.Assessment{quiz, mid, final},
			scores: []grading.Score{marked(1, grading.Whole(20)), {Assessment: 2, Status: grading.Absent, Obtained: grading.Whole(50)}, marked(3, grading.Whole(100))}, want: 700,
		},
		{
			name: "excused is left out", assessments: []grading.Assessment{quiz, mid, final},
			scores: []grading.Score{marked(1, grading.Whole(20)), {Assessment: 2, Status: grading.Excused}, marked(3, grading.Whole(60))}, want: 714, // (20 + 30) / 70
		},
		{
			name: "weight zero is recorded, not counted", assessments: []grading.Assessment{final, practice},
			scores: []grading.Score{marked(3, grading.Whole(90)), marked(4, 0)}, want: 900,
		},
		{
			name: "unmarked assessments are listed and left out", assessments: []grading.Assessment{quiz, mid, final},
			scores: []grading.Score{marked(2, grading.Whole(25))}, want: 500, unmarked: []int64{1, 3},
		},
		{name: "full marks", assessments: []grading.Assessment{final}, scores: []grading.Score{marked(3, grading.Whole(100))}, want: 1000},
		{name: "zero", assessments: []grading.Assessment{final}, scores: []grading.Score{marked(3, 0)}, want: 0},

		{name: "above the maximum", assessments: []grading.Assessment{quiz}, scores: []grading.Score{marked(1, 201)}, err: "assessment 1: 20.1 marks obtained is outside 0–20.0"},
		{name: "negative marks", assessments: []grading.Assessment{quiz}, scores: []grading.Score{marked(1, -1)}, err: "outside 0–20.0"},
		{name: "unknown assessment", assessments: []grading.Assessment{quiz}, scores: []grading.Score{marked(9, 1)}, err: "assessment 9: is not an assessment of this marking period"},
		{name: "two scores", assessments: []grading.Assessment{quiz}, scores: []grading.Score{marked(1, 1), marked(1, 2)}, err: "has two scores for one student"},
		{name: "assessment twice", assessments: []grading.Assessment{quiz, quiz}, err: "assessment 1: is listed twice"},
		{name: "maximum zero", assessments: []grading.Assessment{{ID: 7, Name: "Oral", Weight: 1}}, err: `"Oral" has maximum marks 0.0; want more than 0`},
		{name: "negative weight", assessments: []grading.Assessment{{ID: 7, Name: "Oral", MaxMarks: 10, Weight: -1}}, err: `"Oral" has weight -1`},
		{name: "unknown status", assessments: []grading.Assessment{quiz}, scores: []grading.Score{{Assessment: 1, Status: 7}}, err: "status 7 is not marked, absent or excused"},
		{name: "everything excused", assessments: []grading.Assessment{quiz}, scores: []grading.Score{{Assessment: 1, Status: grading.Excused}}, errIs: grading.ErrNothingCounted},
		{name: "nothing marked yet", assessments: []grading.Assessment{quiz, mid}, errIs: grading.ErrNothingCounted, unmarked: []int64{1, 2}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r, err := grading.PeriodResult(c.assessments, c.scores)
			switch {
			case c.errIs != nil:
				require.ErrorIs(t, err, c.errIs)
				require.Equal(t, c.unmarked, r.Unmarked)
			case c.err != "":
				var se *grading.ScoreError
				require.ErrorAs(t, err, &se)
				require.ErrorContains(t, err, c.err)
			default:
				require.NoError(t, err)
				require.Equal(t, c.want, r.Percent, "got %s%%", r.Percent)
				require.Equal(t, c.unmarked, r.Unmarked)
				require.Equal(t, c.want, grading.Round(r.Exact()))
			}
		})
	}
}

func TestFinalResultRoundsOnce(t *testing.T) {
	t.Parallel()
	periods := []grading.MarkingPeriod{
		{ID: 1, Name: "First term", Weight: 1},
		{ID: 2, Name: "Second term", Weight: 1},
		{ID: 3, Name: "Annual", Weight: 2, Active: true},
	}
	period := func(obtained, max grading.Tenths) grading.Result {
		r, err := grading.PeriodResult([]grading.Assessment{{ID: 1, MaxMarks: max, Weight: 1}}, []grading.Score{{Assessment: 1, Obtained: obtained}})
		require.NoError(t, err)
		return r
	}
	t1 := period(1449, 2000)  // 72.45% → 72.5
	t2 := period(7244, 10000) // 72.44% → 72.4
	require.Equal(t, grading.Tenths(725), t1.Percent)
	require.Equal(t, grading.Tenths(724), t2.Percent)

	// Two terms so far: the annual exam is unmarked. Exact mean 72.445% → 72.4; the mean of the
	// printed terms (72.45) would have said 72.5.
	r, err := grading.FinalResult(periods, map[int64]grading.Result{1: t1, 2: t2})
	require.NoError(t, err)
	require.Equal(t, grading.Tenths(724), r.Percent)
	require.Equal(t, []int64{3}, r.Unmarked)

	// With the annual at double weight.
	r, err = grading.FinalResult(periods, map[int64]grading.Result{1: t1, 2: t2, 3: period(900, 1000)})
	require.NoError(t, err)
	require.Equal(t, grading.Tenths(812), r.Percent) // (72.45 + 72.44 + 2·90) / 4 = 81.2225
	require.Empty(t, r.Unmarked)

	_, err = grading.FinalResult(periods, map[int64]grading.Result{9: t1})
	require.ErrorContains(t, err, "marking period 9, which is not in the list")
	_, err = grading.FinalResult(append(periods, periods[0]), nil)
	require.ErrorContains(t, err, "marking period 1 is listed twice")
	_, err = grading.FinalResult([]grading.MarkingPeriod{{ID: 1, Name: "Odd", Weight: -1}}, nil)
	require.ErrorContains(t, err, `"Odd" has weight -1`)
	r, err = grading.FinalResult(periods, nil)
	require.ErrorIs(t, err, grading.ErrNothingCounted)
	require.Equal(t, []int64{1, 2, 3}, r.Unmarked)
	require.Equal(t, 0, grading.Result{}.Exact().Sign())
}

func TestMarkingPeriodAcceptsGrades(t *testing.T) {
	t.Parallel()
	require.NoError(t, grading.MarkingPeriod{ID: 3, Name: "Annual", Active: true}.AcceptsGrades())
	err := grading.MarkingPeriod{ID: 1, Name: "First term"}.AcceptsGrades()
	require.ErrorIs(t, err, grading.ErrPeriodClosed)
	require.ErrorContains(t, err, `"First term" (id 1)`)
}

func TestBISE(t *testing.T) {
	t.Parallel()
	bise := grading.BISE()
	for _, c := range []struct {
		p      grading.Tenths
		letter string
		pass   bool
	}{
		{1000, "A1", true}, {800, "A1", true}, {799, "A", true}, {700, "A", true}, {699, "B", true}, {600, "B", true},
		{599, "C", true}, {500, "C", true}, {499, "D", true}, {400, "D", true}, {399, "E", true}, {330, "E", true},
		{329, "F", false}, {0, "F", false},
		{grading.Round(big.NewRat(3295, 10000)), "E", true}, // 32.95% prints 33.0 and passes
		{grading.Round(big.NewRat(7995, 10000)), "A1", true},
	} {
		r, err := bise.Grade(c.p)
		require.NoError(t, err)
		require.Equal(t, c.letter, r.Letter, "%s%%", c.p)
		pass, err := bise.Passes(c.p)
		require.NoError(t, err)
		require.Equal(t, c.pass, pass, "%s%%", c.p)
	}
	_, err := bise.Grade(1001)
	require.ErrorContains(t, err, "100.1% is outside 0.0–100.0")
	_, err = bise.Grade(-1)
	require.ErrorContains(t, err, "-0.1% is outside")
	require.Equal(t, []string{"A1", "A", "B", "C", "D", "E", "F"}, letters(bise.Rules()))
	require.Equal(t, "BISE", bise.Name)
}

func letters(rules []grading.Rule) []string {
	out := make([]string, len(rules))
	for i, r := range rules {
		out[i] = r.Letter
	}
	return out
}

func TestNewScale(t *testing.T) {
	t.Parallel()
	ok := func(lo, hi grading.Tenths, l string, pass bool) grading.Rule {
		return grading.Rule{Min: lo, Max: hi, Letter: l, Pass: pass}
	}
	// A custom scale, given in any order, comes back highest first with letters trimmed.
	s, err := grading.NewScale("Primary", []grading.Rule{ok(0, 499, "Needs work", false), ok(900, 1000, " Excellent ", true), ok(500, 899, "Good", true)})
	require.NoError(t, err)
	require.Equal(t, []string{"Excellent", "Good", "Needs work"}, letters(s.Rules()))
	r, err := s.Grade(900)
	require.NoError(t, err)
	require.Equal(t, "Excellent", r.Letter)
	// A one-band scale is a valid, if dull, scale.
	_, err = grading.NewScale("Attendance", []grading.Rule{ok(0, 1000, "Noted", true)})
	require.NoError(t, err)

	for _, c := range []struct {
		name  string
		rules []grading.Rule
		want  []string
	}{
		{"no rules", nil, []string{"has no rules"}},
		{"nothing from zero", []grading.Rule{ok(700, 1000, "A", true)}, []string{"nothing covers 0.0–69.9"}},
		{"gap in the middle", []grading.Rule{ok(701, 1000, "A", true), ok(0, 699, "F", false)}, []string{"gap between F (ends 69.9) and A (starts 70.1): nothing covers 70.0–70.0"}},
		{"overlap", []grading.Rule{ok(700, 1000, "A", true), ok(0, 709, "F", false)}, []string{"F (0.0–70.9) and A (70.0–100.0) overlap on 70.0–70.9"}},
		{"integer boundaries overlap on the shared number", []grading.Rule{ok(700, 1000, "A", true), ok(0, 700, "F", false)}, []string{"F (0.0–70.0) and A (70.0–100.0) overlap on 70.0–70.0"}},
		{"short of 100", []grading.Rule{ok(500, 990, "P", true), ok(0, 499, "F", false)}, []string{"nothing covers 99.1–100.0"}},
		{"no letter", []grading.Rule{ok(0, 1000, "  ", true)}, []string{"the band 0.0–100.0 has no letter"}},
		{"letter twice", []grading.Rule{ok(500, 1000, "A", true), ok(0, 499, "A", false)}, []string{`letter "A" is used twice`}},
		{"upside down band", []grading.Rule{ok(500, 400, "X", true), ok(0, 499, "F", false), ok(401, 1000, "P", true)}, []string{"X starts at 50.0, above its end 40.0"}},
		{"several problems at once", []grading.Rule{ok(0, 329, "F", false), ok(330, 599, "P", true), ok(650, 900, "D", true), ok(880, 990, "D*", true)}, []string{
			"gap between P (ends 59.9) and D (starts 65.0): nothing covers 60.0–64.9",
			"D (65.0–90.0) and D* (88.0–99.0) overlap on 88.0–90.0",
			"nothing covers 99.1–100.0",
		}},
		{"outside 0–100", []grading.Rule{ok(-10, 499, "F", false), ok(500, 1010, "P", true)}, []string{"F (-1.0–49.9) is outside 0.0–100.0", "P (50.0–101.0) is outside 0.0–100.0"}},
		{"a pass below a fail", []grading.Rule{ok(0, 499, "P", true), ok(500, 1000, "F", false)}, []string{"P passes but F, above it, fails"}},
	} {
		_, err := grading.NewScale("Custom", c.rules)
		var se *grading.ScaleError
		require.ErrorAs(t, err, &se, c.name)
		require.Equal(t, c.want, se.Problems, c.name)
		require.ErrorContains(t, err, `scale "Custom": `)
	}
}

func TestVerdict(t *testing.T) {
	t.Parallel()
	bise := grading.BISE()
	pass, failed, err := grading.Verdict(bise, []grading.SubjectResult{{"Urdu", 650}, {"Mathematics", 330}})
	require.NoError(t, err)
	require.True(t, pass)
	require.Empty(t, failed)

	// A high average does not carry a failed subject.
	pass, failed, err = grading.Verdict(bise, []grading.SubjectResult{{"Urdu", 950}, {"Mathematics", 329}, {"Physics", 200}})
	require.NoError(t, err)
	require.False(t, pass)
	require.Equal(t, []string{"Mathematics", "Physics"}, failed)

	pass, _, err = grading.Verdict(bise, nil)
	require.NoError(t, err)
	require.False(t, pass, "no subjects is no pass")

	_, _, err = grading.Verdict(bise, []grading.SubjectResult{{"Chemistry", 1200}})
	require.ErrorContains(t, err, "Chemistry: grading: 120.0% is outside")
}

func TestIBCC(t *testing.T) {
	t.Parallel()
	for l, m := range map[string]int64{"A*": 90, "A": 85, "B": 75, "C": 65, "D": 55, "E": 45, "U": 0, "a*": 90, " b ": 75} {
		got, err := grading.IBCCMarks(l)
		require.NoError(t, err)
		require.Equal(t, m, got, l)
	}
	_, err := grading.IBCCMarks("F")
	require.ErrorContains(t, err, `"F" is not an O/A-level grade`)

	for _, c := range []struct {
		name    string
		letters []string
		total   int64
		want    grading.Tenths
	}{
		// FAST-NU's worked O-level example: 560 of 800, scaled to a Matric total of 850.
		{"O level to 850", []string{"A", "B", "D", "B", "C", "B", "B", "D"}, 850, 5950},
		// A worked example with A*: 4 A*, 2 A, B, D = 660 of 800, scaled to 900.
		{"O level to 900", []string{"A*", "A*", "A*", "A*", "A", "A", "B", "D"}, 900, 7425},
		// FAST-NU's A-level example: the eight O levels above plus C, B, A = 785 of 1100.
		{"O and A level to 1100", []string{"A", "B", "D", "B", "C", "B", "B", "D", "C", "B", "A"}, 1100, 7850},
		// Scaled to 1100 from eight subjects: 660 × 1100 / 800 = 907.5.
		{"O level to 1100", []string{"A*", "A*", "A*", "A*", "A", "A", "B", "D"}, 1100, 9075},
		{"percentage", []string{"A*", "B"}, 100, 825},
	} {
		got, err := grading.IBCCEquivalence(c.letters, c.total)
		require.NoError(t, err, c.name)
		require.Equal(t, c.want, got, "%s: got %s", c.name, got)
	}
	_, err = grading.IBCCEquivalence(nil, 1100)
	require.ErrorContains(t, err, "no grades")
	_, err = grading.IBCCEquivalence([]string{"A"}, 0)
	require.ErrorContains(t, err, "total 0")
	_, err = grading.IBCCEquivalence([]string{"A", "Q"}, 1100)
	require.ErrorContains(t, err, `"Q" is not an O/A-level grade`)
}

func TestRank(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		class []grading.Standing
		want  []grading.Standing
	}{
		{
			name:  "1, 2, 2, 4",
			class: []grading.Standing{{Student: 4, Percent: 700}, {Student: 2, Percent: 815}, {Student: 1, Percent: 900}, {Student: 3, Percent: 815}},
			want:  []grading.Standing{{1, 900, 1}, {2, 815, 2}, {3, 815, 2}, {4, 700, 4}},
		},
		{
			name:  "a tie at the top",
			class: []grading.Standing{{Student: 9, Percent: 900}, {Student: 5, Percent: 900}, {Student: 7, Percent: 850}},
			want:  []grading.Standing{{5, 900, 1}, {9, 900, 1}, {7, 850, 3}},
		},
		{
			name:  "everyone tied",
			class: []grading.Standing{{Student: 2, Percent: 500}, {Student: 1, Percent: 500}, {Student: 3, Percent: 500}},
			want:  []grading.Standing{{1, 500, 1}, {2, 500, 1}, {3, 500, 1}},
		},
		{
			name:  "ties at the bottom",
			class: []grading.Standing{{Student: 1, Percent: 100}, {Student: 2, Percent: 900}, {Student: 3, Percent: 100}},
			want:  []grading.Standing{{2, 900, 1}, {1, 100, 2}, {3, 100, 2}},
		},
		{name: "one student", class: []grading.Standing{{Student: 1, Percent: 0, Position: 99}}, want: []grading.Standing{{1, 0, 1}}},
		{name: "empty class", class: nil, want: nil},
	} {
		in := append([]grading.Standing(nil), c.class...)
		got := grading.Rank(c.class)
		if c.want == nil {
			require.Empty(t, got, c.name)
			continue
		}
		require.Equal(t, c.want, got, c.name)
		require.Equal(t, in, c.class, "%s: the input is not changed", c.name)
	}
}

func TestErrorsAreTyped(t *testing.T) {
	t.Parallel()
	_, err := grading.PeriodResult([]grading.Assessment{{ID: 1, MaxMarks: 10, Weight: 1}}, []grading.Score{{Assessment: 1, Obtained: 11}})
	var se *grading.ScoreError
	require.True(t, errors.As(err, &se))
	require.Equal(t, int64(1), se.Assessment)
}

// BenchmarkClassTermResults is a term's gradebook for one class: 40 students × 8 assessments
// in each of 3 marking periods, the final result and the class positions.
func BenchmarkClassTermResults(b *testing.B) {
	periods := []grading.MarkingPeriod{{ID: 1, Weight: 1}, {ID: 2, Weight: 1}, {ID: 3, Weight: 2}}
	var assessments []grading.Assessment
	for i := range 8 {
		assessments = append(assessments, grading.Assessment{ID: int64(i + 1), MaxMarks: grading.Whole(int64(20 + 10*i)), Weight: int64(1 + i%3)})
	}
	scores := make([][]grading.Score, 40)
	for s := range scores {
		for _, a := range assessments {
			scores[s] = append(scores[s], grading.Score{Assessment: a.ID, Obtained: grading.Tenths((int64(s)*37 + a.ID*11) % int64(a.MaxMarks+1))})
		}
	}
	bise := grading.BISE()
	b.ReportAllocs()
	for b.Loop() {
		class := make([]grading.Standing, 0, len(scores))
		for s, sc := range scores {
			results := map[int64]grading.Result{}
			for _, mp := range periods {
				r, err := grading.PeriodResult(assessments, sc)
				if err != nil {
					b.Fatal(err)
				}
				results[mp.ID] = r
			}
			final, err := grading.FinalResult(periods, results)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := bise.Grade(final.Percent); err != nil {
				b.Fatal(err)
			}
			class = append(class, grading.Standing{Student: int64(s), Percent: final.Percent})
		}
		grading.Rank(class)
	}
}

func BenchmarkBISEGrade(b *testing.B) {
	bise := grading.BISE()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := bise.Grade(725); err != nil {
			b.Fatal(err)
		}
	}
}
