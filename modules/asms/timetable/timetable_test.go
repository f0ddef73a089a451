package timetable_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	tt "github.com/alorig/alorig/modules/asms/timetable"
)

const (
	mon = time.Monday
	tue = time.Tuesday
	fri = time.Friday
	sat = time.Saturday
	sun = time.Sunday
)

// Staff, rooms and sections of the small school the clash table uses.
const (
	ayesha, bilal, farah, hamza tt.TeacherID = 1, 2, 3, 4
	room9A, room9B, bioLab      tt.RoomID    = 10, 11, 12
	sec9A, sec9B, bio, comp     tt.SectionID = 1, 2, 3, 4
	chem                        tt.SectionID = 5
)

// smallSchool: Monday to Saturday, 8 periods, Friday 5. Ayesha may teach 3 periods a day,
// Hamza 1, Bilal and Farah have no limit. 9-A has students 100–104, 9-B 105–109; the
// Biology elective takes 100, 101 and 105; Computer takes 102 and 106; Chemistry 100 and 105.
func smallSchool(id tt.SchoolID) tt.School {
	var students []tt.Student
	for i := tt.StudentID(100); i < 110; i++ {
		students = append(students, tt.Student{ID: i, Name: "Student " + string(rune('A'+i-100))})
	}
	return tt.School{
		ID: id, Name: "Model School", Week: tt.Week{mon: 8, tue: 8, time.Wednesday: 8, time.Thursday: 8, fri: 5, sat: 8},
		Teachers: []tt.Teacher{{ID: ayesha, Name: "Ayesha", MaxPerDay: 3}, {ID: bilal, Name: "Bilal"}, {ID: farah, Name: "Farah"}, {ID: hamza, Name: "Hamza", MaxPerDay: 1}},
		Rooms:    []tt.Room{{ID: room9A, Name: "Room 9-A"}, {ID: room9B, Name: "Room 9-B"}, {ID: bioLab, Name: "Biology Lab"}},
		Students: students,
		Sections: []tt.Section{
			{ID: sec9A, Name: "9-A", Teachers: []tt.TeacherID{ayesha, bilal}, Primary: ayesha, Students: []tt.StudentID{100, 101, 102, 103, 104}},
			{ID: sec9B, Name: "9-B", Teachers: []tt.TeacherID{farah, bilal}, Primary: farah, Students: []tt.StudentID{105, 106, 107, 108, 109}},
			{ID: bio, Name: "9 Biology", Teachers: []tt.TeacherID{hamza}, Primary: hamza, Students: []tt.StudentID{100, 101, 105}},
			{ID: comp, Name: "9 Computer", Teachers: []tt.TeacherID{farah}, Primary: farah, Students: []tt.StudentID{102, 106}},
			{ID: chem, Name: "9 Chemistry", Teachers: []tt.TeacherID{bilal, hamza}, Primary: bilal, Students: []tt.StudentID{100, 105}},
		},
	}
}

func pl(id int64, s tt.SectionID, d time.Weekday, period int, r tt.RoomID, teachers ...tt.TeacherID) tt.Placement {
	return tt.Placement{ID: id, Section: s, Day: d, Period: period, Room: r, Teachers: teachers}
}

