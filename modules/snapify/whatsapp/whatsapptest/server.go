// Package whatsapptest is a local stand-in for the WhatsApp Cloud API (Graph API) for tests and
// the offline demo. It checks what the real service checks before accepting a message: the
// Bearer token, the phone number id, the payload schema (unknown keys are refused), Meta's
// length and count limits, registered templates and their parameter counts, and the 24-hour
// customer service window. Accepted messages are recorded; media can be served for the
// two-step download.
package whatsapptest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/alorig/alorig/modules/snapify/whatsapp"
	"github.com/alorig/alorig/shared/clock"
)

// TemplateSpec describes an approved template: its languages and how many parameters its body
// and its dynamic URL button (index 0) take.
type TemplateSpec struct {
	Languages       []string
	BodyParams      int
	URLButtonParams int
}

// SnapifyTemplates are the templates Snapify registers, as documented in
// docs/snapify-integrations.md.
func SnapifyTemplates() map[string]TemplateSpec {
	return map[string]TemplateSpec{
		whatsapp.TemplateLoginCode: {Languages: []string{"en", "ur"}, BodyParams: 1, URLButtonParams: 1},
		whatsapp.TemplateNewOrder:  {Languages: []string{"en", "ur"}, BodyParams: 4, URLButtonParams: 1},
	}
}

// Options configure a fake. Zero values get working defaults.
type Options struct {
	Token         string // default "test-token"
	PhoneNumberID string // default "100000000000001"
	AppSecret     string // default "test-app-secret"; only handed out through Config
	Clock         clock.Clock
	Templates     map[string]TemplateSpec // default SnapifyTemplates()
	// AllWindowsOpen accepts free-form messages to anyone, for the demo where no buyer has
	// written first. Tests leave it off and call OpenWindow.
	AllWindowsOpen bool
}

// Message is one accepted message as the fake understood it.
type Message struct {
	ID               string
	To               string
	Type             string // text, interactive, template
	Text             string // text body, or interactive body
	InteractiveType  string // button, list
	Choices          []string
	Template         string
	Language         string
	BodyParams       []string
	URLButtonParams  []string
	CouponCodeParams []string
	Raw              json.RawMessage
	At               time.Time
}

type media struct {
	data     []byte
	mime     string
	sha256   string
	declared int
}

type failure struct{ status, code, subcode int }

// Server is the fake Graph API. It is an http.Handler; Start also gives it a listener.
type Server struct {
	URL string

	opts    Options
	httpSrv *httptest.Server

	mu       sync.Mutex
	seq      int
	messages []Message
	windows  map[string]time.Time
	media    map[string]*media
	fail     []failure
}

// New returns the fake as a handler without a listener (to mount on a demo server).
func New(opts Options) *Server {
	if opts.Token == "" {
		opts.Token = "test-token"
	}
	if opts.PhoneNumberID == "" {
		opts.PhoneNumberID = "100000000000001"
	}
	if opts.AppSecret == "" {
		opts.AppSecret = "test-app-secret"
	}
	if opts.Clock == nil {
		opts.Clock = clock.System{}
	}
	if opts.Templates == nil {
		opts.Templates = SnapifyTemplates()
	}
	return &Server{opts: opts, windows: map[string]time.Time{}, media: map[string]*media{}}
}

// Start returns a fake listening on a loopback port. Close it when done.
func Start(opts Options) *Server {
	s := New(opts)
	s.httpSrv = httptest.NewServer(s)
	s.URL = s.httpSrv.URL
	return s
}

// Close stops the listener started by Start.
func (s *Server) Close() {
	if s.httpSrv != nil {
		s.httpSrv.Close()
	}
}

// Config returns a client configuration pointing at this fake.
func (s *Server) Config() whatsapp.Config {
	return whatsapp.Config{Token: s.opts.Token, PhoneNumberID: s.opts.PhoneNumberID, APIBase: s.URL, APIVersion: "v21.0", AppSecret: s.opts.AppSecret}
}

// OpenWindow records that waID (digits, with country code) wrote to the business now, which
// opens the 24-hour window for free-form messages.
func (s *Server) OpenWindow(waID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.windows[strings.TrimPrefix(waID, "+")] = s.opts.Clock.Now()
}

