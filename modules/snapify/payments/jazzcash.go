package payments

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// JazzCash Page Redirection (hosted checkout), version 1.1. The merchant's page posts the pp_
// fields to the gateway's merchantform; the customer pays there; the gateway posts the result
// (pp_ fields again, form-encoded) back to pp_ReturnURL.
//
// pp_SecureHash, in both directions, is HMAC-SHA256 keyed with the integrity salt over the
// salt followed by the values of every non-empty field whose name starts with "pp" (pp_… and
// ppmpf_…), pp_SecureHash itself excepted, in ascending order of field name, each value
// preceded by "&"; written as upper-case hex. pp_ResponseCode "000" is a successful payment.
// docs/snapify.md ("Pro payments") lists the sources this follows.

// JazzCash defaults: the sandbox merchant form and the request's fixed values.
const (
	JazzCashSandboxURL = "https://sandbox.jazzcash.com.pk/CustomerPortal/transactionmanagement/merchantform/"
	JazzCashVersion    = "1.1"
	JazzCashTxnType    = "MWALLET" // the JazzCash mobile account, what sellers hold
	JazzCashPaid       = "000"
)

// JazzCashConfig is a JazzCash merchant account.
type JazzCashConfig struct {
	MerchantID    string
	Password      string
	IntegritySalt string
	PostURL       string // the merchantform; JazzCashSandboxURL when empty
	ReturnURL     string // our /webhooks/jazzcash, absolute
}

// JazzCash builds checkout forms and verifies callbacks for one merchant account.
type JazzCash struct{ cfg JazzCashConfig }

// NewJazzCash returns a JazzCash for cfg; Configured says whether it can take payments.
func NewJazzCash(cfg JazzCashConfig) *JazzCash {
	if cfg.PostURL == "" {
		cfg.PostURL = JazzCashSandboxURL
	}
	return &JazzCash{cfg: cfg}
}

// Configured is nil when the account's credentials are set, else a *NotConfiguredError.
func (j *JazzCash) Configured() error {
	var missing []string
	for _, f := range []struct{ v, env string }{
		{j.cfg.MerchantID, "ALORIG_SNAPIFY_JAZZCASH_MERCHANT_ID"},
		{j.cfg.Password, "ALORIG_SNAPIFY_JAZZCASH_PASSWORD"},
		{j.cfg.IntegritySalt, "ALORIG_SNAPIFY_JAZZCASH_INTEGRITY_SALT"},
	} {
		if f.v == "" {
			missing = append(missing, f.env)
		}
	}
	if len(missing) > 0 {
		return &NotConfiguredError{Gateway: "JazzCash", Missing: missing}
	}
	return nil
}

// Checkout is the form that sends the seller's browser to JazzCash to pay c.
func (j *JazzCash) Checkout(c Checkout) (*Form, error) {
	if err := j.Configured(); err != nil {
		return nil, err
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	if j.cfg.ReturnURL == "" {
		return nil, fmt.Errorf("%w: no return URL", ErrMalformed)
	}
	bill := c.Bill
	if bill == "" {
		bill = c.Ref
	}
	f := map[string]string{
		"pp_Version":           JazzCashVersion,
		"pp_TxnType":           JazzCashTxnType,
		"pp_Language":          "EN",
		"pp_MerchantID":        j.cfg.MerchantID,
		"pp_Password":          j.cfg.Password,
		"pp_TxnRefNo":          c.Ref,
		"pp_Amount":            strconv.FormatInt(c.AmountPaisa, 10), // paisa: the last two digits are the decimals
		"pp_TxnCurrency":       "PKR",
		"pp_TxnDateTime":       c.At.In(Pakistan).Format("20060102150405"),
		"pp_BillReference":     bill,
		"pp_Description":       jazzCashText(c.Description),
		"pp_TxnExpiryDateTime": c.Expires.In(Pakistan).Format("20060102150405"),
		"pp_ReturnURL":         j.cfg.ReturnURL,
	}
	f["pp_SecureHash"] = JazzCashHash(j.cfg.IntegritySalt, f)
	return &Form{Method: "POST", Action: j.cfg.PostURL, Fields: f}, nil
}

// jazzCashText keeps a description to what the gateway accepts: it rejects the characters
// <>\*=%/:'|"{} and more than 200 characters.
func jazzCashText(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`<>\*=%/:'|"{}&`, r) {
			return -1
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200])
	}
	return s
}

// JazzCashHash is pp_SecureHash of fields under the integrity salt.
func JazzCashHash(salt string, fields map[string]string) string {
	names := make([]string, 0, len(fields))
	for k, v := range fields {
		if strings.HasPrefix(strings.ToLower(k), "pp") && !strings.EqualFold(k, "pp_SecureHash") && v != "" {
			names = append(names, k)
		}
	}
	sort.Strings(names) // byte order: pp_… (underscore) before ppmpf_…
	var b strings.Builder
	b.WriteString(salt)
	for _, k := range names {
		b.WriteByte('&')
		b.WriteString(fields[k])
	}
	mac := hmac.New(sha256.New, []byte(salt))
	mac.Write([]byte(b.String()))
	return strings.ToUpper(hex.EncodeToString(mac.Sum(nil)))
}

// VerifyCallback checks a result JazzCash posted to pp_ReturnURL: every field appears once,
// the secure hash matches (compared in constant time), it names our merchant and PKR. Only
// then is it a Callback; its reference and amount are the caller's to match.
func (j *JazzCash) VerifyCallback(form url.Values) (*Callback, error) {
	if err := j.Configured(); err != nil {
		return nil, err
	}
	fields := make(map[string]string, len(form))
	for k, vs := range form {
		if len(vs) != 1 {
			return nil, fmt.Errorf("%w: field %s appears %d times", ErrMalformed, k, len(vs))
		}
		fields[k] = vs[0]
	}
	got := fields["pp_SecureHash"]
	if got == "" {
		return nil, fmt.Errorf("%w: no pp_SecureHash", ErrBadSignature)
	}
	if !equal(strings.ToUpper(got), JazzCashHash(j.cfg.IntegritySalt, fields)) {
		return nil, ErrBadSignature
	}
	if !equal(fields["pp_MerchantID"], j.cfg.MerchantID) {
		return nil, fmt.Errorf("%w: pp_MerchantID %q", ErrWrongMerchant, fields["pp_MerchantID"])
	}
	if c := fields["pp_TxnCurrency"]; c != "" && c != "PKR" {
		return nil, fmt.Errorf("%w: pp_TxnCurrency %q, want PKR", ErrMalformed, c)
	}
	ref := fields["pp_TxnRefNo"]
	if err := CheckRef(ref); err != nil {
		return nil, fmt.Errorf("pp_TxnRefNo: %w", err)
	}
	amount, err := strconv.ParseInt(fields["pp_Amount"], 10, 64)
	if err != nil || amount <= 0 {
		return nil, fmt.Errorf("%w: pp_Amount %q", ErrMalformed, fields["pp_Amount"])
	}
	code := fields["pp_ResponseCode"]
	if code == "" {
		return nil, fmt.Errorf("%w: no pp_ResponseCode", ErrMalformed)
	}
	delete(fields, "pp_Password") // never kept, should a gateway echo it
	return &Callback{Gateway: "jazzcash", Ref: ref, AmountPaisa: amount, Paid: code == JazzCashPaid, Code: code,
		Message: fields["pp_ResponseMessage"], GatewayTxn: fields["pp_RetreivalReferenceNo"], Fields: fields}, nil
}
