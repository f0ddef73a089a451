package whatsapp

import (
	"context"
	"fmt"
	"strings"
)

// Template names Snapify registers in WhatsApp Manager. Their bodies and parameters are
// documented in docs/snapify-integrations.md; a change here needs a re-approved template.
const (
	TemplateLoginCode = "snapify_login_code"
	TemplateNewOrder  = "snapify_new_order"
)

// SendLoginCode sends a seller's sign-in code with the authentication template. Meta's
// authentication templates take the code twice: as the body parameter and as the parameter of
// the copy-code button (a "url" button at index 0).
func (c *Client) SendLoginCode(ctx context.Context, to, code, language string) (string, error) {
	if !c.configured {
		return "", ErrNotConfigured
	}
	if code == "" || len(code) > 15 {
		return "", invalid("login code must be 1 to 15 characters")
	}
	for _, r := range code {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return "", invalid("login code must be letters and digits only")
		}
	}
	if language == "" {
		language = "en"
	}
	return c.SendTemplate(ctx, to, Template{
		Name:     TemplateLoginCode,
		Language: language,
		Components: []Component{
			{Type: "body", Parameters: []Parameter{{Text: code}}},
			{Type: "button", SubType: "url", Index: 0, Parameters: []Parameter{{Text: code}}},
		},
	})
}

// OrderNotice is what a seller is told about a new order. Total is already formatted
// (money.FormatPKR) because the template has no currency logic of its own.
type OrderNotice struct {
	OrderRef  string // short public reference, e.g. "SN-4821"; also the dashboard link suffix
	BuyerName string
	Total     string // e.g. "Rs 1,250"
	Items     string // e.g. "2 × Lawn suit, 1 × Dupatta"
	OrderURL  string // full dashboard link, used in the plain-text form
}

// NotifyNewOrder tells a seller about a new order. Inside the 24-hour window (the seller wrote
// to the business number recently) a free-form text is sent; outside it only the approved
// template may be. The caller knows which from its session records and says so.
func (c *Client) NotifyNewOrder(ctx context.Context, to string, n OrderNotice, insideWindow bool) (string, error) {
	if !c.configured {
		return "", ErrNotConfigured
	}
	if n.OrderRef == "" || n.Total == "" {
		return "", invalid("order notice needs an order reference and a total")
	}
	buyer := oneLine(n.BuyerName)
	if buyer == "" {
		buyer = "a buyer"
	}
	items := oneLine(n.Items)
	if items == "" {
		items = "see order"
	}
	if insideWindow {
		var b strings.Builder
		fmt.Fprintf(&b, "New order %s from %s: %s\nItems: %s", n.OrderRef, buyer, n.Total, items)
		if n.OrderURL != "" {
			fmt.Fprintf(&b, "\nOpen: %s", n.OrderURL)
		}
		return c.SendText(ctx, to, b.String(), false)
	}
	return c.SendTemplate(ctx, to, Template{
		Name:     TemplateNewOrder,
		Language: "en",
		Components: []Component{
			{Type: "body", Parameters: []Parameter{{Text: oneLine(n.OrderRef)}, {Text: buyer}, {Text: oneLine(n.Total)}, {Text: truncateRunes(items, 200)}}},
			{Type: "button", SubType: "url", Index: 0, Parameters: []Parameter{{Text: oneLine(n.OrderRef)}}},
		},
	})
}

// oneLine collapses new lines, tabs and runs of spaces, which template parameters may not hold.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