// FailNext makes the next send answer with the given Graph error code (e.g. 130429, 131056).
func (s *Server) FailNext(httpStatus, code, subcode int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = append(s.fail, failure{httpStatus, code, subcode})
}

// Messages returns a copy of every accepted message, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// AddMedia stores a file and returns its media id.
func (s *Server) AddMedia(data []byte, mime string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	id := fmt.Sprintf("%d", 900000000000000+s.seq)
	sum := sha256.Sum256(data)
	s.media[id] = &media{data: bytes.Clone(data), mime: mime, sha256: hex.EncodeToString(sum[:]), declared: len(data)}
	return id
}

// TamperMedia replaces a file's bytes but keeps the size and digest already announced, to test
// that downloads are verified.
func (s *Server) TamperMedia(id string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, ok := s.media[id]; ok {
		m.data = bytes.Clone(data)
	}
}

var (
	versionRe = regexp.MustCompile(`^v[0-9]+\.[0-9]+$`)
	digitsRe  = regexp.MustCompile(`^\+?[1-9][0-9]{7,14}$`)
)

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+s.opts.Token {
		writeErr(w, http.StatusUnauthorized, 190, 0, "OAuthException", "Invalid OAuth access token - Cannot parse access token", "")
		return
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case len(parts) == 2 && parts[0] == "media-download" && r.Method == http.MethodGet:
		s.serveDownload(w, parts[1])
	case len(parts) == 2 && versionRe.MatchString(parts[0]) && r.Method == http.MethodGet:
		s.serveMediaInfo(w, r, parts[1])
	case len(parts) == 3 && versionRe.MatchString(parts[0]) && parts[2] == "messages" && r.Method == http.MethodPost:
		if parts[1] != s.opts.PhoneNumberID {
			writeErr(w, http.StatusBadRequest, 100, 33, "GraphMethodException",
				fmt.Sprintf("Unsupported post request. Object with ID '%s' does not exist, cannot be loaded due to missing permissions, or does not support this operation.", parts[1]), "")
			return
		}
		s.serveSend(w, r)
	default:
		writeErr(w, http.StatusBadRequest, 2500, 0, "OAuthException", "Unknown path components: "+r.URL.Path, "")
	}
}

// Graph error object, as Meta writes it.
func writeErr(w http.ResponseWriter, status, code, subcode int, typ, msg, details string) {
	e := map[string]any{"message": msg, "type": typ, "code": code, "fbtrace_id": "AfakeTrace" + fmt.Sprint(code)}
	if subcode != 0 {
		e["error_subcode"] = subcode
	}
	if details != "" {
		e["error_data"] = map[string]any{"messaging_product": "whatsapp", "details": details}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": e})
}

func invalidParam(w http.ResponseWriter, details string) {
	writeErr(w, http.StatusBadRequest, 131009, 0, "OAuthException", "(#131009) Parameter value is not valid", details)
}

func missingParam(w http.ResponseWriter, details string) {
	writeErr(w, http.StatusBadRequest, 131008, 0, "OAuthException", "(#131008) Required parameter is missing", details)
}

func (s *Server) serveMediaInfo(w http.ResponseWriter, r *http.Request, id string) {
	s.mu.Lock()
	m, ok := s.media[id]
	s.mu.Unlock()
	if !ok {
		writeErr(w, http.StatusBadRequest, 100, 33, "GraphMethodException", fmt.Sprintf("Unsupported get request. Object with ID '%s' does not exist", id), "")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"messaging_product": "whatsapp",
		"url":               "http://" + r.Host + "/media-download/" + id,
		"mime_type":         m.mime,
		"sha256":            m.sha256,
		"file_size":         m.declared,
		"id":                id,
	})
}

func (s *Server) serveDownload(w http.ResponseWriter, id string) {
	s.mu.Lock()
	m, ok := s.media[id]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, nil)
		return
	}
	w.Header().Set("Content-Type", m.mime)
	_, _ = w.Write(m.data)
}