func TestCheckClashTable(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name     string
		existing []tt.Placement
		propose  tt.Placement
		want     []tt.Clash // Kind, Day, Period, Section, Other, Teacher, Room, Students, Count, Max compared; Message checked separately
		message  string     // a fragment of the error text, when clashing
	}{
		{
			name:     "teacher clash",
			existing: []tt.Placement{pl(1, sec9A, mon, 1, room9A, bilal)},
			propose:  pl(0, sec9B, mon, 1, room9B, bilal),
			want:     []tt.Clash{{Kind: tt.TeacherClash, Day: mon, Period: 1, Section: sec9B, Other: sec9A, OtherID: 1, Teacher: bilal}},
			message:  "Bilal (teacher 2) already teaches 9-A (section 1) on Monday period 1",
		},
		{
			name:     "room clash",
			existing: []tt.Placement{pl(1, sec9A, mon, 1, room9A, ayesha)},
			propose:  pl(0, sec9B, mon, 1, room9A, farah),
			want:     []tt.Clash{{Kind: tt.RoomClash, Day: mon, Period: 1, Section: sec9B, Other: sec9A, OtherID: 1, Room: room9A}},
			message:  "Room 9-A (room 10) is already taken by 9-A (section 1) on Monday period 1",
		},
		{
			name:     "student clash: elective against the class",
			existing: []tt.Placement{pl(1, sec9A, mon, 1, room9A, ayesha)},
			propose:  pl(0, bio, mon, 1, bioLab, hamza),
			want:     []tt.Clash{{Kind: tt.StudentClash, Day: mon, Period: 1, Section: bio, Other: sec9A, OtherID: 1, Students: []tt.StudentID{100, 101}}},
			message:  "2 students (Student A (student 100), Student B (student 101)) are already in 9-A (section 1) on Monday period 1",
		},
		{
			name:     "student clash: two electives sharing one student",
			existing: []tt.Placement{pl(1, comp, tue, 4, room9B, farah)},
			propose:  pl(0, sec9A, tue, 4, room9A, ayesha),
			want:     []tt.Clash{{Kind: tt.StudentClash, Day: tue, Period: 4, Section: sec9A, Other: comp, OtherID: 1, Students: []tt.StudentID{102}}},
			message:  "Student C (student 102) is already in 9 Computer (section 4) on Tuesday period 4",
		},
		{
			name: "daily maximum",
			existing: []tt.Placement{
				pl(1, sec9A, mon, 1, room9A, ayesha), pl(2, sec9A, mon, 2, room9A, ayesha), pl(3, sec9A, mon, 3, room9A, ayesha),
			},
			propose: pl(0, sec9A, mon, 4, room9A, ayesha),
			want:    []tt.Clash{{Kind: tt.DailyMaximum, Day: mon, Period: 4, Section: sec9A, Teacher: ayesha, Count: 4, Max: 3}},
			message: "Ayesha (teacher 1) would teach 4 periods on Monday, over their maximum of 3",
		},
		{
			name:     "section already has that slot",
			existing: []tt.Placement{pl(1, sec9A, mon, 1, room9A, ayesha)},
			propose:  pl(0, sec9A, mon, 1, bioLab, bilal),
			want:     []tt.Clash{{Kind: tt.SectionClash, Day: mon, Period: 1, Section: sec9A, Other: sec9A, OtherID: 1}},
			message:  "section 9-A (section 1) already has Monday period 1",
		},
		{
			name: "every clash at once, not just the first",
			existing: []tt.Placement{
				pl(1, sec9A, mon, 1, room9A, bilal),
				pl(2, sec9B, mon, 1, room9B, farah),
				pl(3, bio, mon, 6, bioLab, hamza),
			},
			propose: pl(0, chem, mon, 1, room9A, bilal, hamza),
			want: []tt.Clash{
				{Kind: tt.TeacherClash, Day: mon, Period: 1, Section: chem, Other: sec9A, OtherID: 1, Teacher: bilal},
				{Kind: tt.RoomClash, Day: mon, Period: 1, Section: chem, Other: sec9A, OtherID: 1, Room: room9A},
				{Kind: tt.StudentClash, Day: mon, Period: 1, Section: chem, Other: sec9A, OtherID: 1, Students: []tt.StudentID{100}},
				{Kind: tt.StudentClash, Day: mon, Period: 1, Section: chem, Other: sec9B, OtherID: 2, Students: []tt.StudentID{105}},
				{Kind: tt.DailyMaximum, Day: mon, Period: 1, Section: chem, Teacher: hamza, Count: 2, Max: 1},
			},
			message: "timetable: 5 clashes: ",
		},
		{
			name:     "empty teacher list means all the section's teachers",
			existing: []tt.Placement{pl(1, sec9B, sat, 2, room9B, bilal)},
			propose:  pl(0, sec9A, sat, 2, room9A),
			want:     []tt.Clash{{Kind: tt.TeacherClash, Day: sat, Period: 2, Section: sec9A, Other: sec9B, OtherID: 1, Teacher: bilal}},
		},

		// Non-clashes.
		{name: "same teacher, different period", existing: []tt.Placement{pl(1, sec9A, mon, 1, room9A, bilal)}, propose: pl(0, sec9B, mon, 2, room9B, bilal)},
		{name: "same teacher, same period, different day", existing: []tt.Placement{pl(1, sec9A, mon, 1, room9A, bilal)}, propose: pl(0, sec9B, tue, 1, room9B, bilal)},
		{name: "room shared across different days", existing: []tt.Placement{pl(1, bio, mon, 3, bioLab, hamza)}, propose: pl(0, chem, tue, 3, bioLab, bilal)},
		{name: "room shared across periods of one day", existing: []tt.Placement{pl(1, sec9A, mon, 3, bioLab, ayesha)}, propose: pl(0, sec9B, mon, 4, bioLab, farah)},
		{name: "electives with no common student at the same time", existing: []tt.Placement{pl(1, bio, mon, 7, bioLab, hamza)}, propose: pl(0, comp, mon, 7, room9B, farah)},
		{name: "elective while its students' class is elsewhere in time", existing: []tt.Placement{pl(1, sec9A, mon, 1, room9A, ayesha)}, propose: pl(0, bio, mon, 2, bioLab, hamza)},
		{
			name:     "daily maximum reached but not passed",
			existing: []tt.Placement{pl(1, sec9A, mon, 1, room9A, ayesha), pl(2, sec9A, mon, 2, room9A, ayesha)},
			propose:  pl(0, sec9A, mon, 3, room9A, ayesha),
		},
		{
			name: "no limit for a teacher without a maximum",
			existing: []tt.Placement{
				pl(1, sec9A, mon, 1, room9A, bilal), pl(2, sec9A, mon, 2, room9A, bilal), pl(3, sec9A, mon, 3, room9A, bilal),
				pl(4, sec9A, mon, 4, room9A, bilal), pl(5, sec9A, mon, 5, room9A, bilal), pl(6, sec9A, mon, 6, room9A, bilal), pl(7, sec9A, mon, 7, room9A, bilal),
			},
			propose: pl(0, sec9B, mon, 8, room9B, bilal),
		},
		{
			name:     "the daily maximum counts one day only",
			existing: []tt.Placement{pl(1, bio, mon, 1, bioLab, hamza)},
			propose:  pl(0, bio, tue, 1, bioLab, hamza),
		},
		{
			name: "moving a placement within its day does not count it twice or clash with itself",
			existing: []tt.Placement{
				pl(1, sec9A, mon, 1, room9A, ayesha), pl(2, sec9A, mon, 2, room9A, ayesha), pl(3, sec9A, mon, 3, room9A, ayesha),
			},
			propose: pl(3, sec9A, mon, 4, room9A, ayesha),
		},
		{
			name:     "moving a placement onto its own slot",
			existing: []tt.Placement{pl(9, sec9A, mon, 1, room9A, ayesha)},
			propose:  pl(9, sec9A, mon, 1, room9A, ayesha),
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			tab, err := tt.New(smallSchool(1), c.existing)
			require.NoError(t, err)
			err = tab.Check(c.propose)
			if len(c.want) == 0 {
				require.NoError(t, err)
				require.NoError(t, tab.Place(c.propose), "Place agrees with Check")
				return
			}
			var ce *tt.ClashError
			require.ErrorAs(t, err, &ce)
			got := make([]tt.Clash, len(ce.Clashes))
			for i, cl := range ce.Clashes {
				require.NotEmpty(t, cl.Message)
				cl.Message = ""
				got[i] = cl
			}
			require.Equal(t, c.want, got)
			require.Contains(t, err.Error(), c.message)

			before := len(tab.Placements())
			require.Error(t, tab.Place(c.propose), "Place refuses what Check refuses")
			require.Len(t, tab.Placements(), before, "a refused placement leaves the schedule as it was")
		})
	}
}

