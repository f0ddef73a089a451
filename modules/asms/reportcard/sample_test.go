package reportcard

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/stretchr/testify/require"
)

// testLogo is a small crest with a transparent corner, so the soft-mask path is exercised.
func testLogo(t testing.TB) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 300, 300))
	for y := 0; y < 300; y++ {
		for x := 0; x < 300; x++ {
			dx, dy := x-150, y-150
			switch {
			case dx*dx+dy*dy < 120*120:
				img.SetNRGBA(x, y, color.NRGBA{23, 51, 102, 255})
			case dx*dx+dy*dy < 140*140:
				img.SetNRGBA(x, y, color.NRGBA{200, 160, 40, 255})
			}
		}
	}
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

func subjects(names []string) []SubjectMark {
	marks := [][]string{{"78", "81", "85"}, {"88", "90", "92"}, {"95", "97", "99"}, {"67", "70", "72"}, {"90", "88", "91"}, {"55", "61", "64"}, {"80", "84", "86"}, {"72", "75", "79"}}
	pct := []string{"85%", "92%", "99%", "72%", "91%", "64%", "86%", "79%"}
	grades := []string{"A1", "A1", "A1", "B", "A1", "C", "A1", "A"}
	out := make([]SubjectMark, len(names))
	for i, n := range names {
		out[i] = SubjectMark{Subject: n, MaxMarks: "100", Obtained: marks[i%len(marks)], Percentage: pct[i%len(pct)], Grade: grades[i%len(grades)]}
	}
	return out
}

func sampleCard(t testing.TB, lang Language) ReportCard {
	if lang == Urdu {
		return ReportCard{
			School:       School{Name: "الوریگ پبلک اسکول، لاہور", Address: "گلبرگ III، لاہور", Logo: testLogo(t)},
			Student:      Student{Name: "محمد علی خان", FatherName: "عبدالرحمٰن خان", RollNo: "23", AdmissionNo: "ALG-2024-0153"},
			AcademicYear: "2026-27",
			Result: Result{
				Title: "سالانہ امتحان", Class: "پنجم", Section: "B",
				Periods:  []string{"پہلی ٹرم", "دوسری ٹرم", "سالانہ"},
				Subjects: subjects([]string{"انگریزی", "اردو", "ریاضی", "سائنس", "اسلامیات", "معاشرتی علوم", "کمپیوٹر", "English Literature"}),
				Total:    SubjectMark{MaxMarks: "800", Obtained: []string{"625", "646", "668"}, Percentage: "83.5%", Grade: "A1"},
				Position: "تیسری",
				Attendance: &Attendance{
					WorkingDays: 96, Present: 90, Absent: 3, Leave: 2, Late: 1, Percentage: "93.8%",
				},
			},
			TeacherRemarks:   "علی محنتی طالب علم ہے۔ ریاضی میں 99 نمبر حاصل کیے، English میں مزید توجہ کی ضرورت ہے۔ کلاس میں نظم و ضبط کی پابندی کرتا ہے اور ہم جماعتوں کی مدد کرتا ہے۔",
			PrincipalRemarks: "شاباش! اسی طرح محنت جاری رکھیں۔",
			IssueDate:        "15 مارچ 2027",
		}
	}
	return ReportCard{
		School:       School{Name: "Alorig Public School, Lahore", Address: "Gulberg III, Lahore", Logo: testLogo(t)},
		Student:      Student{Name: "Muhammad Ali Khan", FatherName: "Abdul Rehman Khan", RollNo: "23", AdmissionNo: "ALG-2024-0153"},
		AcademicYear: "2026-27",
		Result: Result{
			Title: "Annual Examination", Class: "5", Section: "B",
			Periods:  []string{"Term 1", "Term 2", "Annual"},
			Subjects: subjects([]string{"English", "Urdu (اردو)", "Mathematics", "General Science", "Islamiyat", "Social Studies", "Computer Studies", "English Literature"}),
			Total:    SubjectMark{MaxMarks: "800", Obtained: []string{"625", "646", "668"}, Percentage: "83.5%", Grade: "A1"},
			Position: "3rd of 41",
			Attendance: &Attendance{
				WorkingDays: 96, Present: 90, Absent: 3, Leave: 2, Late: 1, Percentage: "93.8%",
			},
		},
		TeacherRemarks:   "Ali is a hard-working student. He scored 99 in Mathematics and should read more in English. He is punctual and helps his classmates.",
		PrincipalRemarks: "Well done! Keep it up.",
		IssueDate:        "15 March 2027",
	}
}

func sampleTranscript(t testing.TB, lang Language) Transcript {
	card := sampleCard(t, lang)
	var results []Result
	titles := []string{"Annual Examination 2023", "Annual Examination 2024", "Annual Examination 2025", "Annual Examination 2026"}
	classes := []string{"2", "3", "4", "5"}
	if lang == Urdu {
		titles = []string{"سالانہ امتحان 2023", "سالانہ امتحان 2024", "سالانہ امتحان 2025", "سالانہ امتحان 2026"}
		classes = []string{"دوم", "سوم", "چہارم", "پنجم"}
	}
	for i := range titles {
		r := card.Result
		r.Title, r.Class, r.Periods = titles[i], classes[i], nil
		r.Subjects = append([]SubjectMark(nil), r.Subjects...)
		for j := range r.Subjects {
			r.Subjects[j].Obtained = r.Subjects[j].Obtained[2:]
		}
		r.Total.Obtained = []string{"668"}
		results = append(results, r)
	}
	return Transcript{School: card.School, Student: card.Student, Results: results, Remarks: card.PrincipalRemarks, IssueDate: card.IssueDate}
}
