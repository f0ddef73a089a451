package timetable_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	tt "github.com/alorig/alorig/modules/asms/timetable"
)

// Size of the benchmark school: the "40 sections × 8 periods" on a six-day week with
// a short Friday, ~1,200 students.
const (
	homerooms       = 36 // classes, 33 students each: 1,188 students
	perHomeroom     = 33
	electives       = 4 // Biology and Computer for classes 9 and 10, drawing from the last 8 homerooms
	subjectTeachers = 50
	teachersPerRoom = 6 // subject teachers per class
)

// benchSchool builds a realistic school and fills its week with the Timetable itself (a greedy
// scheduler: electives first, then each class's slots with the first of its teachers who is
// free and under their daily maximum), so the schedule is clean by construction.
func benchSchool(tb testing.TB) (tt.School, []tt.Placement) {
	tb.Helper()
	s := tt.School{ID: 1, Name: "Bench School", Week: tt.Week{
		time.Monday: 8, time.Tuesday: 8, time.Wednesday: 8, time.Thursday: 8, time.Friday: 5, time.Saturday: 8,
	}}
	for i := 1; i <= subjectTeachers+electives; i++ {
		s.Teachers = append(s.Teachers, tt.Teacher{ID: tt.TeacherID(i), Name: fmt.Sprintf("Teacher %d", i), MaxPerDay: 6 + i%3/2})
	}
	for i := 1; i <= homerooms+electives; i++ {
		s.Rooms = append(s.Rooms, tt.Room{ID: tt.RoomID(i), Name: fmt.Sprintf("Room %d", i)})
	}
	for i := 1; i <= homerooms*perHomeroom; i++ {
		s.Students = append(s.Students, tt.Student{ID: tt.StudentID(i), Name: fmt.Sprintf("Student %d", i)})
	}
	for h := range homerooms {
		sec := tt.Section{ID: tt.SectionID(h + 1), Name: fmt.Sprintf("Class %d-%c", h/4+1, 'A'+h%4)}
		for k := range teachersPerRoom {
			sec.Teachers = append(sec.Teachers, tt.TeacherID((h*teachersPerRoom+k)%subjectTeachers+1))
		}
		sec.Primary = sec.Teachers[0]
		for i := range perHomeroom {
			sec.Students = append(sec.Students, tt.StudentID(h*perHomeroom+i+1))
		}
		s.Sections = append(s.Sections, sec)
	}
	// Electives: the classes 9 (homerooms 29–32) and 10 (33–36) split into Biology (first half
	// of each class) and Computer (second half).
	for e := range electives {
		grade := 9 + e/2
		subject := []string{"Biology", "Computer"}[e%2]
		teacher := tt.TeacherID(subjectTeachers + e + 1)
		sec := tt.Section{ID: tt.SectionID(homerooms + e + 1), Name: fmt.Sprintf("%d %s", grade, subject), Teachers: []tt.TeacherID{teacher}, Primary: teacher}
		first := homerooms - 8 + (e/2)*4
		for h := first; h < first+4; h++ {
			from, to := 0, perHomeroom/2
			if e%2 == 1 {
				from, to = perHomeroom/2, perHomeroom
			}
			for i := from; i < to; i++ {
				sec.Students = append(sec.Students, tt.StudentID(h*perHomeroom+i+1))
			}
		}
		s.Sections = append(s.Sections, sec)
	}

	tab, err := tt.New(s, nil)
	require.NoError(tb, err)
	id := int64(0)
	place := func(p tt.Placement) bool {
		id++
		p.ID = id
		err := tab.Place(p)
		if err != nil {
			var ce *tt.ClashError
			require.True(tb, errors.As(err, &ce), "%v", err)
			return false
		}
		return true
	}
	for e := range electives {
		period := 7 + e/2 // class 9's electives in period 7, class 10's in period 8
		for _, d := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Saturday} {
			sec := s.Sections[homerooms+e]
			require.True(tb, place(tt.Placement{Section: sec.ID, Day: d, Period: period, Room: tt.RoomID(homerooms + e + 1), Subject: sec.Name}))
		}
	}
	for h := range homerooms {
		sec := s.Sections[h]
		for _, d := range s.Week.Days() {
			for p := 1; p <= s.Week.Periods(d); p++ {
				for k := range teachersPerRoom {
					teacher := sec.Teachers[(p+int(d)+k)%teachersPerRoom]
					if place(tt.Placement{Section: sec.ID, Day: d, Period: p, Room: tt.RoomID(h + 1), Teachers: []tt.TeacherID{teacher}, Subject: fmt.Sprintf("Subject %d", teacher)}) {
						break
					}
				}
			}
		}
	}
	return s, tab.Placements()
}

