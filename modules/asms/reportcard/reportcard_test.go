package reportcard

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

func render(t testing.TB, r *Renderer, lang Language, transcript bool) []byte {
	t.Helper()
	var b bytes.Buffer
	if transcript {
		require.NoError(t, r.Transcript(&b, sampleTranscript(t, lang), lang))
	} else {
		require.NoError(t, r.ReportCard(&b, sampleCard(t, lang), lang))
	}
	return b.Bytes()
}

func pages(t testing.TB, pdf []byte) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(run(t, "pdfinfo", writeTemp(t, pdf)))
	require.NotNil(t, m, "pdfinfo gave no page count")
	var n int
	_, _ = fmt.Sscan(string(m[1]), &n)
	return n
}

// The fonts are embedded, subset, with a Unicode map, and nothing else is used.
func requireEmbeddedFonts(t *testing.T, pdf []byte, want ...string) {
	t.Helper()
	out := string(run(t, "pdffonts", writeTemp(t, pdf)))
	lines := strings.Split(strings.TrimSpace(out), "\n")[2:]
	var names []string
	for _, l := range lines {
		f := strings.Fields(l)
		require.GreaterOrEqual(t, len(f), 7, l)
		require.Equal(t, []string{"yes", "yes"}, f[len(f)-5:len(f)-3], "font not embedded as a subset: %s", l)
		names = append(names, f[0][strings.IndexByte(f[0], '+')+1:])
	}
	for _, w := range want {
		require.Contains(t, names, w)
	}
}

func TestEnglishReportCard(t *testing.T) {
	r, err := New()
	require.NoError(t, err)
	pdf := render(t, r, English, false)
	require.Equal(t, 1, pages(t, pdf))
	require.Less(t, len(pdf), 80_000, "a one-page card should stay small")
	requireEmbeddedFonts(t, pdf, "NotoSans-Regular", "NotoSans-Bold", "NotoNastaliqUrdu")
	text := pdfText(t, pdf)
	for _, s := range []string{
		"Alorig Public School, Lahore", "Report Card", "Annual Examination", "Muhammad Ali Khan",
		"Abdul Rehman Khan", "ALG-2024-0153", "General Science", "Computer Studies", "Term 1",
		"Max. marks", "83.5%", "3rd of 41", "Working days", "93.8%", "Class teacher's remarks",
		"He scored 99 in Mathematics", "Well done! Keep it up.", "Parent / Guardian",
		"Issued on: 15 March 2027", "Page 1 of 1", "اردو",
	} {
		require.Contains(t, text, s)
	}
	// Reading order: the table's rows come in the order given.
	require.Less(t, strings.Index(text, "Islamiyat"), strings.Index(text, "Social Studies"))
}

func TestUrduReportCard(t *testing.T) {
	r, err := New()
	require.NoError(t, err)
	pdf := render(t, r, Urdu, false)
	require.Equal(t, 1, pages(t, pdf))
	require.Less(t, len(pdf), 90_000)
	requireEmbeddedFonts(t, pdf, "NotoNastaliqUrdu", "NotoSans-Regular")
	text := pdfText(t, pdf)
	for _, s := range []string{
		"رپورٹ کارڈ", "طالب علم کا نام", "محمد علی خان", "والد کا نام", "عبدالرحمٰن خان",
		"رول نمبر", "مضمون", "پہلی ٹرم", "معاشرتی علوم", "اسلامیات", "English Literature",
		"ALG-2024-0153", "جماعت میں پوزیشن", "تعلیمی دن", "غیر حاضر", "کلاس ٹیچر کے تاثرات",
		"علی محنتی طالب علم ہے", "پرنسپل کے تاثرات", "سرپرست", "تاریخ اجرا",
	} {
		require.Contains(t, text, s)
	}
	// The page is drawn: the image has ink in both halves (table, labels on the right,
	// figures on the left).
	img := rasterise(t, pdf, 40)
	var left, right int
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if img.GrayAt(x, y).Y < 128 {
				if x < b.Dx()/2 {
					left++
				} else {
					right++
				}
			}
		}
	}
	require.Positive(t, left)
	require.Positive(t, right)
}

func TestTranscriptsSpanPages(t *testing.T) {
	r, err := New()
	require.NoError(t, err)
	en := render(t, r, English, true)
	require.Equal(t, 2, pages(t, en))
	text := pdfText(t, en)
	for i, y := range []string{"2023", "2024", "2025", "2026"} {
		require.Contains(t, text, "Annual Examination "+y+" — Class "+[]string{"2", "3", "4", "5"}[i])
	}
	require.Contains(t, text, "Academic Transcript")
	require.Contains(t, text, "Page 2 of 2")
	require.Contains(t, text, "Controller of examinations")

	ur := render(t, r, Urdu, true)
	require.Equal(t, 2, pages(t, ur))
	text = pdfText(t, ur)
	require.Equal(t, 4, strings.Count(text, "سالانہ امتحان"))
	for _, s := range []string{"تعلیمی ریکارڈ", "حاصل کردہ نمبر", "جماعت دوم", "جماعت پنجم", "ناظم امتحانات"} {
		require.Contains(t, text, s)
	}
}

