package rules

import (
	"fmt"
	"strings"

	"github.com/alorig/alorig/shared/money"
	"github.com/alorig/alorig/shared/wame"
)

// WhatsAppLink is a click-to-chat link (https://wa.me/923001234567?text=…) that opens WhatsApp
// with text already typed (shared/wame holds the format).
func WhatsAppLink(to Phone, text string) string { return wame.Link(to.Digits(), text) }

// OrderLine is one item of a buyer's order.
type OrderLine struct {
	Title      string
	Quantity   int
	PricePaisa int64 // unit price
}

// OrderDraft is what the buyer's "Order on WhatsApp" button sends to the seller.
type OrderDraft struct {
	StoreName string
	OrderRef  string // optional, when the order was saved first
	Lines     []OrderLine
	Delivery  int64 // delivery charge in paisa, 0 for none or unknown
	BuyerNote string
}

// maxLinkLines keeps the link well under the ~2,000 characters that some Android browsers
// and WhatsApp itself truncate prefilled text at.
const maxLinkLines = 10

// OrderMessage is the prefilled text for an order: greeting, one line per item with its line
// total, delivery, total and reference. Totals are computed here from paisa, never parsed back
// from text.
func OrderMessage(o OrderDraft) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Assalam o Alaikum! I would like to order from %s:\n", oneLine(o.StoreName))
	var total int64
	for i, l := range o.Lines {
		q := max(l.Quantity, 1)
		line := l.PricePaisa * int64(q)
		total += line
		if i < maxLinkLines {
			fmt.Fprintf(&b, "• %d × %s — %s\n", q, oneLine(l.Title), money.FormatPKR(line))
		}
	}
	if extra := len(o.Lines) - maxLinkLines; extra > 0 {
		fmt.Fprintf(&b, "• and %d more item(s)\n", extra)
	}
	if o.Delivery > 0 {
		fmt.Fprintf(&b, "Delivery: %s\n", money.FormatPKR(o.Delivery))
		total += o.Delivery
	}
	fmt.Fprintf(&b, "Total: %s", money.FormatPKR(total))
	if o.OrderRef != "" {
		fmt.Fprintf(&b, "\nOrder ref: %s", oneLine(o.OrderRef))
	}
	if note := strings.TrimSpace(o.BuyerNote); note != "" {
		fmt.Fprintf(&b, "\nNote: %s", oneLine(note))
	}
	return b.String()
}

// OrderLink is WhatsAppLink with OrderMessage.
func OrderLink(seller Phone, o OrderDraft) string {
	return WhatsAppLink(seller, OrderMessage(o))
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