func TestCheckRefusesUnplaceable(t *testing.T) {
	t.Parallel()
	tab, err := tt.New(smallSchool(1), nil)
	require.NoError(t, err)
	for _, c := range []struct {
		name    string
		p       tt.Placement
		field   string
		problem string
	}{
		{"Friday is shorter", pl(0, sec9A, fri, 6, room9A, ayesha), "period", "Friday has periods 1 to 5; got 6"},
		{"period zero", pl(0, sec9A, mon, 0, room9A, ayesha), "period", "Monday has periods 1 to 8; got 0"},
		{"Sunday", pl(0, sec9A, sun, 1, room9A, ayesha), "day", "Sunday is not a school day"},
		{"out-of-range weekday", pl(0, sec9A, time.Weekday(9), 1, room9A, ayesha), "day", "is not a school day"},
		{"unknown section", pl(0, 99, mon, 1, room9A, ayesha), "section", "section 99 is not a section of school 1"},
		{"unknown room", pl(0, sec9A, mon, 1, 99, ayesha), "room", "room 99 is not a room of school 1"},
		{"unknown teacher", pl(0, sec9A, mon, 1, room9A, 99), "teachers", "teacher 99 is not on the staff of school 1"},
		{"teacher of another section", pl(0, sec9A, mon, 1, room9A, hamza), "teachers", "Hamza (teacher 4) does not teach section 9-A (section 1)"},
		{"teacher twice", pl(0, sec9A, mon, 1, room9A, ayesha, ayesha), "teachers", "Ayesha (teacher 1) is listed twice"},
	} {
		err := tab.Check(c.p)
		var pe *tt.PlacementError
		require.ErrorAs(t, err, &pe, c.name)
		require.Equal(t, c.field, pe.Field, c.name)
		require.Contains(t, err.Error(), c.problem, c.name)
		require.ErrorAs(t, tab.Place(c.p), &pe, c.name)
	}
}

