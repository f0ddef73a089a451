package timetable

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// GridKind says whose timetable a grid shows.
type GridKind string

const (
	SectionGrid GridKind = "section"
	TeacherGrid GridKind = "teacher"
	RoomGrid    GridKind = "room"
	StudentGrid GridKind = "student"
)

// Grid is a printable timetable: one row per school day (Monday first), one cell per period
// of that day, so a short Friday has fewer cells. It carries names, not just ids, so a templ
// page, a PDF or the React dashboard renders it without another query.
type Grid struct {
	Kind  GridKind `json:"kind"`
	ID    int64    `json:"id"`
	Title string   `json:"title"`
	// Periods is the longest day's period count: the number of columns to draw.
	Periods int       `json:"periods"`
	Days    []GridDay `json:"days"`
}

// GridDay is one row.
type GridDay struct {
	Day   time.Weekday `json:"day"`
	Name  string       `json:"name"`
	Cells []GridCell   `json:"cells"`
}

// GridCell is one period. No entries: a free period. More than one: a clash, shown as it is
// so the person fixing it sees both.
type GridCell struct {
	Period  int         `json:"period"`
	Entries []GridEntry `json:"entries"`
}

// GridEntry is one placement seen from the grid's owner.
type GridEntry struct {
	Placement   int64     `json:"placement,omitempty"`
	Section     SectionID `json:"section"`
	SectionName string    `json:"section_name"`
	Subject     string    `json:"subject,omitempty"`
	Room        RoomID    `json:"room"`
	RoomName    string    `json:"room_name"`
	Teachers    []GridRef `json:"teachers"`
}

// GridRef names a teacher in a cell.
type GridRef struct {
	ID   TeacherID `json:"id"`
	Name string    `json:"name"`
}

// ErrNotFound is what every lookup of an id the school does not have wraps, so a handler maps
// it to 404 with errors.Is.
var ErrNotFound = errors.New("timetable: not found")

// UnknownError names the id a grid was asked for that the school does not have.
type UnknownError struct {
	Kind GridKind
	ID   int64
}

func (e *UnknownError) Error() string {
	return fmt.Sprintf("timetable: %s %d is not in this school's timetable", e.Kind, e.ID)
}

// Is makes errors.Is(err, ErrNotFound) true.
func (e *UnknownError) Is(target error) bool { return target == ErrNotFound }

// SectionGrid is a class's (or an elective's) week.
func (t *Timetable) SectionGrid(id SectionID) (Grid, error) {
	si, ok := t.sectionIdx[id]
	if !ok {
		return Grid{}, &UnknownError{Kind: SectionGrid, ID: int64(id)}
	}
	s := t.sections[si]
	return t.grid(SectionGrid, int64(id), s.Name, func(e *entry) bool { return e.section == si }), nil
}

// TeacherGrid is a teacher's week across all the sections they teach.
func (t *Timetable) TeacherGrid(id TeacherID) (Grid, error) {
	ti, ok := t.teacherIdx[id]
	if !ok {
		return Grid{}, &UnknownError{Kind: TeacherGrid, ID: int64(id)}
	}
	return t.grid(TeacherGrid, int64(id), t.teachers[ti].Name, func(e *entry) bool { return slices.Contains(e.teachers, ti) }), nil
}

// RoomGrid is a room's week: who meets there when.
func (t *Timetable) RoomGrid(id RoomID) (Grid, error) {
	ri, ok := t.roomIdx[id]
	if !ok {
		return Grid{}, &UnknownError{Kind: RoomGrid, ID: int64(id)}
	}
	return t.grid(RoomGrid, int64(id), t.rooms[ri].Name, func(e *entry) bool { return e.room == ri }), nil
}

// StudentGrid is a student's week across their class and electives: what a parent sees.
func (t *Timetable) StudentGrid(id StudentID) (Grid, error) {
	si, ok := t.studentIdx[id]
	if !ok {
		return Grid{}, &UnknownError{Kind: StudentGrid, ID: int64(id)}
	}
	return t.grid(StudentGrid, int64(id), t.students[si].Name, func(e *entry) bool {
		return t.sections[e.section].set[si/64]&(1<<(si%64)) != 0
	}), nil
}

func (t *Timetable) grid(kind GridKind, id int64, title string, mine func(*entry) bool) Grid {
	g := Grid{Kind: kind, ID: id, Title: title, Periods: t.width}
	for _, d := range t.week.Days() {
		row := GridDay{Day: d, Name: d.String(), Cells: make([]GridCell, t.week.Periods(d))}
		for p := range row.Cells {
			cell := GridCell{Period: p + 1, Entries: []GridEntry{}}
			list := slices.Clone(t.slots[t.slot(d, p+1)])
			slices.SortFunc(list, func(a, b *entry) int { return a.seq - b.seq })
			for _, e := range list {
				if mine(e) {
					cell.Entries = append(cell.Entries, t.gridEntry(e))
				}
			}
			row.Cells[p] = cell
		}
		g.Days = append(g.Days, row)
	}
	return g
}

func (t *Timetable) gridEntry(e *entry) GridEntry {
	s := t.sections[e.section]
	r := t.rooms[e.room]
	ge := GridEntry{Placement: e.ID, Section: s.ID, SectionName: s.Name, Subject: e.Subject, Room: r.ID, RoomName: r.Name,
		Teachers: make([]GridRef, len(e.teachers))}
	for i, ti := range e.teachers {
		ge.Teachers[i] = GridRef{ID: t.teachers[ti].ID, Name: t.teachers[ti].Name}
	}
	return ge
}
