package reportcard

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"sync"
)

// Renderer draws report cards and transcripts. Build one per process (New or Default): it
// holds the parsed fonts, the HarfBuzz shapers, the cache of shaped text and the converted
// logos, and it is safe for concurrent use.
type Renderer struct {
	eng    *textEngine
	images imageCache
}

// New parses the embedded fonts.
func New() (*Renderer, error) {
	fonts, err := loadFonts()
	if err != nil {
		return nil, err
	}
	return &Renderer{eng: newTextEngine(fonts)}, nil
}

var (
	defaultOnce     sync.Once
	defaultRenderer *Renderer
	defaultErr      error
)

// Default is the process's shared Renderer, built on first use.
func Default() (*Renderer, error) {
	defaultOnce.Do(func() { defaultRenderer, defaultErr = New() })
	return defaultRenderer, defaultErr
}

// Page geometry, in points.
const (
	margin   = 40.0
	contentW = pageW - 2*margin
	bottom   = pageH - 48 // lowest y the body may reach; the footer sits below
)

type align int

const (
	alignStart align = iota // left on an English card, right on an Urdu one
	alignEnd
	alignCenter
)

type style struct {
	size  float64
	bold  bool
	color rgb
}

// pager lays a document out page by page in logical coordinates: x runs from the start edge
// of the text (the left margin in English, the right one in Urdu), y from the top of the page.
type pager struct {
	r    *Renderer
	d    *document
	lb   labels
	urdu bool
	page *bytes.Buffer
	y    float64
	// rowH is the height of one line of body text; Urdu needs more for Nastaliq's descent
	// and its stacked joins.
	body, small, head style
	rowH              float64
}

func (r *Renderer) newPager(lang Language, title string) *pager {
	p := &pager{r: r, d: newDocument(r.eng, title), lb: labelsFor(lang), urdu: lang == Urdu}
	p.body = style{size: 9.5, color: black}
	p.small = style{size: 8, color: grey}
	p.head = style{size: 9.5, bold: true, color: darkBlue}
	p.rowH = 17
	if p.urdu {
		p.body.size, p.head.size, p.small.size = 9.5, 9.5, 8
		p.rowH = 24
	}
	p.newPage()
	return p
}

func (p *pager) newPage() {
	p.page = p.d.newPage()
	p.y = margin - 6
}

// x turns a logical box (offset from the start edge, width) into its left edge on the page.
func (p *pager) x(lx, w float64) float64 {
	if p.urdu {
		return pageW - margin - lx - w
	}
	return margin + lx
}

// baseline puts text of the given size in the vertical middle of a box of height h at top.
func (p *pager) baseline(top, h float64, st style) float64 {
	if p.urdu {
		// Nastaliq letters sit mostly above the baseline and its descenders run deep: centre
		// the band from 0.35 em below to 0.75 em above.
		s := st.size * urduScale
		return top + h/2 + s*0.25
	}
	return top + h/2 + st.size*0.35
}

// text draws one line of s in the logical box (lx, w) with its baseline at y. A line too wide
// for the box is set smaller until it fits (down to 70 %), then left to overflow.
func (p *pager) text(s string, lx, w, y float64, st style, a align) {
	if strings.TrimSpace(s) == "" {
		return
	}
	l := p.r.eng.layout(s, st.bold, p.urdu)
	size := st.size
	lw := l.width(size)
	if lw > w && w > 0 {
		size = max(st.size*0.7, size*w/lw)
		lw = l.width(size)
	}
	x0 := p.x(lx, w)
	var x float64
	switch {
	case a == alignCenter:
		x = x0 + (w-lw)/2
	case (a == alignStart) != p.urdu:
		x = x0
	default:
		x = x0 + w - lw
	}
	p.d.drawLine(p.page, l, x, y, size, st.color, st.bold)
}

// paragraph draws s wrapped to the box width, starting at the current y, and moves y down.
func (p *pager) paragraph(s string, lx, w float64, st style) {
	for _, ln := range p.r.eng.wrap(s, st.size, w, st.bold, p.urdu) {
		p.ensure(p.rowH)
		p.text(ln, lx, w, p.baseline(p.y, p.rowH, st), st, alignStart)
		p.y += p.rowH
	}
}

// ensure starts a new page when h more points do not fit.
func (p *pager) ensure(h float64) bool {
	if p.y+h <= bottom {
		return false
	}
	p.newPage()
	return true
}