// Each school has its own timetable: the same teacher id, room id and slot in two schools is
// no clash, and one school's section cannot be checked against another's schedule.
func TestDifferentSchoolsNeverClash(t *testing.T) {
	t.Parallel()
	a, err := tt.New(smallSchool(1), []tt.Placement{pl(1, sec9A, mon, 1, room9A, ayesha)})
	require.NoError(t, err)
	other := smallSchool(2)
	other.Sections = append(other.Sections, tt.Section{ID: 77, Name: "10-A", Teachers: []tt.TeacherID{ayesha}, Primary: ayesha, Students: []tt.StudentID{100}})
	b, err := tt.New(other, []tt.Placement{pl(2, sec9A, mon, 1, room9A, ayesha), pl(3, sec9A, mon, 2, room9A, ayesha)})
	require.NoError(t, err)

	require.NoError(t, b.Check(pl(0, 77, mon, 3, room9B, ayesha)), "school 2's own schedule only")
	require.NoError(t, a.Check(pl(0, sec9A, mon, 2, room9A, ayesha)), "school 2's Monday does not count towards school 1's daily maximum")
	require.Empty(t, a.Clashes())
	require.Empty(t, b.Clashes())

	var pe *tt.PlacementError
	require.ErrorAs(t, a.Check(pl(0, 77, mon, 1, room9A, ayesha)), &pe)
	require.Equal(t, "section", pe.Field)
	require.Equal(t, tt.SchoolID(1), a.School())
}