// The fake's own view of the send payload. Unknown keys are refused, as the Graph API does.
type (
	inMessage struct {
		MessagingProduct string         `json:"messaging_product"`
		RecipientType    string         `json:"recipient_type"`
		To               string         `json:"to"`
		Type             string         `json:"type"`
		Text             *inText        `json:"text"`
		Interactive      *inInteractive `json:"interactive"`
		Template         *inTemplate    `json:"template"`
	}
	inText struct {
		PreviewURL bool   `json:"preview_url"`
		Body       string `json:"body"`
	}
	inInteractive struct {
		Type   string `json:"type"`
		Header *struct {
			Type string `json:"type"`
			Text string `json:"text"`
		} `json:"header"`
		Body *struct {
			Text string `json:"text"`
		} `json:"body"`
		Footer *struct {
			Text string `json:"text"`
		} `json:"footer"`
		Action *struct {
			Buttons []struct {
				Type  string `json:"type"`
				Reply struct {
					ID    string `json:"id"`
					Title string `json:"title"`
				} `json:"reply"`
			} `json:"buttons"`
			Button   string `json:"button"`
			Sections []struct {
				Title string `json:"title"`
				Rows  []struct {
					ID          string `json:"id"`
					Title       string `json:"title"`
					Description string `json:"description"`
				} `json:"rows"`
			} `json:"sections"`
		} `json:"action"`
	}
	inTemplate struct {
		Name     string `json:"name"`
		Language *struct {
			Code   string `json:"code"`
			Policy string `json:"policy"`
		} `json:"language"`
		Components []struct {
			Type       string `json:"type"`
			SubType    string `json:"sub_type"`
			Index      string `json:"index"`
			Parameters []struct {
				Type       string `json:"type"`
				Text       string `json:"text"`
				Payload    string `json:"payload"`
				CouponCode string `json:"coupon_code"`
			} `json:"parameters"`
		} `json:"components"`
	}
)

func runes(s string) int { return utf8.RuneCountInString(s) }