func (p *pager) rule(y float64) {
	hline(p.page, margin, pageW-margin, y, 0.8, darkBlue)
}

// header draws the school's name, logo and address and the document's title lines.
func (p *pager) header(s School, title string, sub []string) error {
	top := p.y
	if len(s.Logo) > 0 {
		img, err := p.r.images.get(s.Logo)
		if err != nil {
			return err
		}
		h := 58.0
		w := min(h*img.aspectRatio, 90)
		h = w / img.aspectRatio
		p.d.drawImage(p.page, img, p.x(0, w), top, w, h)
	}
	inset := 95.0
	y := top
	nameStyle := style{size: 16, bold: true, color: darkBlue}
	lh := 24.0
	if p.urdu {
		lh = 32
	}
	p.text(s.Name, inset, contentW-2*inset, p.baseline(y, lh, nameStyle), nameStyle, alignCenter)
	y += lh
	if s.Address != "" {
		p.text(s.Address, inset, contentW-2*inset, p.baseline(y, p.rowH-2, p.small), p.small, alignCenter)
		y += p.rowH - 2
	}
	titleStyle := style{size: 12.5, bold: true, color: black}
	th := 20.0
	if p.urdu {
		th = 28
	}
	p.text(title, inset, contentW-2*inset, p.baseline(y, th, titleStyle), titleStyle, alignCenter)
	y += th
	for _, line := range sub {
		if line == "" {
			continue
		}
		p.text(line, inset, contentW-2*inset, p.baseline(y, p.rowH, p.body), p.body, alignCenter)
		y += p.rowH
	}
	p.y = max(y, top+62) + 4
	p.rule(p.y)
	p.y += 8
	return nil
}

type field struct{ label, value string }

// fields lays label–value pairs out in two columns, skipping empty values.
func (p *pager) fields(fs []field) {
	var kept []field
	for _, f := range fs {
		if strings.TrimSpace(f.value) != "" {
			kept = append(kept, f)
		}
	}
	colW := contentW / 2
	labelW := 100.0
	if p.urdu {
		labelW = 95
	}
	for i := 0; i < len(kept); i += 2 {
		for j := 0; j < 2 && i+j < len(kept); j++ {
			f := kept[i+j]
			lx := float64(j) * colW
			b := p.baseline(p.y, p.rowH, p.body)
			p.text(f.label+":", lx, labelW, b, style{size: p.body.size, bold: true, color: grey}, alignStart)
			p.text(f.value, lx+labelW+4, colW-labelW-12, b, p.body, alignStart)
		}
		p.y += p.rowH
	}
	p.y += 4
}

// column is one column of a table: its width, heading and alignment.
type column struct {
	w     float64
	head  string
	align align
}

// table draws a header row and the rows, breaking pages between rows and repeating the header.
// A bold last row (totals) is drawn bold on a tinted ground.
func (p *pager) table(cols []column, rows [][]string, boldLast bool) {
	headH := p.rowH + 2
	pad := 4.0
	drawHead := func() {
		rect(p.page, margin, p.y, contentW, headH, &lightFill, nil, 0)
		lx := 0.0
		for _, c := range cols {
			st := style{size: p.body.size - 0.5, bold: true, color: darkBlue}
			p.text(c.head, lx+pad, c.w-2*pad, p.baseline(p.y, headH, st), st, alignCenter)
			lx += c.w
		}
		hline(p.page, margin, pageW-margin, p.y, 0.6, rule)
		hline(p.page, margin, pageW-margin, p.y+headH, 0.6, rule)
		p.y += headH
	}
	p.ensure(headH + p.rowH)
	drawHead()
	for i, row := range rows {
		last := boldLast && i == len(rows)-1
		if p.ensure(p.rowH) {
			drawHead()
		}
		if last {
			rect(p.page, margin, p.y, contentW, p.rowH, &lightFill, nil, 0)
		}
		lx := 0.0
		for j, c := range cols {
			if j < len(row) {
				st := p.body
				st.bold = last
				p.text(row[j], lx+pad, c.w-2*pad, p.baseline(p.y, p.rowH, st), st, c.align)
			}
			lx += c.w
		}
		p.y += p.rowH
		hline(p.page, margin, pageW-margin, p.y, 0.4, rule)
	}
	p.y += 6
}