func TestInvalidInputIsRefusedWithItsField(t *testing.T) {
	r, err := New()
	require.NoError(t, err)
	tests := []struct {
		name   string
		edit   func(*ReportCard)
		lang   Language
		fields []string
	}{
		{"no name", func(c *ReportCard) { c.Student.Name = " " }, English, []string{"student.name: is required"}},
		{"no school", func(c *ReportCard) { c.School.Name = "" }, English, []string{"school.name: is required"}},
		{"language", func(c *ReportCard) {}, "fr", []string{`language: is "fr"`}},
		{"marks per period", func(c *ReportCard) { c.Result.Subjects[2].Obtained = []string{"1"} },
			English, []string{"result.subjects[2].obtained: has 1 values, want 3"}},
		{"no subjects", func(c *ReportCard) { c.Result.Subjects = nil }, Urdu, []string{"result.subjects: is empty"}},
		{"control character", func(c *ReportCard) { c.TeacherRemarks = "ok\x07" }, English, []string{"teacher_remarks: contains the control character U+0007"}},
		{"long remark", func(c *ReportCard) { c.PrincipalRemarks = strings.Repeat("ا", 1501) }, Urdu, []string{"principal_remarks: is 1501 characters long"}},
		{"negative attendance", func(c *ReportCard) { c.Result.Attendance.Absent = -1 }, English, []string{"result.attendance.absent: is negative"}},
		{"bad UTF-8", func(c *ReportCard) { c.Student.FatherName = "\xff" }, English, []string{"student.father_name: is not valid UTF-8"}},
		{"two at once", func(c *ReportCard) { c.Student.Name = ""; c.Result.Title = "" }, English, []string{"student.name", "result.title"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := sampleCard(t, English)
			tc.edit(&c)
			var b bytes.Buffer
			err := r.ReportCard(&b, c, tc.lang)
			require.Error(t, err)
			require.True(t, errors.Is(err, ErrInvalid))
			for _, f := range tc.fields {
				require.Contains(t, err.Error(), f)
			}
			require.Zero(t, b.Len(), "nothing may be written for refused input")
		})
	}

	c := sampleCard(t, English)
	c.School.Logo = []byte("GIF89a not a logo")
	err = r.ReportCard(&bytes.Buffer{}, c, English)
	require.ErrorIs(t, err, ErrInvalid)
	require.Contains(t, err.Error(), "school.logo: not a PNG or JPEG image")

	tr := sampleTranscript(t, English)
	tr.Results = nil
	require.ErrorContains(t, r.Transcript(&bytes.Buffer{}, tr, English), "results: is empty")
}

// One Renderer serves many goroutines, and a document does not depend on what else is being
// rendered at the time: run with -race to check the sharing.
func TestConcurrentRenderingIsDeterministic(t *testing.T) {
	r, err := New()
	require.NoError(t, err)
	want := map[Language][]byte{English: render(t, r, English, false), Urdu: render(t, r, Urdu, false)}
	cards := map[Language]ReportCard{English: sampleCard(t, English), Urdu: sampleCard(t, Urdu)}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			lang := []Language{English, Urdu}[i%2]
			c := cards[lang]
			c.Student.Name += fmt.Sprint(" ", i)
			if err := r.ReportCard(&bytes.Buffer{}, c, lang); err != nil {
				errs <- err
				return
			}
			var b bytes.Buffer
			if err := r.ReportCard(&b, cards[lang], lang); err != nil {
				errs <- err
				return
			}
			if !bytes.Equal(b.Bytes(), want[lang]) {
				errs <- fmt.Errorf("%s card %d differs from the one rendered alone", lang, i)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

func TestLongRemarksWrapAndBreakPages(t *testing.T) {
	r, err := New()
	require.NoError(t, err)
	for _, lang := range []Language{English, Urdu} {
		c := sampleCard(t, lang)
		c.TeacherRemarks = strings.Repeat(c.TeacherRemarks+" ", 9)
		c.PrincipalRemarks = strings.Repeat(c.PrincipalRemarks+"\n", 12)
		var b bytes.Buffer
		require.NoError(t, r.ReportCard(&b, c, lang))
		require.Equal(t, 2, pages(t, b.Bytes()), lang)
	}
}
