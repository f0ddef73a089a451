// Package payments speaks the two Pakistani gateways Snapify's Pro plan is paid through, in
// their documented wire formats: JazzCash's Page Redirection (hosted checkout, version 1.1,
// the pp_ fields signed with HMAC-SHA256 over the sorted values and the integrity salt) and
// EasyPaisa's Easypay hosted checkout (the Index.jsf form with merchantHashedReq, the
// auth_token confirmation through Confirm.jsf, and the transaction inquiry that proves a
// payment). It builds the forms the seller's browser posts to a gateway and turns what comes
// back into a Callback only when it is genuine; it knows nothing of stores or plans.
//
// The paymentstest package holds fake gateways that sign callbacks as the real ones do (and
// can tamper with them), for tests and the demo.
package payments

import (
	"crypto/hmac"
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Errors every verifier returns (wrapped with detail), so callers branch with errors.Is.
var (
	// ErrBadSignature: the callback's hash does not match its fields under our secret.
	ErrBadSignature = errors.New("payments: the callback's signature does not match its fields")
	// ErrWrongMerchant: a genuine-looking callback for another merchant account or store.
	ErrWrongMerchant = errors.New("payments: the callback names another merchant")
	// ErrMalformed: a field is missing or unreadable.
	ErrMalformed = errors.New("payments: the callback is malformed")
	// ErrNotPaid: the gateway does not confirm the payment the callback claims.
	ErrNotPaid = errors.New("payments: the gateway does not confirm this payment")
)

// NotConfiguredError names the settings a gateway needs before it can take payments.
type NotConfiguredError struct {
	Gateway string
	Missing []string // env var names
}

func (e *NotConfiguredError) Error() string {
	return fmt.Sprintf("%s payments are not configured: set %s", e.Gateway, strings.Join(e.Missing, ", "))
}

// Form is what the seller's browser posts to the gateway: an HTML form with hidden fields,
// submitted to Action. The seller app builds and submits it.
type Form struct {
	Method string            `json:"method" enum:"POST"`
	Action string            `json:"action" doc:"the gateway's page the form is posted to"`
	Fields map[string]string `json:"fields" doc:"hidden inputs, name to value, posted as application/x-www-form-urlencoded"`
}

// Checkout is one payment to collect.
type Checkout struct {
	Ref         string // our reference: JazzCash pp_TxnRefNo, EasyPaisa orderRefNum (at most 20 letters and digits)
	AmountPaisa int64
	Bill        string // JazzCash pp_BillReference (letters and digits)
	Description string
	At          time.Time // when the checkout starts
	Expires     time.Time // the gateway refuses to take the payment after this
	Email       string    // the payer's, when known (EasyPaisa emailAddr)
	Mobile      string    // the payer's, when known (EasyPaisa mobileNum, 03xxxxxxxxx)
}

func (c *Checkout) check() error {
	if err := CheckRef(c.Ref); err != nil {
		return err
	}
	if c.AmountPaisa <= 0 {
		return fmt.Errorf("%w: the amount must be positive", ErrMalformed)
	}
	if !c.Expires.After(c.At) {
		return fmt.Errorf("%w: the checkout must expire after it starts", ErrMalformed)
	}
	return nil
}

// Callback is a payment result that passed its gateway's verification: the signature (or the
// gateway's own confirmation) holds and it is addressed to our merchant account. Whether it
// matches the payment we asked for (reference, amount) is the caller's check, against its
// stored pending payment.
type Callback struct {
	Gateway     string
	Ref         string
	AmountPaisa int64
	Paid        bool   // the gateway reports success
	Code        string // the gateway's response code ("000", "0000", "124", …)
	Message     string
	GatewayTxn  string            // the gateway's own transaction id, when it sends one
	Fields      map[string]string // what was verified, secrets excluded
}

// Pakistan is the gateways' time zone: both read and write Pakistan Standard Time (UTC+5,
// no daylight saving).
var Pakistan = time.FixedZone("PKT", 5*60*60)

// NewRef makes a payment reference: 20 characters, letters and digits only (the limit both
// gateways share), starting with the time so references sort, ending with random digits so
// two checkouts in one second differ.
func NewRef(at time.Time) string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	n := (int(b[0])<<16 | int(b[1])<<8 | int(b[2])) % 100000
	return fmt.Sprintf("SP%s%05d", at.In(Pakistan).Format("060102150405"), n) // 2+12+5 = 19
}

// CheckRef refuses references the gateways would not take back unchanged.
func CheckRef(ref string) error {
	if ref == "" || len(ref) > 20 {
		return fmt.Errorf("%w: a reference is 1 to 20 characters", ErrMalformed)
	}
	for _, r := range ref {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return fmt.Errorf("%w: a reference is letters and digits only", ErrMalformed)
		}
	}
	return nil
}

// equal compares two secrets-derived strings in constant time.
func equal(a, b string) bool { return hmac.Equal([]byte(a), []byte(b)) }

// Rupees writes paisa as the decimal rupee amount EasyPaisa takes: "2500.0", "12.5", "12.05".
func Rupees(paisa int64) string {
	r, p := paisa/100, paisa%100
	if p%10 == 0 {
		return fmt.Sprintf("%d.%d", r, p/10)
	}
	return fmt.Sprintf("%d.%02d", r, p)
}

// ParseRupees reads a decimal rupee amount ("2500", "2500.0", "12.05") as paisa, exactly.
func ParseRupees(s string) (int64, error) {
	s = strings.TrimSpace(s)
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 {
		return 0, fmt.Errorf("%w: amount %q", ErrMalformed, s)
	}
	r, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || r < 0 || r > 1e12 {
		return 0, fmt.Errorf("%w: amount %q", ErrMalformed, s)
	}
	var p int64
	if frac != "" {
		for len(frac) < 2 {
			frac += "0"
		}
		if p, err = strconv.ParseInt(frac, 10, 64); err != nil || p < 0 {
			return 0, fmt.Errorf("%w: amount %q", ErrMalformed, s)
		}
	}
	return r*100 + p, nil
}