func (s *Server) serveSend(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		writeErr(w, http.StatusBadRequest, 100, 0, "OAuthException", "(#100) The parameter messaging_product is required.", "")
		return
	}
	var raw json.RawMessage
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&raw); err != nil {
		writeErr(w, http.StatusBadRequest, 100, 0, "OAuthException", "(#100) Invalid JSON", err.Error())
		return
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var m inMessage
	if err := dec.Decode(&m); err != nil {
		writeErr(w, http.StatusBadRequest, 100, 0, "OAuthException", "(#100) Invalid parameter", err.Error())
		return
	}
	if m.MessagingProduct != "whatsapp" {
		writeErr(w, http.StatusBadRequest, 100, 0, "OAuthException", "(#100) The parameter messaging_product is required.", "")
		return
	}
	if m.RecipientType != "" && m.RecipientType != "individual" {
		invalidParam(w, "recipient_type must be individual")
		return
	}
	if !digitsRe.MatchString(m.To) {
		invalidParam(w, fmt.Sprintf("to %q is not a phone number in international format", m.To))
		return
	}
	to := strings.TrimPrefix(m.To, "+")
	rec := Message{To: to, Type: m.Type, Raw: raw, At: s.opts.Clock.Now()}

	var problem string
	switch m.Type {
	case "text":
		problem = checkText(m.Text, &rec)
	case "interactive":
		problem = checkInteractive(m.Interactive, &rec)
	case "template":
		problem = s.checkTemplate(m.Template, &rec)
		if strings.HasPrefix(problem, "#") {
			code, detail := 132001, problem[1:]
			if strings.HasPrefix(detail, "params:") {
				code, detail = 132000, strings.TrimPrefix(detail, "params:")
			}
			if strings.HasPrefix(detail, "format:") {
				code, detail = 132018, strings.TrimPrefix(detail, "format:")
			}
			writeErr(w, http.StatusBadRequest, code, 0, "OAuthException", templateMessages[code], detail)
			return
		}
	case "":
		missingParam(w, "type is required")
		return
	default:
		invalidParam(w, fmt.Sprintf("type %q is not supported by this fake", m.Type))
		return
	}
	if problem != "" {
		if strings.HasPrefix(problem, "missing:") {
			missingParam(w, strings.TrimPrefix(problem, "missing:"))
		} else {
			invalidParam(w, problem)
		}
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.fail) > 0 {
		f := s.fail[0]
		s.fail = s.fail[1:]
		writeErr(w, f.status, f.code, f.subcode, "OAuthException", fmt.Sprintf("(#%d) injected failure", f.code), "")
		return
	}
	if m.Type != "template" && !s.opts.AllWindowsOpen {
		opened, ok := s.windows[to]
		if !ok || s.opts.Clock.Now().Sub(opened) >= 24*time.Hour {
			writeErr(w, http.StatusBadRequest, 131047, 0, "OAuthException", "(#131047) Re-engagement message",
				"Message failed to send because more than 24 hours have passed since the customer last replied to this number.")
			return
		}
	}
	s.seq++
	rec.ID = fmt.Sprintf("wamid.HBgM%s%08d", to, s.seq)
	s.messages = append(s.messages, rec)
	resp := map[string]any{
		"messaging_product": "whatsapp",
		"contacts":          []map[string]string{{"input": m.To, "wa_id": to}},
		"messages":          []map[string]string{{"id": rec.ID}},
	}
	if m.Type == "template" {
		resp["messages"] = []map[string]string{{"id": rec.ID, "message_status": "accepted"}}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

var templateMessages = map[int]string{
	132000: "(#132000) Number of parameters does not match the expected number of params",
	132001: "(#132001) Template name does not exist in the translation",
	132018: "(#132018) There was an issue with the parameters in your template.",
}

func checkText(t *inText, rec *Message) string {
	if t == nil || t.Body == "" {
		return "missing:text.body is required"
	}
	if runes(t.Body) > 4096 {
		return "text.body is longer than 4096 characters"
	}
	rec.Text = t.Body
	return ""
}

func checkInteractive(in *inInteractive, rec *Message) string {
	if in == nil || in.Body == nil || in.Body.Text == "" || in.Action == nil {
		return "missing:interactive.body.text and interactive.action are required"
	}
	if runes(in.Body.Text) > 1024 {
		return "interactive.body.text is longer than 1024 characters"
	}
	if in.Header != nil && (in.Header.Type != "text" || in.Header.Text == "" || runes(in.Header.Text) > 60) {
		return "interactive.header must be a text header of 1 to 60 characters"
	}
	if in.Footer != nil && (in.Footer.Text == "" || runes(in.Footer.Text) > 60) {
		return "interactive.footer.text must be 1 to 60 characters"
	}
	rec.Text, rec.InteractiveType = in.Body.Text, in.Type
	switch in.Type {
	case "button":
		b := in.Action.Buttons
		if len(b) < 1 || len(b) > 3 {
			return fmt.Sprintf("interactive.action.buttons has %d buttons; 1 to 3 are allowed", len(b))
		}
		seen := map[string]bool{}
		for i, btn := range b {
			if btn.Type != "reply" {
				return fmt.Sprintf("buttons[%d].type must be reply", i)
			}
			if btn.Reply.ID == "" || runes(btn.Reply.ID) > 256 || seen["id:"+btn.Reply.ID] {
				return fmt.Sprintf("buttons[%d].reply.id must be unique and 1 to 256 characters", i)
			}
			if btn.Reply.Title == "" || runes(btn.Reply.Title) > 20 || seen["t:"+btn.Reply.Title] {
				return fmt.Sprintf("buttons[%d].reply.title must be unique and 1 to 20 characters", i)
			}
			seen["id:"+btn.Reply.ID], seen["t:"+btn.Reply.Title] = true, true
			rec.Choices = append(rec.Choices, btn.Reply.ID)
		}
	case "list":
		if in.Action.Button == "" || runes(in.Action.Button) > 20 {
			return "interactive.action.button must be 1 to 20 characters"
		}
		secs := in.Action.Sections
		if len(secs) < 1 || len(secs) > 10 {
			return fmt.Sprintf("interactive.action.sections has %d sections; 1 to 10 are allowed", len(secs))
		}
		rows, seen := 0, map[string]bool{}
		for si, sec := range secs {
			if (len(secs) > 1 && sec.Title == "") || runes(sec.Title) > 24 {
				return fmt.Sprintf("sections[%d].title is required with several sections and at most 24 characters", si)
			}
			if len(sec.Rows) == 0 {
				return fmt.Sprintf("sections[%d].rows is empty", si)
			}
			for ri, row := range sec.Rows {
				rows++
				if row.ID == "" || runes(row.ID) > 200 || seen[row.ID] {
					return fmt.Sprintf("sections[%d].rows[%d].id must be unique and 1 to 200 characters", si, ri)
				}
				if row.Title == "" || runes(row.Title) > 24 {
					return fmt.Sprintf("sections[%d].rows[%d].title must be 1 to 24 characters", si, ri)
				}
				if runes(row.Description) > 72 {
					return fmt.Sprintf("sections[%d].rows[%d].description is longer than 72 characters", si, ri)
				}
				seen[row.ID] = true
				rec.Choices = append(rec.Choices, row.ID)
			}
		}
		if rows > 10 {
			return fmt.Sprintf("list has %d rows; at most 10 are allowed", rows)
		}
	default:
		return fmt.Sprintf("interactive.type %q is not supported by this fake", in.Type)
	}
	return ""
}

// checkTemplate returns "" when valid, a plain string for a schema problem, and a string
// starting with "#" for template errors (132xxx).
func (s *Server) checkTemplate(t *inTemplate, rec *Message) string {
	if t == nil || t.Name == "" || t.Language == nil || t.Language.Code == "" {
		return "missing:template.name and template.language.code are required"
	}
	spec, ok := s.opts.Templates[t.Name]
	langOK := false
	for _, l := range spec.Languages {
		langOK = langOK || l == t.Language.Code
	}
	if !ok || !langOK {
		return fmt.Sprintf("#template name (%s) does not exist in %s", t.Name, t.Language.Code)
	}
	rec.Template, rec.Language = t.Name, t.Language.Code
	for ci, c := range t.Components {
		for pi, p := range c.Parameters {
			switch p.Type {
			case "text":
				if p.Text == "" {
					return fmt.Sprintf("missing:components[%d].parameters[%d].text is required", ci, pi)
				}
				if strings.ContainsAny(p.Text, "\n\t") || strings.Contains(p.Text, "     ") {
					return fmt.Sprintf("#format:components[%d].parameters[%d] contains new lines, tabs or more than 4 consecutive spaces", ci, pi)
				}
			case "payload":
				if p.Payload == "" {
					return fmt.Sprintf("missing:components[%d].parameters[%d].payload is required", ci, pi)
				}
			case "coupon_code":
				if p.CouponCode == "" || len(p.CouponCode) > 15 {
					return fmt.Sprintf("components[%d].parameters[%d].coupon_code must be 1 to 15 characters", ci, pi)
				}
			default:
				return fmt.Sprintf("components[%d].parameters[%d].type %q is not supported by this fake", ci, pi, p.Type)
			}
		}
		switch c.Type {
		case "body":
			for _, p := range c.Parameters {
				rec.BodyParams = append(rec.BodyParams, p.Text)
			}
		case "header":
		case "button":
			if c.Index == "" {
				return fmt.Sprintf("missing:components[%d].index is required for buttons", ci)
			}
			switch c.SubType {
			case "url":
				if c.Index != "0" {
					return fmt.Sprintf("#params:template %s has no URL button at index %s", t.Name, c.Index)
				}
				for _, p := range c.Parameters {
					rec.URLButtonParams = append(rec.URLButtonParams, p.Text)
				}
			case "copy_code":
				for _, p := range c.Parameters {
					rec.CouponCodeParams = append(rec.CouponCodeParams, p.CouponCode)
				}
			case "quick_reply":
			default:
				return fmt.Sprintf("components[%d].sub_type %q is not valid", ci, c.SubType)
			}
		default:
			return fmt.Sprintf("components[%d].type %q is not valid", ci, c.Type)
		}
	}
	if len(rec.BodyParams) != spec.BodyParams {
		return fmt.Sprintf("#params:body: number of localizable_params (%d) does not match the expected number of params (%d)", len(rec.BodyParams), spec.BodyParams)
	}
	if len(rec.URLButtonParams) != spec.URLButtonParams {
		return fmt.Sprintf("#params:buttons: number of url params (%d) does not match the expected number (%d)", len(rec.URLButtonParams), spec.URLButtonParams)
	}
	return ""
}
