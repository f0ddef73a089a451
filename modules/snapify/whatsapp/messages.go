package whatsapp

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits Meta enforces on message content. The client checks them before sending so a bad
// message fails fast with the field named, rather than as an opaque Graph error 131009.
const (
	MaxTextBody          = 4096
	MaxInteractiveBody   = 1024
	MaxHeaderText        = 60
	MaxFooterText        = 60
	MaxReplyButtons      = 3
	MaxButtonTitle       = 20
	MaxButtonID          = 256
	MaxListButtonText    = 20
	MaxListSections      = 10
	MaxListRows          = 10
	MaxListRowTitle      = 24
	MaxListRowID         = 200
	MaxListRowDesc       = 72
	MaxListSectionTitle  = 24
	MaxTemplateParameter = 1024
)

// ReplyButton is one quick-reply button of an interactive message.
type ReplyButton struct {
	ID    string
	Title string
}

// ReplyButtons is an interactive message with up to three reply buttons.
type ReplyButtons struct {
	Header string // optional text header
	Body   string
	Footer string // optional
	Button []ReplyButton
}

// ListRow is one selectable row of an interactive list.
type ListRow struct {
	ID          string
	Title       string
	Description string
}

// ListSection groups rows; a title is required when there is more than one section.
type ListSection struct {
	Title string
	Rows  []ListRow
}

// List is an interactive list message: a button that opens up to ten rows in sections.
type List struct {
	Header     string
	Body       string
	Footer     string
	ButtonText string
	Sections   []ListSection
}

// Template is an approved message template, the only kind allowed outside the 24-hour window.
type Template struct {
	Name       string
	Language   string // e.g. "en", "en_US", "ur"
	Components []Component
}

// Component fills one part of a template. Type is "header", "body" or "button"; buttons also
// carry SubType ("url", "quick_reply", "copy_code") and their zero-based Index.
type Component struct {
	Type       string
	SubType    string
	Index      int
	Parameters []Parameter
}

// Parameter is one value substituted into a template. Only text parameters are needed so far;
// quick-reply buttons use Payload instead.
type Parameter struct {
	Text    string
	Payload string
}

// Wire shapes of the Cloud API send-message payload.
type (
	wireMessage struct {
		MessagingProduct string           `json:"messaging_product"`
		RecipientType    string           `json:"recipient_type"`
		To               string           `json:"to"`
		Type             string           `json:"type"`
		Text             *wireText        `json:"text,omitempty"`
		Interactive      *wireInteractive `json:"interactive,omitempty"`
		Template         *wireTemplate    `json:"template,omitempty"`
	}
	wireText struct {
		PreviewURL bool   `json:"preview_url"`
		Body       string `json:"body"`
	}
	wireInteractive struct {
		Type   string      `json:"type"`
		Header *wireHeader `json:"header,omitempty"`
		Body   wireBody    `json:"body"`
		Footer *wireBody   `json:"footer,omitempty"`
		Action wireAction  `json:"action"`
	}
	wireHeader struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	wireBody struct {
		Text string `json:"text"`
	}
	wireAction struct {
		Buttons  []wireButton  `json:"buttons,omitempty"`
		Button   string        `json:"button,omitempty"`
		Sections []wireSection `json:"sections,omitempty"`
	}
	wireButton struct {
		Type  string    `json:"type"`
		Reply wireReply `json:"reply"`
	}
	wireReply struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	wireSection struct {
		Title string    `json:"title,omitempty"`
		Rows  []wireRow `json:"rows"`
	}
	wireRow struct {
		ID          string `json:"id"`
		Title       string `json:"title"`
		Description string `json:"description,omitempty"`
	}
	wireTemplate struct {
		Name       string          `json:"name"`
		Language   wireLanguage    `json:"language"`
		Components []wireComponent `json:"components,omitempty"`
	}
	wireLanguage struct {
		Code string `json:"code"`
	}
	wireComponent struct {
		Type       string          `json:"type"`
		SubType    string          `json:"sub_type,omitempty"`
		Index      string          `json:"index,omitempty"`
		Parameters []wireParameter `json:"parameters"`
	}
	wireParameter struct {
		Type       string `json:"type"`
		Text       string `json:"text,omitempty"`
		Payload    string `json:"payload,omitempty"`
		CouponCode string `json:"coupon_code,omitempty"`
	}
)

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidMessage, fmt.Sprintf(format, args...))
}

