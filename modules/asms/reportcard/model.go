package reportcard

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrInvalid marks input the renderer refuses; the error text names the field and the reason.
var ErrInvalid = errors.New("reportcard: invalid input")

// Language is the language of a document's own words (headings, labels). The data (names,
// subjects, remarks) is printed as given, in whatever script it comes.
type Language string

const (
	English Language = "en"
	Urdu    Language = "ur"
)

// School heads every document.
type School struct {
	Name    string
	Address string // optional, one line under the name
	Logo    []byte // optional PNG or JPEG, at most MaxLogoBytes
}

// Student identifies whom the document is about.
type Student struct {
	Name        string
	FatherName  string // optional ("Father's name" on Pakistani cards)
	RollNo      string // optional
	AdmissionNo string // optional
}

// SubjectMark is one row of a marks table. Every figure is a string printed as given: the
// gradebook computes marks, percentages and grades (modules/asms/grading), this package only
// lays them out, so the two cannot disagree.
type SubjectMark struct {
	Subject  string
	MaxMarks string
	// Obtained holds the marks of each of the result's Periods, in order; one value when the
	// result has no Periods. "Absent" or "-" are as welcome as "78.5".
	Obtained   []string
	Percentage string
	Grade      string
}

// Attendance summarises a term's attendance; Percentage is printed as given.
type Attendance struct {
	WorkingDays, Present, Absent, Leave, Late int
	Percentage                                string
}

// Result is one marking period's (or one year's) marks for a class.
type Result struct {
	Title   string // e.g. "First Term 2026-27", "Annual Examination 2025"
	Class   string
	Section string // optional
	// Periods are the column headings of the marks when a result shows several marking
	// periods side by side ("Term 1", "Term 2", "Final"); empty for one column of marks.
	Periods  []string
	Subjects []SubjectMark
	Total    SubjectMark // Subject is ignored; the totals row
	// Position is the place in class ("3rd of 41"), optional.
	Position   string
	Attendance *Attendance // optional
}

// ReportCard is one student's result for one term.
type ReportCard struct {
	School           School
	Student          Student
	AcademicYear     string // optional
	Result           Result
	TeacherRemarks   string // optional
	PrincipalRemarks string // optional
	IssueDate        string // optional, printed as given (no clock is read here)
}

// Transcript is one student's results over several terms or years, in the order given.
type Transcript struct {
	School    School
	Student   Student
	Results   []Result
	Remarks   string // optional
	IssueDate string // optional
}

// Limits keep one document to a sane size whatever the caller sends.
const (
	maxShortText  = 200  // names, subjects, titles, figures
	maxLongText   = 1500 // remarks
	maxSubjects   = 60
	maxPeriods    = 6
	maxResults    = 40
	maxFigureText = 24
)

type checker struct{ problems []string }

func (c *checker) fail(field, format string, args ...any) {
	c.problems = append(c.problems, field+": "+fmt.Sprintf(format, args...))
}

func (c *checker) text(field, s string, required bool, limit int) {
	switch {
	case !utf8.ValidString(s):
		c.fail(field, "is not valid UTF-8")
	case required && strings.TrimSpace(s) == "":
		c.fail(field, "is required")
	case utf8.RuneCountInString(s) > limit:
		c.fail(field, "is %d characters long, at most %d", utf8.RuneCountInString(s), limit)
	default:
		for _, r := range s {
			if unicode.IsControl(r) && r != '\n' {
				c.fail(field, "contains the control character %U", r)
				return
			}
		}
	}
}

func (c *checker) err() error {
	if len(c.problems) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(c.problems, "; "))
}

func (c *checker) language(l Language) {
	if l != English && l != Urdu {
		c.fail("language", "is %q, want %q or %q", string(l), English, Urdu)
	}
}

func (c *checker) school(s School) {
	c.text("school.name", s.Name, true, maxShortText)
	c.text("school.address", s.Address, false, maxShortText)
	if len(s.Logo) > MaxLogoBytes {
		c.fail("school.logo", "is %d bytes, at most %d", len(s.Logo), MaxLogoBytes)
	}
}

