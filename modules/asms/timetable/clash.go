package timetable

import (
	"fmt"
	"strings"
	"time"
)

// ClashKind names which rule a placement breaks.
type ClashKind int

const (
	// TeacherClash: a teacher of the placement already teaches another section in that slot.
	TeacherClash ClashKind = iota + 1
	// RoomClash: another section already meets in that room in that slot.
	RoomClash
	// StudentClash: students of the section are already in another section in that slot
	// (an elective and their class, two electives).
	StudentClash
	// DailyMaximum: the placement would take a teacher over their periods-a-day limit.
	DailyMaximum
	// SectionClash: the section already has a period in that slot.
	SectionClash
)

var kindNames = map[ClashKind]string{
	TeacherClash: "teacher", RoomClash: "room", StudentClash: "student",
	DailyMaximum: "daily_maximum", SectionClash: "section",
}

func (k ClashKind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("ClashKind(%d)", int(k))
}

// MarshalText writes the kind as its name, so the API's JSON says "teacher", not 1.
func (k ClashKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Clash is one broken rule, with everything needed to show it: which section was being placed,
// which section it collides with, which teacher, room or students, which day and period.
type Clash struct {
	Kind ClashKind    `json:"kind"`
	Day  time.Weekday `json:"day"`
	// Period is the slot's period; for DailyMaximum it is the period being placed (0 when a
	// whole-timetable validation reports the day as a whole).
	Period int `json:"period"`
	// Section is the section being placed; in a whole-timetable validation, the later of the
	// two placements in the schedule's order.
	Section SectionID `json:"section"`
	// Other is the section already in the slot (0 for DailyMaximum).
	Other     SectionID `json:"other,omitempty"`
	Placement int64     `json:"placement,omitempty"` // Section's placement id, when stored
	OtherID   int64     `json:"other_placement,omitempty"`
	Teacher   TeacherID `json:"teacher,omitempty"`
	Room      RoomID    `json:"room,omitempty"`
	// Students are the students in both sections (StudentClash), in enrolment order.
	Students []StudentID `json:"students,omitempty"`
	// Count and Max: for DailyMaximum, the periods the teacher would teach that day and
	// their limit.
	Count int `json:"count,omitempty"`
	Max   int `json:"max,omitempty"`
	// Message is the clash in one English sentence with names, for logs, the CLI and as the
	// fallback text of a UI that has not translated the structured fields.
	Message string `json:"message"`
}

// ClashError is the refusal of a placement (or the verdict on a schedule): every clash found,
// not just the first, so a scheduler sees all that must change.
type ClashError struct {
	Clashes []Clash
}

func (e *ClashError) Error() string {
	var b strings.Builder
	if len(e.Clashes) == 1 {
		b.WriteString("timetable: 1 clash: ")
	} else {
		fmt.Fprintf(&b, "timetable: %d clashes: ", len(e.Clashes))
	}
	for i, c := range e.Clashes {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(c.Message)
	}
	return b.String()
}

// Kinds lists the kinds of clash found, in order, each once: handy in tests and for a
// summary line.
func (e *ClashError) Kinds() []ClashKind {
	var out []ClashKind
	seen := map[ClashKind]bool{}
	for _, c := range e.Clashes {
		if !seen[c.Kind] {
			seen[c.Kind] = true
			out = append(out, c.Kind)
		}
	}
	return out
}

func slotText(d time.Weekday, period int) string {
	return fmt.Sprintf("%s period %d", d, period)
}