// NormalizeRecipient turns "+923001234567" or "923001234567" into the digits-only form the
// Cloud API documents for "to". Local formats (03xx…) are refused: the caller normalises phone
// numbers to E.164 first (modules/snapify/rules.ParsePhone).
func NormalizeRecipient(to string) (string, error) {
	d := strings.TrimPrefix(strings.TrimSpace(to), "+")
	if len(d) < 8 || len(d) > 15 {
		return "", invalid("recipient %q: want an E.164 number of 8 to 15 digits", to)
	}
	for _, r := range d {
		if r < '0' || r > '9' {
			return "", invalid("recipient %q: want digits only, in international format", to)
		}
	}
	if d[0] == '0' {
		return "", invalid("recipient %q: want international format with country code, not a local number", to)
	}
	return d, nil
}

func checkLen(field, s string, limit int, required bool) error {
	n := utf8.RuneCountInString(s)
	if required && strings.TrimSpace(s) == "" {
		return invalid("%s is required", field)
	}
	if n > limit {
		return invalid("%s is %d characters; the limit is %d", field, n, limit)
	}
	return nil
}

func (c *Client) envelope(to, typ string) (wireMessage, error) {
	d, err := NormalizeRecipient(to)
	if err != nil {
		return wireMessage{}, err
	}
	return wireMessage{MessagingProduct: "whatsapp", RecipientType: "individual", To: d, Type: typ}, nil
}

// SendText sends a plain text message, allowed only inside the 24-hour window. It returns the
// message id (wamid) Meta assigned.
func (c *Client) SendText(ctx context.Context, to, body string, previewURL bool) (string, error) {
	if !c.configured {
		return "", ErrNotConfigured
	}
	if err := checkLen("text body", body, MaxTextBody, true); err != nil {
		return "", err
	}
	m, err := c.envelope(to, "text")
	if err != nil {
		return "", err
	}
	m.Text = &wireText{PreviewURL: previewURL, Body: body}
	return c.post(ctx, m)
}

func headerFooter(header, footer string) (*wireHeader, *wireBody, error) {
	var h *wireHeader
	var f *wireBody
	if header != "" {
		if err := checkLen("header", header, MaxHeaderText, false); err != nil {
			return nil, nil, err
		}
		h = &wireHeader{Type: "text", Text: header}
	}
	if footer != "" {
		if err := checkLen("footer", footer, MaxFooterText, false); err != nil {
			return nil, nil, err
		}
		f = &wireBody{Text: footer}
	}
	return h, f, nil
}

// SendButtons sends an interactive message with one to three reply buttons.
func (c *Client) SendButtons(ctx context.Context, to string, msg ReplyButtons) (string, error) {
	if !c.configured {
		return "", ErrNotConfigured
	}
	if err := checkLen("body", msg.Body, MaxInteractiveBody, true); err != nil {
		return "", err
	}
	if len(msg.Button) == 0 || len(msg.Button) > MaxReplyButtons {
		return "", invalid("%d reply buttons; want 1 to %d", len(msg.Button), MaxReplyButtons)
	}
	h, f, err := headerFooter(msg.Header, msg.Footer)
	if err != nil {
		return "", err
	}
	ids := map[string]bool{}
	titles := map[string]bool{}
	buttons := make([]wireButton, 0, len(msg.Button))
	for i, b := range msg.Button {
		if err := checkLen(fmt.Sprintf("button %d id", i+1), b.ID, MaxButtonID, true); err != nil {
			return "", err
		}
		if err := checkLen(fmt.Sprintf("button %d title", i+1), b.Title, MaxButtonTitle, true); err != nil {
			return "", err
		}
		if ids[b.ID] || titles[b.Title] {
			return "", invalid("button %d repeats an id or title; both must be unique", i+1)
		}
		ids[b.ID], titles[b.Title] = true, true
		buttons = append(buttons, wireButton{Type: "reply", Reply: wireReply{ID: b.ID, Title: b.Title}})
	}
	m, err := c.envelope(to, "interactive")
	if err != nil {
		return "", err
	}
	m.Interactive = &wireInteractive{Type: "button", Header: h, Body: wireBody{Text: msg.Body}, Footer: f, Action: wireAction{Buttons: buttons}}
	return c.post(ctx, m)
}

