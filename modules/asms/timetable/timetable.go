package timetable

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Timetable is one school's setup and schedule, indexed so a check looks only at the slot it
// is about:
//
//   - every id is mapped once to a dense index, so the hot path uses slices, not maps;
//   - each slot (day, period) keeps the list of placements in it (at most one per section,
//     so a few dozen in a large school);
//   - each section keeps its students as a bitset over the school's students, so "does any
//     student of this section sit in that one" is an AND of a few dozen machine words;
//   - each teacher keeps a count of their periods per weekday.
//
// A check is therefore proportional to the sections in one slot times the bitset width, not
// to the size of the schedule. A Timetable is not safe for concurrent use; the API builds one
// per request (or guards a cached one with a lock).
type Timetable struct {
	school SchoolID
	week   Week

	sectionIdx map[SectionID]int32
	teacherIdx map[TeacherID]int32
	roomIdx    map[RoomID]int32
	studentIdx map[StudentID]int32

	sections []section
	teachers []Teacher
	rooms    []Room
	students []Student

	width      int // periods per day in the slot index: the week's longest day
	slots      [][]*entry
	byID       map[int64]*entry
	teacherDay [][7]int
	seq        int // insertion counter, for stable whole-schedule reports
}

type section struct {
	Section
	teachers []int32 // dense teacher indices
	students []int32 // dense student indices, enrolment order
	set      []uint64
}

// entry is a placement as stored: the caller's Placement plus its dense indices.
type entry struct {
	Placement
	section  int32
	room     int32
	teachers []int32
	inline   [2]int32 // backing for teachers: most periods have one or two
	// defaulted: no teachers were given, so Teachers is the section's own (never changed)
	defaulted bool
	seq       int // order of insertion, for stable whole-schedule reports
}

// New indexes a school's setup and loads its existing placements. A broken setup is a
// *SetupError; placements that cannot be placed at all (unknown ids, a period outside the day)
// are reported together as PlacementErrors. Clashes among the existing placements are loaded
// as they are — a schedule imported from elsewhere may have some — and Clashes reports them.
func New(s School, existing []Placement) (*Timetable, error) {
	t := &Timetable{
		school:     s.ID,
		week:       s.Week,
		sectionIdx: make(map[SectionID]int32, len(s.Sections)),
		teacherIdx: make(map[TeacherID]int32, len(s.Teachers)),
		roomIdx:    make(map[RoomID]int32, len(s.Rooms)),
		studentIdx: make(map[StudentID]int32, len(s.Students)),
		teachers:   slices.Clone(s.Teachers),
		rooms:      slices.Clone(s.Rooms),
		students:   slices.Clone(s.Students),
		byID:       make(map[int64]*entry, len(existing)),
	}
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	for d, n := range s.Week {
		if n < 0 || n > MaxPeriodsPerDay {
			bad("%s has %d periods; want 0 to %d", time.Weekday(d), n, MaxPeriodsPerDay)
		}
	}
	if len(s.Week.Days()) == 0 {
		bad("the week has no school day")
	}
	for i, tc := range s.Teachers {
		if _, dup := t.teacherIdx[tc.ID]; dup {
			bad("teacher %d is listed twice", tc.ID)
		}
		if tc.MaxPerDay < 0 {
			bad("teacher %d (%s) has a daily maximum of %d; want 0 (no limit) or more", tc.ID, tc.Name, tc.MaxPerDay)
		}
		t.teacherIdx[tc.ID] = int32(i)
	}
	for i, r := range s.Rooms {
		if _, dup := t.roomIdx[r.ID]; dup {
			bad("room %d is listed twice", r.ID)
		}
		t.roomIdx[r.ID] = int32(i)
	}
	for i, st := range s.Students {
		if _, dup := t.studentIdx[st.ID]; dup {
			bad("student %d is listed twice", st.ID)
		}
		t.studentIdx[st.ID] = int32(i)
	}
	words := (len(s.Students) + 63) / 64
	t.sections = make([]section, len(s.Sections))
	for i, sec := range s.Sections {
		if _, dup := t.sectionIdx[sec.ID]; dup {
			bad("section %d is listed twice", sec.ID)
		}
		t.sectionIdx[sec.ID] = int32(i)
		x := section{Section: sec, set: make([]uint64, words)}
		x.Teachers = slices.Clone(sec.Teachers)
		x.Students = slices.Clone(sec.Students)
		if len(sec.Teachers) == 0 {
			bad("section %d (%s) has no teacher", sec.ID, sec.Name)
		}
		for _, id := range sec.Teachers {
			ti, ok := t.teacherIdx[id]
			if !ok {
				bad("section %d (%s): teacher %d is not on the school's staff", sec.ID, sec.Name, id)
				continue
			}
			if slices.Contains(x.teachers, ti) {
				bad("section %d (%s): teacher %d is listed twice", sec.ID, sec.Name, id)
				continue
			}
			x.teachers = append(x.teachers, ti)
		}
		if len(sec.Teachers) > 0 && !slices.Contains(sec.Teachers, sec.Primary) {
			bad("section %d (%s): primary teacher %d is not one of its teachers", sec.ID, sec.Name, sec.Primary)
		}
		for _, id := range sec.Students {
			si, ok := t.studentIdx[id]
			if !ok {
				bad("section %d (%s): student %d is not a student of the school", sec.ID, sec.Name, id)
				continue
			}
			if x.set[si/64]&(1<<(si%64)) != 0 {
				bad("section %d (%s): student %d is enrolled twice", sec.ID, sec.Name, id)
				continue
			}
			x.set[si/64] |= 1 << (si % 64)
			x.students = append(x.students, si)
		}
		t.sections[i] = x
	}
	if len(problems) > 0 {
		return nil, &SetupError{School: s.ID, Problems: problems}
	}

	t.width = s.Week.MaxPeriods()
	t.slots = make([][]*entry, 7*t.width)
	t.teacherDay = make([][7]int, len(s.Teachers))
	var perrs PlacementErrors
	slab := make([]entry, len(existing)) // one allocation for the whole schedule
	for i, p := range existing {
		e := &slab[i]
		if err := t.resolve(p, e); err != nil {
			err.Index = i
			perrs = append(perrs, err)
			continue
		}
		if p.ID != 0 {
			if _, dup := t.byID[p.ID]; dup {
				perrs = append(perrs, &PlacementError{Index: i, Placement: p.ID, Field: "id", Problem: "the same placement id appears twice"})
				continue
			}
		}
		t.insert(e)
	}
	if len(perrs) > 0 {
		return nil, perrs
	}
	return t, nil
}