// The benchmark school is what the benchmarks claim: its size, and a clean schedule that is
// nearly full.
func TestBenchSchool(t *testing.T) {
	t.Parallel()
	s, schedule := benchSchool(t)
	require.Len(t, s.Sections, 40)
	require.Len(t, s.Students, 1188)
	require.NoError(t, tt.Validate(s, schedule))
	// 36 classes × 45 slots, less the 40 elective slots of classes 9 and 10, plus the electives.
	require.Greater(t, len(schedule), 1500)
	t.Logf("benchmark school: %d sections, %d teachers, %d rooms, %d students, %d placements",
		len(s.Sections), len(s.Teachers), len(s.Rooms), len(s.Students), len(schedule))
}

// benchProposals returns a placement that is clear and one that clashes on every count: class
// 9's Biology moved into a slot where all four class-9 homerooms sit, into a busy room, with a
// teacher who already has a full day.
func benchProposals(tb testing.TB, tab *tt.Timetable, s tt.School) (clear, clashing tt.Placement) {
	tb.Helper()
	bio := s.Sections[homerooms]
	// A clear one: Biology on Friday, when no elective meets, needs its students free; try
	// each Friday period in a free room until one is clear, or fall back to deleting a slot.
	found := false
	for p := 1; p <= s.Week.Periods(time.Friday) && !found; p++ {
		clear = tt.Placement{Section: bio.ID, Day: time.Friday, Period: p, Room: tt.RoomID(homerooms + 1)}
		found = tab.Check(clear) == nil
	}
	if !found {
		// Free one: remove the four class-9 homeroom placements of Friday period 1.
		for _, pl := range tab.Placements() {
			if pl.Day == time.Friday && pl.Period == 1 && pl.Section > homerooms-8 && pl.Section <= homerooms-4 {
				tab.Remove(pl.ID)
			}
		}
		clear = tt.Placement{Section: bio.ID, Day: time.Friday, Period: 1, Room: tt.RoomID(homerooms + 1)}
		require.NoError(tb, tab.Check(clear))
	}
	clashing = tt.Placement{Section: bio.ID, Day: time.Monday, Period: 1, Room: tt.RoomID(homerooms - 7)}
	var ce *tt.ClashError
	require.ErrorAs(tb, tab.Check(clashing), &ce)
	require.Subset(tb, ce.Kinds(), []tt.ClashKind{tt.RoomClash, tt.StudentClash})
	return clear, clashing
}

// BenchmarkCheck is the figure: one check against a full week of a 40-section school.
func BenchmarkCheck(b *testing.B) {
	s, schedule := benchSchool(b)
	tab, err := tt.New(s, schedule)
	require.NoError(b, err)
	clear, clashing := benchProposals(b, tab, s)
	b.Run("clear", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := tab.Check(clear); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("clashing", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := tab.Check(clashing); err == nil {
				b.Fatal("no clash")
			}
		}
	})
}

// BenchmarkNewAndCheck is the cost when nothing is cached: index the school and its whole
// schedule, then check one placement — what a request that loads from the database pays on top
// of the queries.
func BenchmarkNewAndCheck(b *testing.B) {
	s, schedule := benchSchool(b)
	tab, err := tt.New(s, schedule)
	require.NoError(b, err)
	clear, _ := benchProposals(b, tab, s)
	schedule = tab.Placements()
	b.ReportAllocs()
	for b.Loop() {
		tab, err := tt.New(s, schedule)
		if err != nil {
			b.Fatal(err)
		}
		if err := tab.Check(clear); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClashes validates the whole week (what an import runs once).
func BenchmarkClashes(b *testing.B) {
	s, schedule := benchSchool(b)
	tab, err := tt.New(s, schedule)
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if c := tab.Clashes(); len(c) != 0 {
			b.Fatal(c[0].Message)
		}
	}
}

// BenchmarkTeacherGrid lays out one teacher's week.
func BenchmarkTeacherGrid(b *testing.B) {
	s, schedule := benchSchool(b)
	tab, err := tt.New(s, schedule)
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tab.TeacherGrid(1); err != nil {
			b.Fatal(err)
		}
	}
}