// SendList sends an interactive list message with at most ten rows across all sections.
func (c *Client) SendList(ctx context.Context, to string, msg List) (string, error) {
	if !c.configured {
		return "", ErrNotConfigured
	}
	if err := checkLen("body", msg.Body, MaxInteractiveBody, true); err != nil {
		return "", err
	}
	if err := checkLen("list button text", msg.ButtonText, MaxListButtonText, true); err != nil {
		return "", err
	}
	if len(msg.Sections) == 0 || len(msg.Sections) > MaxListSections {
		return "", invalid("%d list sections; want 1 to %d", len(msg.Sections), MaxListSections)
	}
	h, f, err := headerFooter(msg.Header, msg.Footer)
	if err != nil {
		return "", err
	}
	rows, ids := 0, map[string]bool{}
	sections := make([]wireSection, 0, len(msg.Sections))
	for si, s := range msg.Sections {
		if err := checkLen(fmt.Sprintf("section %d title", si+1), s.Title, MaxListSectionTitle, len(msg.Sections) > 1); err != nil {
			return "", err
		}
		if len(s.Rows) == 0 {
			return "", invalid("section %d has no rows", si+1)
		}
		ws := wireSection{Title: s.Title}
		for ri, r := range s.Rows {
			rows++
			where := fmt.Sprintf("section %d row %d", si+1, ri+1)
			if err := checkLen(where+" id", r.ID, MaxListRowID, true); err != nil {
				return "", err
			}
			if err := checkLen(where+" title", r.Title, MaxListRowTitle, true); err != nil {
				return "", err
			}
			if err := checkLen(where+" description", r.Description, MaxListRowDesc, false); err != nil {
				return "", err
			}
			if ids[r.ID] {
				return "", invalid("%s repeats id %q; row ids must be unique", where, r.ID)
			}
			ids[r.ID] = true
			ws.Rows = append(ws.Rows, wireRow(r))
		}
		sections = append(sections, ws)
	}
	if rows > MaxListRows {
		return "", invalid("%d list rows; the limit is %d across all sections", rows, MaxListRows)
	}
	m, err := c.envelope(to, "interactive")
	if err != nil {
		return "", err
	}
	m.Interactive = &wireInteractive{Type: "list", Header: h, Body: wireBody{Text: msg.Body}, Footer: f,
		Action: wireAction{Button: msg.ButtonText, Sections: sections}}
	return c.post(ctx, m)
}

// SendTemplate sends an approved template; this works outside the 24-hour window.
func (c *Client) SendTemplate(ctx context.Context, to string, t Template) (string, error) {
	if !c.configured {
		return "", ErrNotConfigured
	}
	if strings.TrimSpace(t.Name) == "" {
		return "", invalid("template name is required")
	}
	if strings.TrimSpace(t.Language) == "" {
		return "", invalid("template %s: language code is required", t.Name)
	}
	wt := &wireTemplate{Name: t.Name, Language: wireLanguage{Code: t.Language}}
	for ci, comp := range t.Components {
		wc := wireComponent{Type: comp.Type}
		switch comp.Type {
		case "header", "body":
		case "button":
			switch comp.SubType {
			case "url", "quick_reply", "copy_code":
			default:
				return "", invalid("template %s component %d: button sub_type %q; want url, quick_reply or copy_code", t.Name, ci+1, comp.SubType)
			}
			if comp.Index < 0 || comp.Index > 9 {
				return "", invalid("template %s component %d: button index %d; want 0 to 9", t.Name, ci+1, comp.Index)
			}
			wc.SubType = comp.SubType
			wc.Index = strconv.Itoa(comp.Index)
		default:
			return "", invalid("template %s component %d: type %q; want header, body or button", t.Name, ci+1, comp.Type)
		}
		if len(comp.Parameters) == 0 {
			return "", invalid("template %s component %d (%s) has no parameters", t.Name, ci+1, comp.Type)
		}
		for pi, p := range comp.Parameters {
			where := fmt.Sprintf("template %s component %d parameter %d", t.Name, ci+1, pi+1)
			switch {
			case comp.SubType == "quick_reply":
				if err := checkLen(where+" payload", p.Payload, MaxButtonID, true); err != nil {
					return "", err
				}
				wc.Parameters = append(wc.Parameters, wireParameter{Type: "payload", Payload: p.Payload})
			case comp.SubType == "copy_code":
				if err := checkLen(where+" coupon code", p.Text, 15, true); err != nil {
					return "", err
				}
				wc.Parameters = append(wc.Parameters, wireParameter{Type: "coupon_code", CouponCode: p.Text})
			default:
				if err := checkLen(where, p.Text, MaxTemplateParameter, true); err != nil {
					return "", err
				}
				if strings.ContainsAny(p.Text, "\n\t") || strings.Contains(p.Text, "     ") {
					// Meta rejects template parameters with new lines, tabs or more than four
					// consecutive spaces (error 132018); say so before the round trip.
					return "", invalid("%s: new lines, tabs and runs of spaces are not allowed in template parameters", where)
				}
				wc.Parameters = append(wc.Parameters, wireParameter{Type: "text", Text: p.Text})
			}
		}
		wt.Components = append(wt.Components, wc)
	}
	m, err := c.envelope(to, "template")
	if err != nil {
		return "", err
	}
	m.Template = wt
	return c.post(ctx, m)
}
