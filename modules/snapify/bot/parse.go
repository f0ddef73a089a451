package bot

import (
	"strconv"
	"strings"

	"github.com/alorig/alorig/modules/snapify/rules"
)

// Command names ParseCommand returns.
const (
	CmdNone   = ""
	CmdHelp   = "help"
	CmdHello  = "hello"
	CmdLink   = "link"
	CmdOrders = "orders"
	CmdOrder  = "order" // one order: show it, or change its status
	CmdPrice  = "price"
	CmdStock  = "stock"
	CmdUsage  = "usage" // a command with missing or bad arguments; Usage says how
)

// Command is a seller's typed (or spoken) command.
type Command struct {
	Name    string
	Product string // price, stock: the product's name or address as typed
	Amount  int64  // price: paisa
	Count   int    // stock: -1 stops counting
	Order   string // order: its number, e.g. SN-1001
	Status  string // order: the status to move it to, or "" to show it
	Usage   string
}

var (
	helpWords  = words("help", "madad", "مدد", "menu", "?", "commands", "help me", "madad karo")
	helloWords = words("hi", "hii", "hello", "hey", "salam", "salaam", "aoa", "assalam o alaikum", "assalamualaikum",
		"assalam-o-alaikum", "asalam o alaikum", "asalamualaikum", "السلام علیکم", "سلام", "start", "hi snapify", "hello snapify")
	linkWords   = words("link", "store link", "my link", "shop link", "my store", "لنک", "لنک بھیجو", "dukaan", "dukan")
	ordersWords = words("orders", "order", "my orders", "order list", "آرڈر", "آرڈرز")
	priceWords  = words("price", "qeemat", "keemat", "qimat", "kimat", "قیمت", "rate")
	stockWords  = words("stock", "سٹاک", "اسٹاک", "maal", "inventory")
)

