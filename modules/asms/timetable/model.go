// Package timetable is a school's week: its periods (varying by day of week), sections with
// their teachers and enrolled students, rooms, and the placements of sections into slots. It
// refuses a placement that would put a teacher, a room or a student in two places at once, or
// a teacher over their daily maximum, and names every clash it finds. It validates a whole
// schedule (after an import) and lays it out as grids per section, teacher, room and student
// for a printable view.
//
// It is pure: no database, no clock. The ASMS store loads one school's setup and placements,
// builds a Timetable, checks, and writes; a Timetable is one school's, so schools of the
// network never clash with each other.
package timetable

import (
	"fmt"
	"strings"
	"time"
)

// The identifiers are the database rows' ids; distinct types so a room id cannot be passed
// where a teacher id is wanted.
type (
	SchoolID  int64
	SectionID int64
	TeacherID int64
	RoomID    int64
	StudentID int64
)

// MaxPeriodsPerDay bounds a day's periods; a school day with more is a data-entry mistake.
const MaxPeriodsPerDay = 16

// Week is the number of periods on each weekday, indexed by time.Weekday; 0 means no school
// that day. Periods are numbered from 1. Pakistani schools typically teach Monday to Saturday
// with a shorter Friday (Jumu'ah).
type Week [7]int

// Periods is how many periods the day has (0: no school).
func (w Week) Periods(d time.Weekday) int {
	if d < time.Sunday || d > time.Saturday {
		return 0
	}
	return w[d]
}

// Days lists the school days Monday first, the order a timetable is printed in.
func (w Week) Days() []time.Weekday {
	var out []time.Weekday
	for _, d := range mondayFirst {
		if w[d] > 0 {
			out = append(out, d)
		}
	}
	return out
}

// MaxPeriods is the longest day's period count: the width of a printed grid.
func (w Week) MaxPeriods() int {
	m := 0
	for _, n := range w {
		m = max(m, n)
	}
	return m
}

var mondayFirst = [7]time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// Teacher is a member of staff who can be placed in periods. MaxPerDay is the most periods
// they may teach in a day (Fedena's "maximum periods a day"); 0 means no limit.
type Teacher struct {
	ID        TeacherID
	Name      string
	MaxPerDay int
}

// Room is a place a section meets: a classroom, a lab, the computer room.
type Room struct {
	ID   RoomID
	Name string
}

// Student is enrolled in sections; the name is used in clash messages.
type Student struct {
	ID   StudentID
	Name string
}

// Section is a group of students taught together (django-sis CourseSection): a class such as
// "9-A", or an elective such as "9 Biology" that draws students from several classes. It has
// one or more teachers, one of them the primary (the class teacher).
type Section struct {
	ID       SectionID
	Name     string
	Teachers []TeacherID
	Primary  TeacherID
	Students []StudentID
}

// School is one campus's setup: everything a Timetable needs besides the placements.
type School struct {
	ID       SchoolID
	Name     string
	Week     Week
	Teachers []Teacher
	Rooms    []Room
	Students []Student
	Sections []Section
}

// Placement puts a section in one slot (day and period) in a room with some of its teachers.
// ID is the stored row's id (0 for a proposal not stored yet); checking a placement whose ID
// is already in the timetable checks moving that placement, so it never clashes with itself.
// Teachers empty means all of the section's teachers. Subject is shown in the grids; no rule
// reads it.
type Placement struct {
	ID       int64
	Section  SectionID
	Day      time.Weekday
	Period   int
	Room     RoomID
	Teachers []TeacherID
	Subject  string
}

// SetupError lists everything wrong with a School's definition (duplicate ids, a section's
// teacher or student that the school does not have, a primary teacher who does not teach the
// section, a week with no school days).
type SetupError struct {
	School   SchoolID
	Problems []string
}

func (e *SetupError) Error() string {
	return fmt.Sprintf("timetable: school %d setup: %s", e.School, strings.Join(e.Problems, "; "))
}

// PlacementError is one placement that cannot be placed at all: an unknown section, room or
// teacher, a teacher who does not teach the section, a day without school, a period outside
// the day. These are input mistakes, not clashes. Index is the placement's position in the
// list given to New (-1 for Check and Place).
type PlacementError struct {
	Index     int
	Placement int64
	Field     string
	Problem   string
}

func (e *PlacementError) Error() string {
	who := "placement"
	if e.Index >= 0 {
		who = fmt.Sprintf("placement #%d", e.Index+1)
	}
	if e.Placement != 0 {
		who += fmt.Sprintf(" (id %d)", e.Placement)
	}
	return fmt.Sprintf("timetable: %s: %s: %s", who, e.Field, e.Problem)
}

// PlacementErrors is every unplaceable placement of a list given to New, so an import can
// report all its bad rows at once.
type PlacementErrors []*PlacementError

func (e PlacementErrors) Error() string {
	msgs := make([]string, len(e))
	for i, pe := range e {
		msgs[i] = pe.Error()
	}
	return fmt.Sprintf("%d placements cannot be placed: %s", len(e), strings.Join(msgs, "; "))
}