func TestPlaceMoveAndRemove(t *testing.T) {
	t.Parallel()
	tab, err := tt.New(smallSchool(1), nil)
	require.NoError(t, err)
	require.NoError(t, tab.Place(pl(1, sec9A, mon, 1, room9A, ayesha)))
	require.NoError(t, tab.Place(pl(2, sec9B, mon, 2, room9B, farah)))

	// Moving 1 onto 2's slot in 2's room clashes; moving it elsewhere replaces it.
	var ce *tt.ClashError
	require.ErrorAs(t, tab.Place(pl(1, sec9A, mon, 2, room9B, ayesha)), &ce)
	require.Equal(t, []tt.ClashKind{tt.RoomClash}, ce.Kinds())
	require.NoError(t, tab.Place(pl(1, sec9A, mon, 3, room9A, ayesha)))
	require.Equal(t, []tt.Placement{
		{ID: 2, Section: sec9B, Day: mon, Period: 2, Room: room9B, Teachers: []tt.TeacherID{farah}},
		{ID: 1, Section: sec9A, Day: mon, Period: 3, Room: room9A, Teachers: []tt.TeacherID{ayesha}},
	}, tab.Placements())
	require.NoError(t, tab.Check(pl(0, sec9B, mon, 1, room9A, bilal)), "the slot 1 left is free again")

	require.True(t, tab.Remove(2))
	require.False(t, tab.Remove(2))
	require.NoError(t, tab.Check(pl(0, comp, mon, 2, room9B, farah)))
}

func TestClashesValidatesAWholeSchedule(t *testing.T) {
	t.Parallel()
	school := smallSchool(1)
	clean := []tt.Placement{
		pl(1, sec9A, mon, 1, room9A, ayesha), pl(2, sec9B, mon, 1, room9B, farah),
		pl(3, bio, mon, 2, bioLab, hamza), pl(4, comp, mon, 2, room9B, farah),
		pl(5, sec9A, tue, 1, room9A, bilal), pl(6, sec9B, tue, 2, room9B, bilal),
	}
	require.NoError(t, tt.Validate(school, clean))

	imported := append(clean,
		pl(7, sec9B, tue, 1, room9A, bilal),   // Bilal and room 9-A taken by 9-A (5)
		pl(8, chem, mon, 2, room9A, hamza),    // Hamza with Biology (3); students 100 (bio) and 105 (bio)
		pl(9, bio, tue, 3, bioLab, hamza),     // fine on its own
		pl(10, bio, tue, 4, bioLab, hamza),    // Hamza's second period on Tuesday: over 1
		pl(11, sec9A, tue, 1, bioLab, ayesha), // 9-A twice on Tuesday period 1 (with 5)
	)
	err := tt.Validate(school, imported)
	var ce *tt.ClashError
	require.ErrorAs(t, err, &ce)
	type key struct {
		kind            tt.ClashKind
		section, other  tt.SectionID
		teacher         tt.TeacherID
		room            tt.RoomID
		day             time.Weekday
		count, maxCount int
	}
	var got []key
	for _, c := range ce.Clashes {
		got = append(got, key{c.Kind, c.Section, c.Other, c.Teacher, c.Room, c.Day, c.Count, c.Max})
	}
	require.ElementsMatch(t, []key{
		{tt.TeacherClash, sec9B, sec9A, bilal, 0, tue, 0, 0}, // 7 vs 5
		{tt.RoomClash, sec9B, sec9A, 0, room9A, tue, 0, 0},   // 7 vs 5
		{tt.SectionClash, sec9A, sec9A, 0, 0, tue, 0, 0},     // 11 vs 5
		{tt.TeacherClash, chem, bio, hamza, 0, mon, 0, 0},    // 8 vs 3
		{tt.StudentClash, chem, bio, 0, 0, mon, 0, 0},        // 8 vs 3: 100 and 105
		{tt.DailyMaximum, 0, 0, hamza, 0, mon, 2, 1},         // 3 and 8
		{tt.DailyMaximum, 0, 0, hamza, 0, tue, 2, 1},         // 9 and 10
	}, got)
	for _, c := range ce.Clashes {
		if c.Kind == tt.StudentClash {
			require.Equal(t, []tt.StudentID{100, 105}, c.Students)
			require.Equal(t, int64(8), c.Placement)
			require.Equal(t, int64(3), c.OtherID)
		}
	}
	require.Contains(t, err.Error(), "timetable: 7 clashes: ")
	require.Contains(t, err.Error(), "Hamza (teacher 4) teaches 2 periods on Tuesday, over their maximum of 1")
}