func words(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// keyword is a whole message reduced for matching: lower case, single spaces, no end
// punctuation.
func keyword(s string) string {
	return strings.Trim(strings.ToLower(oneLine(s)), " .!,؟۔")
}

func isHelp(k string) bool     { return helpWords[k] }
func isGreeting(k string) bool { return helloWords[k] }

// ParseCommand reads a seller command. The words are English or roman Urdu ("madad",
// "qeemat"), some in Urdu script; numbers may be in Urdu digits.
func ParseCommand(text string) Command {
	k := keyword(text)
	switch {
	case k == "":
		return Command{}
	case helpWords[k]:
		return Command{Name: CmdHelp}
	case helloWords[k]:
		return Command{Name: CmdHello}
	case linkWords[k]:
		return Command{Name: CmdLink}
	case ordersWords[k]:
		return Command{Name: CmdOrders}
	}
	toks := strings.Fields(k)
	first := toks[0]
	switch {
	case priceWords[first]:
		usage := Command{Name: CmdUsage, Usage: "Send *price*, the product and its new price, e.g. *price lawn suit 2800*."}
		if len(toks) < 3 {
			return usage
		}
		product, paisa, ok := splitAmount(toks[1:])
		if !ok || product == "" {
			return usage
		}
		return Command{Name: CmdPrice, Product: product, Amount: paisa}
	case stockWords[first]:
		usage := Command{Name: CmdUsage, Usage: "Send *stock*, the product and how many you have, e.g. *stock lawn suit 5* (0 is sold out, *off* stops counting)."}
		if len(toks) < 3 {
			return usage
		}
		n, ok := stockCount(toks[len(toks)-1])
		if !ok {
			return usage
		}
		return Command{Name: CmdStock, Product: strings.Join(toks[1:len(toks)-1], " "), Count: n}
	case ordersWords[first] && len(toks) >= 2:
		return orderCommand(toks[1:])
	case isOrderNumber(first):
		return orderCommand(toks)
	}
	return Command{}
}

func orderCommand(toks []string) Command {
	usage := Command{Name: CmdUsage, Usage: "Send *order*, its number and the new status, e.g. *order SN-1001 shipped* " +
		"(confirmed, shipped, delivered, cancelled or returned), or *orders* to see them."}
	if !isOrderNumber(toks[0]) {
		return usage
	}
	c := Command{Name: CmdOrder, Order: strings.ToUpper(toks[0])}
	if len(toks) > 1 {
		c.Status = statusWord(strings.Join(toks[1:], " "))
		if c.Status == "" {
			return usage
		}
	}
	return c
}

func isOrderNumber(t string) bool {
	rest, ok := strings.CutPrefix(strings.ToLower(t), "sn-")
	if !ok || rest == "" || len(rest) > 12 {
		return false
	}
	_, err := strconv.Atoi(rest)
	return err == nil
}

// statusWord maps what a seller says to an order status.
func statusWord(w string) string {
	switch strings.TrimSpace(w) {
	case "confirm", "confirmed", "pakka", "accept", "accepted", "ok", "کنفرم":
		return "confirmed"
	case "ship", "shipped", "dispatch", "dispatched", "sent", "bhej", "bhej diya", "bhejdia", "bhej dia", "روانہ":
		return "shipped"
	case "deliver", "delivered", "done", "pohanch gaya", "ڈیلیور":
		return "delivered"
	case "cancel", "cancelled", "canceled", "reject", "rejected", "کینسل":
		return "cancelled"
	case "return", "returned", "wapas", "واپس":
		return "returned"
	}
	return ""
}

func stockCount(t string) (int, bool) {
	switch t {
	case "off", "band", "unlimited", "-1":
		return -1, true
	}
	t = strings.Map(func(r rune) rune {
		switch {
		case r >= '۰' && r <= '۹':
			return '0' + (r - '۰')
		case r >= '٠' && r <= '٩':
			return '0' + (r - '٠')
		}
		return r
	}, t)
	n, err := strconv.Atoi(t)
	if err != nil || n < 0 || n > 1_000_000 {
		return 0, false
	}
	return n, true
}

// ParseCaption reads a product photo's caption: the last amount is the price and the words
// before it the name — "Lawn suit 2500", "Lawn suit - Rs 2,500", "لان سوٹ ۲۵۰۰ روپے". ok is
// false when there is no price; title may still be set.
func ParseCaption(caption string) (title string, paisa int64, ok bool) {
	toks := strings.Fields(caption)
	if len(toks) == 0 {
		return "", 0, false
	}
	if name, p, found := splitAmount(toks); found {
		return name, p, true
	}
	return cleanTitle(strings.Join(toks, " ")), 0, false
}

// splitAmount takes the amount off the end of toks (a number, with a currency word before or
// after it) and returns the rest as a name.
func splitAmount(toks []string) (string, int64, bool) {
	n := len(toks)
	if n >= 2 && isCurrency(toks[n-2]) { // "Rs 2500", "PKR 2,500"
		if p, ok := amount(toks[n-1]); ok {
			return cleanTitle(strings.Join(toks[:n-2], " ")), p, true
		}
	}
	if n >= 2 && isCurrencySuffix(toks[n-1]) { // "2500 rs", "2500 روپے", "2500 /-"
		if p, ok := amount(toks[n-2]); ok {
			return cleanTitle(strings.Join(toks[:n-2], " ")), p, true
		}
	}
	if p, ok := amount(toks[n-1]); ok {
		return cleanTitle(strings.Join(toks[:n-1], " ")), p, true
	}
	return "", 0, false
}

// amount reads one token as a price: "2500", "2,500", "Rs.2500", "2500rs", "2500/-", "۲۵۰۰".
func amount(t string) (int64, bool) {
	l := strings.ToLower(t)
	for _, suf := range []string{"/-", "rs.", "rs", "pkr"} {
		if strings.HasSuffix(l, suf) && len(l) > len(suf) {
			t = t[:len(t)-len(suf)]
			break
		}
	}
	p, err := rules.ParsePKR(t)
	return p, err == nil
}

func isCurrency(t string) bool {
	switch strings.ToLower(strings.TrimSuffix(t, ":")) {
	case "rs", "rs.", "pkr", "₨":
		return true
	}
	return false
}

func isCurrencySuffix(t string) bool {
	switch strings.ToLower(t) {
	case "rs", "rs.", "pkr", "/-", "روپے", "rupay", "rupees", "rupaye":
		return true
	}
	return false
}

// cleanTitle drops separators and price words left at the end of a name ("Lawn suit -",
// "Lawn suit price").
func cleanTitle(s string) string {
	for {
		t := strings.TrimRight(strings.TrimSpace(s), " -–—:,|@=")
		l := strings.ToLower(t)
		cut := false
		for _, w := range []string{"price", "qeemat", "keemat", "قیمت", "for", "only"} {
			if strings.HasSuffix(l, " "+w) || l == w {
				t = strings.TrimSpace(t[:len(t)-len(w)])
				cut = true
				break
			}
		}
		if !cut {
			return t
		}
		s = t
	}
}