// marksTable is the subjects table of a result.
func (p *pager) marksTable(r Result) {
	lb := p.lb
	periods := r.Periods
	if len(periods) == 0 {
		periods = []string{lb.obtained}
	}
	figW := 62.0
	cols := []column{{head: lb.subject, align: alignStart}, {w: figW, head: lb.maxMarks, align: alignCenter}}
	for _, name := range periods {
		cols = append(cols, column{w: figW, head: name, align: alignCenter})
	}
	cols = append(cols, column{w: figW, head: lb.percentage, align: alignCenter}, column{w: 48, head: lb.grade, align: alignCenter})
	used := 0.0
	for _, c := range cols[1:] {
		used += c.w
	}
	cols[0].w = contentW - used
	var rows [][]string
	for _, m := range r.Subjects {
		rows = append(rows, markRow(m.Subject, m, len(periods)))
	}
	t := r.Total
	hasTotal := t.MaxMarks != "" || len(t.Obtained) > 0 || t.Percentage != "" || t.Grade != ""
	if hasTotal {
		rows = append(rows, markRow(lb.total, t, len(periods)))
	}
	p.table(cols, rows, hasTotal)
}

func markRow(subject string, m SubjectMark, periods int) []string {
	row := []string{subject, m.MaxMarks}
	for i := 0; i < periods; i++ {
		v := ""
		if i < len(m.Obtained) {
			v = m.Obtained[i]
		}
		row = append(row, v)
	}
	return append(row, m.Percentage, m.Grade)
}

// attendanceTable is one row of attendance figures.
func (p *pager) attendanceTable(a Attendance) {
	lb := p.lb
	heads := []string{lb.workingDays, lb.present, lb.absent, lb.leave, lb.late, lb.attendancePct}
	vals := []string{strconv.Itoa(a.WorkingDays), strconv.Itoa(a.Present), strconv.Itoa(a.Absent), strconv.Itoa(a.Leave), strconv.Itoa(a.Late), a.Percentage}
	cols := make([]column, len(heads))
	for i, h := range heads {
		cols[i] = column{w: contentW / float64(len(heads)), head: h, align: alignCenter}
	}
	p.table(cols, [][]string{vals}, false)
}

// sectionTitle is a bold heading line.
func (p *pager) sectionTitle(s string) {
	p.ensure(p.rowH * 2)
	p.text(s, 0, contentW, p.baseline(p.y, p.rowH, p.head), p.head, alignStart)
	p.y += p.rowH
}

// summary is a line of label: value pairs (total, percentage, grade, position).
func (p *pager) summary(fs []field) {
	var parts []field
	for _, f := range fs {
		if strings.TrimSpace(f.value) != "" {
			parts = append(parts, f)
		}
	}
	if len(parts) == 0 {
		return
	}
	p.ensure(p.rowH + 4)
	w := contentW / float64(len(parts))
	rect(p.page, margin, p.y, contentW, p.rowH+2, nil, &rule, 0.6)
	for i, f := range parts {
		b := p.baseline(p.y, p.rowH+2, p.body)
		lw := p.r.eng.measure(f.label+":", p.body.size, true, p.urdu)
		lw = min(lw, w*0.6)
		p.text(f.label+":", float64(i)*w+6, lw, b, style{size: p.body.size, bold: true, color: grey}, alignStart)
		p.text(f.value, float64(i)*w+6+lw+4, w-lw-16, b, style{size: p.body.size, bold: true, color: black}, alignStart)
	}
	p.y += p.rowH + 8
}

// remarksBox is a titled block of wrapped text.
func (p *pager) remarksBox(title, text string) {
	if strings.TrimSpace(text) == "" {
		return
	}
	p.sectionTitle(title)
	p.paragraph(text, 8, contentW-16, p.body)
	p.y += 4
}

// signatures draws signature lines across the page, kept together on one page.
func (p *pager) signatures(names ...string) {
	h := 44.0
	if p.urdu {
		h = 52
	}
	p.ensure(h)
	p.y = max(p.y, bottom-h)
	w := contentW / float64(len(names))
	for i, n := range names {
		lx := float64(i)*w + 14
		lineY := p.y + h - p.rowH - 2
		x := p.x(lx, w-28)
		hline(p.page, x, x+w-28, lineY, 0.6, black)
		p.text(n, lx, w-28, p.baseline(lineY, p.rowH, p.small), p.small, alignCenter)
	}
	p.y += h
}