func TestNewRefusesABrokenSetup(t *testing.T) {
	t.Parallel()
	s := smallSchool(3)
	s.Week[sun] = 20
	s.Teachers = append(s.Teachers, tt.Teacher{ID: ayesha, Name: "Ayesha again"}, tt.Teacher{ID: 40, MaxPerDay: -1})
	s.Rooms = append(s.Rooms, tt.Room{ID: room9A})
	s.Students = append(s.Students, tt.Student{ID: 100})
	s.Sections = append(s.Sections,
		tt.Section{ID: sec9A, Name: "9-A copy", Teachers: []tt.TeacherID{ayesha}, Primary: ayesha},
		tt.Section{ID: 60, Name: "Orphan"},
		tt.Section{ID: 61, Name: "Odd", Teachers: []tt.TeacherID{99, farah, farah}, Primary: hamza, Students: []tt.StudentID{999, 101, 101}},
	)
	_, err := tt.New(s, nil)
	var se *tt.SetupError
	require.ErrorAs(t, err, &se)
	require.Equal(t, []string{
		"Sunday has 20 periods; want 0 to 16",
		"teacher 1 is listed twice",
		"teacher 40 () has a daily maximum of -1; want 0 (no limit) or more",
		"room 10 is listed twice",
		"student 100 is listed twice",
		"section 1 is listed twice",
		"section 60 (Orphan) has no teacher",
		"section 61 (Odd): teacher 99 is not on the school's staff",
		"section 61 (Odd): teacher 3 is listed twice",
		"section 61 (Odd): primary teacher 4 is not one of its teachers",
		"section 61 (Odd): student 999 is not a student of the school",
		"section 61 (Odd): student 101 is enrolled twice",
	}, se.Problems)

	_, err = tt.New(tt.School{ID: 4}, nil)
	require.ErrorAs(t, err, &se)
	require.Equal(t, []string{"the week has no school day"}, se.Problems)
}

// An import's bad rows are all reported, each with its position.
func TestNewReportsEveryUnplaceableRow(t *testing.T) {
	t.Parallel()
	_, err := tt.New(smallSchool(1), []tt.Placement{
		pl(1, sec9A, mon, 1, room9A, ayesha),
		pl(2, sec9A, fri, 7, room9A, ayesha),
		pl(3, sec9A, mon, 2, 55, ayesha),
		pl(1, sec9A, mon, 3, room9A, ayesha),
	})
	var pes tt.PlacementErrors
	require.ErrorAs(t, err, &pes)
	require.Len(t, pes, 3)
	require.Equal(t, []int{1, 2, 3}, []int{pes[0].Index, pes[1].Index, pes[2].Index})
	require.Equal(t, []string{"period", "room", "id"}, []string{pes[0].Field, pes[1].Field, pes[2].Field})
	require.Contains(t, err.Error(), "3 placements cannot be placed: timetable: placement #2 (id 2): period: Friday has periods 1 to 5; got 7")
}