func (c *checker) student(s Student) {
	c.text("student.name", s.Name, true, maxShortText)
	c.text("student.father_name", s.FatherName, false, maxShortText)
	c.text("student.roll_no", s.RollNo, false, maxFigureText)
	c.text("student.admission_no", s.AdmissionNo, false, maxFigureText)
}

func (c *checker) result(p string, r Result) {
	c.text(p+".title", r.Title, true, maxShortText)
	c.text(p+".class", r.Class, true, maxShortText)
	c.text(p+".section", r.Section, false, maxShortText)
	c.text(p+".position", r.Position, false, maxFigureText*2)
	if len(r.Periods) > maxPeriods {
		c.fail(p+".periods", "has %d marking periods, at most %d", len(r.Periods), maxPeriods)
	}
	for i, name := range r.Periods {
		c.text(fmt.Sprintf("%s.periods[%d]", p, i), name, true, maxFigureText*2)
	}
	want := max(1, len(r.Periods))
	if len(r.Subjects) == 0 {
		c.fail(p+".subjects", "is empty")
	}
	if len(r.Subjects) > maxSubjects {
		c.fail(p+".subjects", "has %d subjects, at most %d", len(r.Subjects), maxSubjects)
	}
	row := func(q string, m SubjectMark, subject bool) {
		if subject {
			c.text(q+".subject", m.Subject, true, maxShortText)
		}
		c.text(q+".max_marks", m.MaxMarks, false, maxFigureText)
		c.text(q+".percentage", m.Percentage, false, maxFigureText)
		c.text(q+".grade", m.Grade, false, maxFigureText)
		if len(m.Obtained) != want && !(len(m.Obtained) == 0 && !subject) {
			c.fail(q+".obtained", "has %d values, want %d (one per marking period)", len(m.Obtained), want)
		}
		for j, v := range m.Obtained {
			c.text(fmt.Sprintf("%s.obtained[%d]", q, j), v, false, maxFigureText)
		}
	}
	for i, m := range r.Subjects {
		row(fmt.Sprintf("%s.subjects[%d]", p, i), m, true)
	}
	row(p+".total", r.Total, false)
	if a := r.Attendance; a != nil {
		for _, f := range []struct {
			name string
			v    int
		}{{"working_days", a.WorkingDays}, {"present", a.Present}, {"absent", a.Absent}, {"leave", a.Leave}, {"late", a.Late}} {
			if f.v < 0 {
				c.fail(p+".attendance."+f.name, "is negative")
			}
		}
		c.text(p+".attendance.percentage", a.Percentage, false, maxFigureText)
	}
}

// Validate reports every problem with the card at once.
func (rc ReportCard) Validate(lang Language) error {
	var c checker
	c.language(lang)
	c.school(rc.School)
	c.student(rc.Student)
	c.text("academic_year", rc.AcademicYear, false, maxShortText)
	c.result("result", rc.Result)
	c.text("teacher_remarks", rc.TeacherRemarks, false, maxLongText)
	c.text("principal_remarks", rc.PrincipalRemarks, false, maxLongText)
	c.text("issue_date", rc.IssueDate, false, maxShortText)
	return c.err()
}

// Validate reports every problem with the transcript at once.
func (t Transcript) Validate(lang Language) error {
	var c checker
	c.language(lang)
	c.school(t.School)
	c.student(t.Student)
	if len(t.Results) == 0 {
		c.fail("results", "is empty")
	}
	if len(t.Results) > maxResults {
		c.fail("results", "has %d results, at most %d", len(t.Results), maxResults)
	}
	for i, r := range t.Results {
		c.result(fmt.Sprintf("results[%d]", i), r)
	}
	c.text("remarks", t.Remarks, false, maxLongText)
	c.text("issue_date", t.IssueDate, false, maxShortText)
	return c.err()
}