// footers numbers the pages and prints the issue date, once the page count is known.
func (p *pager) footers(issued string) {
	n := len(p.d.pages)
	for i, pg := range p.d.pages {
		p.page = pg
		y := pageH - 40
		hline(pg, margin, pageW-margin, y, 0.4, rule)
		b := p.baseline(y+2, p.rowH, p.small)
		if issued != "" {
			p.text(p.lb.issued+": "+issued, 0, contentW/2, b, p.small, alignStart)
		}
		p.text(p.lb.page(i+1, n), contentW/2, contentW/2, b, p.small, alignEnd)
	}
}

func classLine(r Result) string {
	s := r.Class
	if r.Section != "" {
		s += " – " + r.Section
	}
	return s
}

// ReportCard writes rc as a one-term report card in lang.
func (r *Renderer) ReportCard(w io.Writer, rc ReportCard, lang Language) error {
	if err := rc.Validate(lang); err != nil {
		return err
	}
	lb := labelsFor(lang)
	p := r.newPager(lang, lb.reportCard+" – "+rc.Student.Name)
	sub := []string{rc.Result.Title}
	if rc.AcademicYear != "" {
		sub[0] = strings.TrimSpace(rc.Result.Title + " · " + lb.academicYear + " " + rc.AcademicYear)
	}
	if err := p.header(rc.School, lb.reportCard, sub); err != nil {
		return err
	}
	res := rc.Result
	p.fields([]field{
		{lb.name, rc.Student.Name}, {lb.rollNo, rc.Student.RollNo},
		{lb.fatherName, rc.Student.FatherName}, {lb.admissionNo, rc.Student.AdmissionNo},
		{lb.class, res.Class}, {lb.section, res.Section},
	})
	p.marksTable(res)
	p.summary([]field{
		{lb.total, joinMarks(res.Total)}, {lb.percentage, res.Total.Percentage},
		{lb.grade, res.Total.Grade}, {lb.position, res.Position},
	})
	if res.Attendance != nil {
		p.sectionTitle(lb.attendance)
		p.attendanceTable(*res.Attendance)
	}
	p.remarksBox(lb.teacherRemarks, rc.TeacherRemarks)
	p.remarksBox(lb.principalRemarks, rc.PrincipalRemarks)
	p.signatures(lb.classTeacher, lb.principal, lb.guardian)
	p.footers(rc.IssueDate)
	return p.d.write(w)
}

// joinMarks is "obtained / max" of the totals row, using its last period's figure.
func joinMarks(t SubjectMark) string {
	if len(t.Obtained) == 0 {
		return ""
	}
	got := t.Obtained[len(t.Obtained)-1]
	if t.MaxMarks == "" || got == "" {
		return got
	}
	return got + " / " + t.MaxMarks
}

// Transcript writes t as a transcript of several results in lang.
func (r *Renderer) Transcript(w io.Writer, t Transcript, lang Language) error {
	if err := t.Validate(lang); err != nil {
		return err
	}
	lb := labelsFor(lang)
	p := r.newPager(lang, lb.transcript+" – "+t.Student.Name)
	if err := p.header(t.School, lb.transcript, nil); err != nil {
		return err
	}
	p.fields([]field{
		{lb.name, t.Student.Name}, {lb.rollNo, t.Student.RollNo},
		{lb.fatherName, t.Student.FatherName}, {lb.admissionNo, t.Student.AdmissionNo},
	})
	for i, res := range t.Results {
		// Keep a result's heading with at least its table header and three rows.
		p.ensure(p.rowH*6 + 10)
		if i > 0 {
			p.y += 4
		}
		heading := res.Title + " — " + lb.class + " " + classLine(res)
		p.sectionTitle(heading)
		p.marksTable(res)
		fs := []field{
			{lb.total, joinMarks(res.Total)}, {lb.percentage, res.Total.Percentage},
			{lb.grade, res.Total.Grade}, {lb.position, res.Position},
		}
		if res.Attendance != nil && res.Attendance.Percentage != "" {
			fs = append(fs, field{lb.attendance, res.Attendance.Percentage})
		}
		p.summary(fs)
	}
	p.remarksBox(lb.remarks, t.Remarks)
	p.signatures(lb.examinations, lb.principal)
	p.footers(t.IssueDate)
	return p.d.write(w)
}
