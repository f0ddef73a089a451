package reportcard

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Our shaper must agree glyph for glyph and unit for unit with HarfBuzz itself (hb-shape of
// libharfbuzz-bin) on every Urdu word the cards print. This is the test that caught
// go-text/typesetting v0.3.5, whose Nastaliq loses the cursive cascade: keep it when
// upgrading.
func TestUrduShapingMatchesHarfBuzz(t *testing.T) {
	r, err := New()
	require.NoError(t, err)
	fontPath := filepath.Join(t.TempDir(), "urdu.ttf")
	require.NoError(t, os.WriteFile(fontPath, notoNastaliqUrdu, 0o600))

	words := []string{
		urdu.reportCard, urdu.transcript, urdu.academicYear, urdu.name, urdu.fatherName, urdu.rollNo,
		urdu.admissionNo, urdu.class, urdu.section, urdu.position, urdu.subject, urdu.maxMarks,
		urdu.obtained, urdu.percentage, urdu.grade, urdu.total, urdu.attendance, urdu.workingDays,
		urdu.present, urdu.absent, urdu.leave, urdu.late, urdu.attendancePct, urdu.teacherRemarks,
		urdu.principalRemarks, urdu.classTeacher, urdu.principal, urdu.examinations, urdu.issued,
		"محمد علی خان", "عبدالرحمٰن خان", "الوریگ پبلک اسکول", "معاشرتی علوم", "اسلامیات",
		"علی محنتی طالب علم ہے", "شاباش اسی طرح محنت جاری رکھیں", "پاکستان", "خیبر پختونخوا",
	}
	for _, w := range words {
		sr := r.eng.shapeUncached(urduRegular, true, w)
		var ours []string
		for _, g := range sr.glyphs {
			s := fmt.Sprintf("gid%d", g.id)
			if dx, dy := math.Round(float64(g.dx)), math.Round(float64(g.dy)); dx != 0 || dy != 0 {
				s += fmt.Sprintf("@%.0f,%.0f", dx, dy)
			}
			ours = append(ours, s+fmt.Sprintf("+%.0f", math.Round(float64(g.adv))))
		}
		out := run(t, "hb-shape", "--no-clusters", "--language=ur", "--script=arab", "--direction=rtl", fontPath, w)
		require.Equal(t, strings.TrimSpace(string(out)), "["+strings.Join(ours, "|")+"]", "shaping of %q", w)
	}
}