// School is the id of the school this timetable belongs to.
func (t *Timetable) School() SchoolID { return t.school }

// Week is the school's periods per weekday.
func (t *Timetable) Week() Week { return t.week }

// Placements lists the schedule in insertion order (copies).
func (t *Timetable) Placements() []Placement {
	var all []*entry
	for _, list := range t.slots {
		all = append(all, list...)
	}
	slices.SortFunc(all, func(a, b *entry) int { return a.seq - b.seq })
	out := make([]Placement, len(all))
	for i, e := range all {
		out[i] = e.copyPlacement()
	}
	return out
}

func (e *entry) copyPlacement() Placement {
	p := e.Placement
	p.Teachers = slices.Clone(p.Teachers)
	return p
}

// resolve fills e from a placement, or says why it cannot be placed at all. e.Teachers may
// share the caller's or the section's slice; insert copies it before keeping it.
func (t *Timetable) resolve(p Placement, e *entry) *PlacementError {
	fail := func(field, format string, args ...any) *PlacementError {
		return &PlacementError{Index: -1, Placement: p.ID, Field: field, Problem: fmt.Sprintf(format, args...)}
	}
	si, ok := t.sectionIdx[p.Section]
	if !ok {
		return fail("section", "section %d is not a section of school %d", p.Section, t.school)
	}
	sec := &t.sections[si]
	n := t.week.Periods(p.Day)
	if n == 0 {
		return fail("day", "%s is not a school day", p.Day)
	}
	if p.Period < 1 || p.Period > n {
		return fail("period", "%s has periods 1 to %d; got %d", p.Day, n, p.Period)
	}
	ri, ok := t.roomIdx[p.Room]
	if !ok {
		return fail("room", "room %d is not a room of school %d", p.Room, t.school)
	}
	*e = entry{Placement: p, section: si, room: ri}
	if len(p.Teachers) == 0 {
		e.Teachers, e.teachers, e.defaulted = sec.Teachers, sec.teachers, true
		return nil
	}
	e.teachers = e.inline[:0]
	for _, id := range p.Teachers {
		ti, ok := t.teacherIdx[id]
		if !ok {
			return fail("teachers", "teacher %d is not on the staff of school %d", id, t.school)
		}
		if !slices.Contains(sec.teachers, ti) {
			return fail("teachers", "%s does not teach section %s", t.teacherName(ti), t.sectionName(si))
		}
		if slices.Contains(e.teachers, ti) {
			return fail("teachers", "%s is listed twice", t.teacherName(ti))
		}
		e.teachers = append(e.teachers, ti)
	}
	return nil
}

