package discipline

import (
	"strconv"
	"time"
)

// msg builds a refusal reason by appending, because fmt.Sprintf would be most of the cost of
// a refused Check (its budget is 5 µs). Every helper returns the grown slice.
type msg []byte

func newMsg() msg { return make(msg, 0, 192) }

func (m msg) s(v string) msg { return append(m, v...) }
func (m msg) i(v int64) msg  { return strconv.AppendInt(m, v, 10) }

// fixed writes v × 10^-decimals with exactly `decimals` digits after the point.
func (m msg) fixed(v int64, decimals int) msg {
	if v < 0 {
		m = append(m, '-')
		v = -v
	}
	if decimals <= 0 {
		return strconv.AppendInt(m, v, 10)
	}
	p := int64(pow10[decimals])
	m = strconv.AppendInt(m, v/p, 10)
	m = append(m, '.')
	frac := v % p
	for d := p / 10; d > 1 && frac < d; d /= 10 {
		m = append(m, '0')
	}
	return strconv.AppendInt(m, frac, 10)
}

func (m msg) minor(v int64, currency string) msg {
	return m.fixed(v, currencyExponent[currency]).s(" ").s(currency)
}

func (m msg) price(points int64, digits int) msg { return m.fixed(points, digits) }
func (m msg) bp(v int64) msg                     { return m.fixed(v, 2).s("%") }
func (m msg) lots(h int64) msg                   { return m.fixed(h, 2) }

// r writes thousandths of R with an explicit sign: "−1.250R", "+3.000R".
func (m msg) r(mr int64) msg {
	if mr < 0 {
		return m.s("−").fixed(-mr, 3).s("R")
	}
	return m.s("+").fixed(mr, 3).s("R")
}

// utc writes "2006-01-02 15:04 UTC" by hand; time.AppendFormat parses its layout every call.
func (m msg) utc(t time.Time) msg {
	t = t.UTC()
	y, mo, d := t.Date()
	m = m.pad(int64(y), 4).s("-").pad(int64(mo), 2).s("-").pad(int64(d), 2).s(" ")
	return m.pad(int64(t.Hour()), 2).s(":").pad(int64(t.Minute()), 2).s(" UTC")
}

func (m msg) pad(v int64, width int) msg {
	for p := int64(pow10[width-1]); p > 1 && v < p; p /= 10 {
		m = append(m, '0')
	}
	return strconv.AppendInt(m, v, 10)
}

func (m msg) dur(d time.Duration) msg { return append(m, d.Round(time.Second).String()...) }

func (m msg) hhmm(minutes int) msg {
	h, mm := minutes/60, minutes%60
	if h < 10 {
		m = append(m, '0')
	}
	m = strconv.AppendInt(m, int64(h), 10)
	m = append(m, ':')
	if mm < 10 {
		m = append(m, '0')
	}
	return strconv.AppendInt(m, int64(mm), 10)
}

func (m msg) window(h SessionHours) msg {
	if !h.Enabled {
		return m.s("(closed)")
	}
	return m.hhmm(h.Open).s("–").hhmm(h.Close)
}

func (m msg) String() string { return string(m) }

// FormatLots renders hundredths of a lot as "1.50".
func FormatLots(h int64) string { return msg(nil).lots(h).String() }

// FormatMinor renders minor units of a currency as "1234.56 USD".
func FormatMinor(v int64, currency string) string { return msg(nil).minor(v, currency).String() }

// FormatBasisPoints renders hundredths of a percent as "0.85%".
func FormatBasisPoints(bp int64) string { return msg(nil).bp(bp).String() }

// FormatPrice renders points as a price with the symbol's digits.
func FormatPrice(points int64, digits int) string { return msg(nil).price(points, digits).String() }

func hhmm(m int) string { return msg(nil).hhmm(m).String() }

func windowText(h SessionHours) string { return msg(nil).window(h).String() }
