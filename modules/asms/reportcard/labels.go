package reportcard

import "fmt"

// labels are the document's own words in one language.
type labels struct {
	reportCard, transcript                          string
	academicYear, term                              string
	name, fatherName, rollNo, admissionNo           string
	class, section, position                        string
	subject, maxMarks, obtained, percentage, grade  string
	total, result                                   string
	attendance, workingDays, present, absent, leave string
	late, attendancePct                             string
	teacherRemarks, principalRemarks, remarks       string
	classTeacher, principal, guardian, examinations string
	issued                                          string
	page                                            func(n, of int) string
	continued                                       string
}

var english = labels{
	reportCard:       "Report Card",
	transcript:       "Academic Transcript",
	academicYear:     "Academic year",
	term:             "Term",
	name:             "Student's name",
	fatherName:       "Father's name",
	rollNo:           "Roll no.",
	admissionNo:      "Admission no.",
	class:            "Class",
	section:          "Section",
	position:         "Position in class",
	subject:          "Subject",
	maxMarks:         "Max. marks",
	obtained:         "Marks obtained",
	percentage:       "Percentage",
	grade:            "Grade",
	total:            "Total",
	result:           "Result",
	attendance:       "Attendance",
	workingDays:      "Working days",
	present:          "Present",
	absent:           "Absent",
	leave:            "Leave",
	late:             "Late",
	attendancePct:    "Attendance %",
	teacherRemarks:   "Class teacher's remarks",
	principalRemarks: "Principal's remarks",
	remarks:          "Remarks",
	classTeacher:     "Class teacher",
	principal:        "Principal",
	guardian:         "Parent / Guardian",
	examinations:     "Controller of examinations",
	issued:           "Issued on",
	page:             func(n, of int) string { return fmt.Sprintf("Page %d of %d", n, of) },
	continued:        "(continued)",
}

var urdu = labels{
	reportCard:       "رپورٹ کارڈ",
	transcript:       "تعلیمی ریکارڈ",
	academicYear:     "تعلیمی سال",
	term:             "ٹرم",
	name:             "طالب علم کا نام",
	fatherName:       "والد کا نام",
	rollNo:           "رول نمبر",
	admissionNo:      "داخلہ نمبر",
	class:            "جماعت",
	section:          "سیکشن",
	position:         "جماعت میں پوزیشن",
	subject:          "مضمون",
	maxMarks:         "کل نمبر",
	obtained:         "حاصل کردہ نمبر",
	percentage:       "فیصد",
	grade:            "گریڈ",
	total:            "میزان",
	result:           "نتیجہ",
	attendance:       "حاضری",
	workingDays:      "تعلیمی دن",
	present:          "حاضر",
	absent:           "غیر حاضر",
	leave:            "رخصت",
	late:             "تاخیر",
	attendancePct:    "حاضری فیصد",
	teacherRemarks:   "کلاس ٹیچر کے تاثرات",
	principalRemarks: "پرنسپل کے تاثرات",
	remarks:          "تاثرات",
	classTeacher:     "کلاس ٹیچر",
	principal:        "پرنسپل",
	guardian:         "والدین / سرپرست",
	examinations:     "ناظم امتحانات",
	issued:           "تاریخ اجرا",
	page:             func(n, of int) string { return fmt.Sprintf("صفحہ %d از %d", n, of) },
	continued:        "(جاری)",
}

func labelsFor(l Language) labels {
	if l == Urdu {
		return urdu
	}
	return english
}