func (t *Timetable) slot(d time.Weekday, period int) int { return int(d)*t.width + period - 1 }

func (t *Timetable) insert(e *entry) {
	if !e.defaulted {
		e.Placement.Teachers = slices.Clone(e.Placement.Teachers) // the caller's slice is theirs to change
	}
	t.seq++
	e.seq = t.seq
	k := t.slot(e.Day, e.Period)
	t.slots[k] = append(t.slots[k], e)
	if e.ID != 0 {
		t.byID[e.ID] = e
	}
	for _, ti := range e.teachers {
		t.teacherDay[ti][e.Day]++
	}
}

func (t *Timetable) remove(e *entry) {
	k := t.slot(e.Day, e.Period)
	t.slots[k] = slices.DeleteFunc(t.slots[k], func(x *entry) bool { return x == e })
	if e.ID != 0 {
		delete(t.byID, e.ID)
	}
	for _, ti := range e.teachers {
		t.teacherDay[ti][e.Day]--
	}
}

// Check says whether p can be placed: nil, a *PlacementError when it cannot be placed at all,
// or a *ClashError listing every clash — teacher, room, student, section, daily maximum. When
// p.ID is a placement already in the timetable, p is checked as that placement moved: it does
// not clash with where it is now.
func (t *Timetable) Check(p Placement) error {
	var e entry
	if perr := t.resolve(p, &e); perr != nil {
		return perr
	}
	if clashes := t.clashesFor(&e); len(clashes) > 0 {
		return &ClashError{Clashes: clashes}
	}
	return nil
}

// Place checks p and, when it is clear, adds it (replacing the placement with the same ID, if
// any). It returns what Check returns.
func (t *Timetable) Place(p Placement) error {
	e := new(entry)
	if perr := t.resolve(p, e); perr != nil {
		return perr
	}
	if clashes := t.clashesFor(e); len(clashes) > 0 {
		return &ClashError{Clashes: clashes}
	}
	if old, ok := t.byID[p.ID]; ok && p.ID != 0 {
		t.remove(old)
	}
	t.insert(e)
	return nil
}

// Remove takes the placement with this id out of the schedule; it reports whether it was there.
func (t *Timetable) Remove(id int64) bool {
	e, ok := t.byID[id]
	if ok {
		t.remove(e)
	}
	return ok
}

// clashesFor is the hot path: only the placements in e's slot and the teachers' day counts.
func (t *Timetable) clashesFor(e *entry) []Clash {
	var out []Clash
	var self *entry
	if e.ID != 0 {
		self = t.byID[e.ID]
	}
	sec := &t.sections[e.section]
	for _, o := range t.slots[t.slot(e.Day, e.Period)] {
		if o == self {
			continue
		}
		out = t.pairClashes(out, e, o, sec)
	}
	for _, ti := range e.teachers {
		limit := t.teachers[ti].MaxPerDay
		if limit == 0 {
			continue
		}
		count := t.teacherDay[ti][e.Day] + 1
		if self != nil && self.Day == e.Day && slices.Contains(self.teachers, ti) {
			count-- // moving within the day does not add a period
		}
		if count > limit {
			out = append(out, Clash{
				Kind: DailyMaximum, Day: e.Day, Period: e.Period, Section: e.Section, Placement: e.ID,
				Teacher: t.teachers[ti].ID, Count: count, Max: limit,
				Message: fmt.Sprintf("%s would teach %d periods on %s, over their maximum of %d (placing %s in period %d)",
					t.teacherName(ti), count, e.Day, limit, t.sectionName(e.section), e.Period),
			})
		}
	}
	return out
}