func TestGrids(t *testing.T) {
	t.Parallel()
	tab, err := tt.New(smallSchool(1), []tt.Placement{
		{ID: 1, Section: sec9A, Day: mon, Period: 1, Room: room9A, Teachers: []tt.TeacherID{ayesha}, Subject: "Urdu"},
		{ID: 2, Section: sec9A, Day: fri, Period: 5, Room: room9A, Subject: "Islamiat"},
		{ID: 3, Section: bio, Day: mon, Period: 2, Room: bioLab, Subject: "Biology"},
		{ID: 4, Section: chem, Day: mon, Period: 2, Room: bioLab, Teachers: []tt.TeacherID{bilal}, Subject: "Chemistry"}, // a room clash, shown as two entries
	})
	require.NoError(t, err)

	g, err := tab.SectionGrid(sec9A)
	require.NoError(t, err)
	require.Equal(t, tt.SectionGrid, g.Kind)
	require.Equal(t, "9-A", g.Title)
	require.Equal(t, 8, g.Periods)
	require.Len(t, g.Days, 6)
	require.Equal(t, mon, g.Days[0].Day)
	require.Equal(t, "Saturday", g.Days[5].Name)
	require.Len(t, g.Days[4].Cells, 5, "Friday is shorter")
	require.Len(t, g.Days[0].Cells, 8)
	require.Equal(t, []tt.GridEntry{{Placement: 1, Section: sec9A, SectionName: "9-A", Subject: "Urdu", Room: room9A, RoomName: "Room 9-A",
		Teachers: []tt.GridRef{{ID: ayesha, Name: "Ayesha"}}}}, g.Days[0].Cells[0].Entries)
	require.Empty(t, g.Days[0].Cells[1].Entries)
	require.Equal(t, []tt.GridRef{{ID: ayesha, Name: "Ayesha"}, {ID: bilal, Name: "Bilal"}}, g.Days[4].Cells[4].Entries[0].Teachers,
		"no teachers given: all the section's teachers")

	g, err = tab.TeacherGrid(bilal)
	require.NoError(t, err)
	require.Equal(t, "Islamiat", g.Days[4].Cells[4].Entries[0].Subject)
	require.Equal(t, "Chemistry", g.Days[0].Cells[1].Entries[0].Subject)
	require.Empty(t, g.Days[0].Cells[0].Entries, "Ayesha's Urdu is not Bilal's")

	g, err = tab.RoomGrid(bioLab)
	require.NoError(t, err)
	require.Len(t, g.Days[0].Cells[1].Entries, 2, "a clash shows both sections")
	require.Equal(t, "Biology", g.Days[0].Cells[1].Entries[0].Subject)

	g, err = tab.StudentGrid(100) // in 9-A, Biology and Chemistry
	require.NoError(t, err)
	require.Len(t, g.Days[0].Cells[0].Entries, 1)
	require.Len(t, g.Days[0].Cells[1].Entries, 2)
	g, err = tab.StudentGrid(103) // 9-A only
	require.NoError(t, err)
	require.Empty(t, g.Days[0].Cells[1].Entries)

	_, err = tab.RoomGrid(404)
	require.ErrorIs(t, err, tt.ErrNotFound)
	require.EqualError(t, err, "timetable: room 404 is not in this school's timetable")
	for _, f := range []func() error{
		func() error { _, err := tab.SectionGrid(404); return err },
		func() error { _, err := tab.TeacherGrid(404); return err },
		func() error { _, err := tab.StudentGrid(404); return err },
	} {
		require.True(t, errors.Is(f(), tt.ErrNotFound))
	}

	js, err := json.Marshal(g.Days[4])
	require.NoError(t, err)
	require.Contains(t, string(js), `"name":"Friday","cells":[{"period":1,"entries":[]}`)
}

func TestClashJSON(t *testing.T) {
	t.Parallel()
	js, err := json.Marshal(tt.Clash{Kind: tt.DailyMaximum, Day: mon, Period: 4, Section: 1, Teacher: 2, Count: 4, Max: 3, Message: "m"})
	require.NoError(t, err)
	require.JSONEq(t, `{"kind":"daily_maximum","day":1,"period":4,"section":1,"teacher":2,"count":4,"max":3,"message":"m"}`, string(js))
	require.Equal(t, "ClashKind(42)", tt.ClashKind(42).String())
}

func TestWeek(t *testing.T) {
	t.Parallel()
	w := tt.Week{sun: 0, mon: 8, tue: 8, fri: 5}
	require.Equal(t, []time.Weekday{mon, tue, fri}, w.Days())
	require.Equal(t, 8, w.MaxPeriods())
	require.Equal(t, 5, w.Periods(fri))
	require.Equal(t, 0, w.Periods(time.Weekday(-1)))
	require.Equal(t, 0, w.Periods(time.Weekday(7)))
}