// pairClashes appends the clashes between e (being placed) and o (already in the same slot).
func (t *Timetable) pairClashes(out []Clash, e, o *entry, sec *section) []Clash {
	base := Clash{Day: e.Day, Period: e.Period, Section: e.Section, Other: o.Section, Placement: e.ID, OtherID: o.ID}
	if o.section == e.section {
		c := base
		c.Kind = SectionClash
		c.Message = fmt.Sprintf("section %s already has %s", t.sectionName(e.section), slotText(e.Day, e.Period))
		return append(out, c)
	}
	for _, ti := range e.teachers {
		if slices.Contains(o.teachers, ti) {
			c := base
			c.Kind, c.Teacher = TeacherClash, t.teachers[ti].ID
			c.Message = fmt.Sprintf("%s already teaches %s on %s", t.teacherName(ti), t.sectionName(o.section), slotText(e.Day, e.Period))
			out = append(out, c)
		}
	}
	if o.room == e.room {
		c := base
		c.Kind, c.Room = RoomClash, t.rooms[e.room].ID
		c.Message = fmt.Sprintf("%s is already taken by %s on %s", t.roomName(e.room), t.sectionName(o.section), slotText(e.Day, e.Period))
		out = append(out, c)
	}
	other := &t.sections[o.section]
	shared := false
	for w, word := range sec.set {
		if word&other.set[w] != 0 {
			shared = true
			break
		}
	}
	if shared {
		var ids []StudentID
		for _, si := range sec.students {
			if other.set[si/64]&(1<<(si%64)) != 0 {
				ids = append(ids, t.students[si].ID)
			}
		}
		c := base
		c.Kind, c.Students = StudentClash, ids
		c.Message = fmt.Sprintf("%s already in %s on %s", t.studentsText(ids), t.sectionName(o.section), slotText(e.Day, e.Period))
		out = append(out, c)
	}
	return out
}

// Clashes validates the whole schedule, e.g. after an import: every pair of placements that
// share a slot and a teacher, room, student or section, and every teacher-day over its
// maximum. Each pairwise clash is reported once, against the earlier placement.
func (t *Timetable) Clashes() []Clash {
	var out []Clash
	for _, list := range t.slots {
		if len(list) < 2 {
			continue
		}
		ordered := slices.Clone(list)
		slices.SortFunc(ordered, func(a, b *entry) int { return a.seq - b.seq })
		for j := 1; j < len(ordered); j++ {
			e := ordered[j]
			sec := &t.sections[e.section]
			for i := 0; i < j; i++ {
				out = t.pairClashes(out, e, ordered[i], sec)
			}
		}
	}
	for ti, days := range t.teacherDay {
		limit := t.teachers[ti].MaxPerDay
		if limit == 0 {
			continue
		}
		for _, d := range mondayFirst {
			if days[d] > limit {
				out = append(out, Clash{
					Kind: DailyMaximum, Day: d, Teacher: t.teachers[ti].ID, Count: days[d], Max: limit,
					Message: fmt.Sprintf("%s teaches %d periods on %s, over their maximum of %d", t.teacherName(int32(ti)), days[d], d, limit),
				})
			}
		}
	}
	return out
}

// Validate builds a timetable from a school and its schedule and reports every clash in it:
// nil when the schedule is clean, a *ClashError otherwise, or the error New returns when the
// setup or a placement is unusable.
func Validate(s School, schedule []Placement) error {
	t, err := New(s, schedule)
	if err != nil {
		return err
	}
	if c := t.Clashes(); len(c) > 0 {
		return &ClashError{Clashes: c}
	}
	return nil
}

func (t *Timetable) teacherName(ti int32) string {
	tc := t.teachers[ti]
	if tc.Name == "" {
		return fmt.Sprintf("teacher %d", tc.ID)
	}
	return fmt.Sprintf("%s (teacher %d)", tc.Name, tc.ID)
}

func (t *Timetable) roomName(ri int32) string {
	r := t.rooms[ri]
	if r.Name == "" {
		return fmt.Sprintf("room %d", r.ID)
	}
	return fmt.Sprintf("%s (room %d)", r.Name, r.ID)
}

func (t *Timetable) sectionName(si int32) string {
	s := t.sections[si]
	if s.Name == "" {
		return fmt.Sprintf("section %d", s.ID)
	}
	return fmt.Sprintf("%s (section %d)", s.Name, s.ID)
}

// studentsText names up to five students and counts the rest, so a clash between a class and
// an elective does not print thirty names in one line; Clash.Students has them all.
func (t *Timetable) studentsText(ids []StudentID) string {
	const shown = 5
	names := make([]string, 0, min(len(ids), shown))
	for _, id := range ids[:min(len(ids), shown)] {
		st := t.students[t.studentIdx[id]]
		if st.Name == "" {
			names = append(names, fmt.Sprintf("student %d", id))
		} else {
			names = append(names, fmt.Sprintf("%s (student %d)", st.Name, id))
		}
	}
	text := strings.Join(names, ", ")
	if len(ids) > shown {
		text += fmt.Sprintf(" and %d more", len(ids)-shown)
	}
	if len(ids) == 1 {
		return text + " is"
	}
	return fmt.Sprintf("%d students (%s) are", len(ids), text)
}
