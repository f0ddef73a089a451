package payments

import (
	"bytes"
	"context"
	"crypto/aes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// EasyPaisa's Easypay hosted checkout ("plug-in integration"). The merchant's page posts
// storeId, amount (rupees), postBackURL, orderRefNum, expiryDate and merchantHashedReq to
// Index.jsf. merchantHashedReq is the request's own fields as "key=value" pairs, names in
// ascending order, empty ones left out, joined with "&", encrypted with AES in ECB mode under
// the store's hash key (PKCS#5 padding) and written in base64: Easypay refuses a request whose
// fields differ from it. Easypay then sends the browser back to postBackURL with an
// auth_token, which the merchant posts to Confirm.jsf with the address of its status page;
// the customer pays, and Easypay sends the browser to that page with status, desc and
// orderRefNumber.
//
// Nothing Easypay sends the browser is signed, so a redirect is only a hint: a payment counts
// when Easypay's own transaction inquiry (REST v4 inquire-transaction, authenticated with the
// merchant's API credentials) reports it PAID for our store, with the amount we asked.

// EasyPaisa defaults: the staging (sandbox) environment.
const (
	EasyPaisaSandboxCheckoutURL = "https://easypaystg.easypaisa.com.pk/easypay/Index.jsf"
	EasyPaisaSandboxConfirmURL  = "https://easypaystg.easypaisa.com.pk/easypay/Confirm.jsf"
	EasyPaisaSandboxAPIBase     = "https://easypaystg.easypaisa.com.pk/easypay-service/rest/v4"
	EasyPaisaPaid               = "PAID"
)

// EasyPaisaConfig is an Easypay merchant store.
type EasyPaisaConfig struct {
	StoreID     string
	HashKey     string // 16, 24 or 32 characters, from the Easypay merchant portal
	Username    string // API credentials, for the transaction inquiry
	Password    string
	AccountNum  string // the merchant's Easypaisa account the store settles to (the inquiry names it)
	CheckoutURL string // Index.jsf
	ConfirmURL  string // Confirm.jsf
	APIBase     string // …/easypay-service/rest/v4
	PostBackURL string // our /webhooks/easypaisa, absolute
	HTTP        *http.Client
}

// EasyPaisa builds checkout forms and verifies payments for one Easypay store.
type EasyPaisa struct{ cfg EasyPaisaConfig }

// NewEasyPaisa returns an EasyPaisa for cfg; Configured says whether it can take payments.
func NewEasyPaisa(cfg EasyPaisaConfig) *EasyPaisa {
	if cfg.CheckoutURL == "" {
		cfg.CheckoutURL = EasyPaisaSandboxCheckoutURL
	}
	if cfg.ConfirmURL == "" {
		cfg.ConfirmURL = EasyPaisaSandboxConfirmURL
	}
	if cfg.APIBase == "" {
		cfg.APIBase = EasyPaisaSandboxAPIBase
	}
	cfg.APIBase = strings.TrimRight(cfg.APIBase, "/")
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: 20 * time.Second}
	}
	return &EasyPaisa{cfg: cfg}
}

// Configured is nil when the store's settings are complete, else a *NotConfiguredError.
func (e *EasyPaisa) Configured() error {
	var missing []string
	for _, f := range []struct{ v, env string }{
		{e.cfg.StoreID, "ALORIG_SNAPIFY_EASYPAISA_STORE_ID"},
		{e.cfg.HashKey, "ALORIG_SNAPIFY_EASYPAISA_HASH_KEY"},
		{e.cfg.Username, "ALORIG_SNAPIFY_EASYPAISA_USERNAME"},
		{e.cfg.Password, "ALORIG_SNAPIFY_EASYPAISA_PASSWORD"},
		{e.cfg.AccountNum, "ALORIG_SNAPIFY_EASYPAISA_ACCOUNT_NUM"},
	} {
		if f.v == "" {
			missing = append(missing, f.env)
		}
	}
	if len(missing) > 0 {
		return &NotConfiguredError{Gateway: "EasyPaisa", Missing: missing}
	}
	if n := len(e.cfg.HashKey); n != 16 && n != 24 && n != 32 {
		return &NotConfiguredError{Gateway: "EasyPaisa", Missing: []string{"ALORIG_SNAPIFY_EASYPAISA_HASH_KEY (16, 24 or 32 characters)"}}
	}
	return nil
}

// Checkout is the form that sends the seller's browser to Easypay to pay c.
func (e *EasyPaisa) Checkout(c Checkout) (*Form, error) {
	if err := e.Configured(); err != nil {
		return nil, err
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	if e.cfg.PostBackURL == "" {
		return nil, fmt.Errorf("%w: no postBackURL", ErrMalformed)
	}
	f := map[string]string{
		"storeId":      e.cfg.StoreID,
		"amount":       Rupees(c.AmountPaisa),
		"postBackURL":  e.cfg.PostBackURL,
		"orderRefNum":  c.Ref,
		"expiryDate":   c.Expires.In(Pakistan).Format("20060102 150405"),
		"autoRedirect": "1",
	}
	if c.Email != "" {
		f["emailAddr"] = c.Email
	}
	if c.Mobile != "" {
		f["mobileNum"] = c.Mobile
	}
	h, err := EasyPaisaHash(e.cfg.HashKey, f)
	if err != nil {
		return nil, err
	}
	f["merchantHashedReq"] = h
	return &Form{Method: "POST", Action: e.cfg.CheckoutURL, Fields: f}, nil
}

// EasyPaisaRequestString is the text merchantHashedReq encrypts: the non-empty fields
// (merchantHashedReq excepted) as key=value, names ascending, joined with "&", not escaped.
func EasyPaisaRequestString(fields map[string]string) string {
	names := make([]string, 0, len(fields))
	for k, v := range fields {
		if k != "merchantHashedReq" && v != "" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = k + "=" + fields[k]
	}
	return strings.Join(parts, "&")
}

// EasyPaisaHash is merchantHashedReq of fields: AES-ECB with PKCS#5 padding under hashKey,
// base64.
func EasyPaisaHash(hashKey string, fields map[string]string) (string, error) {
	block, err := aes.NewCipher([]byte(hashKey))
	if err != nil {
		return "", fmt.Errorf("payments: EasyPaisa hash key: %w", err)
	}
	plain := []byte(EasyPaisaRequestString(fields))
	pad := aes.BlockSize - len(plain)%aes.BlockSize
	plain = append(plain, bytes.Repeat([]byte{byte(pad)}, pad)...)
	out := make([]byte, len(plain))
	for i := 0; i < len(plain); i += aes.BlockSize { // ECB: each block on its own, as Easypay does
		block.Encrypt(out[i:i+aes.BlockSize], plain[i:i+aes.BlockSize])
	}
	return base64.StdEncoding.EncodeToString(out), nil
}

// DecryptEasyPaisaHash reverses EasyPaisaHash (Easypay's side of the check; the fake gateway
// uses it).
func DecryptEasyPaisaHash(hashKey, hashed string) (string, error) {
	block, err := aes.NewCipher([]byte(hashKey))
	if err != nil {
		return "", fmt.Errorf("payments: EasyPaisa hash key: %w", err)
	}
	raw, err := base64.StdEncoding.DecodeString(hashed)
	if err != nil || len(raw) == 0 || len(raw)%aes.BlockSize != 0 {
		return "", fmt.Errorf("%w: merchantHashedReq is not base64 of whole AES blocks", ErrBadSignature)
	}
	out := make([]byte, len(raw))
	for i := 0; i < len(raw); i += aes.BlockSize {
		block.Decrypt(out[i:i+aes.BlockSize], raw[i:i+aes.BlockSize])
	}
	pad := int(out[len(out)-1])
	if pad == 0 || pad > aes.BlockSize || !bytes.Equal(out[len(out)-pad:], bytes.Repeat([]byte{byte(pad)}, pad)) {
		return "", fmt.Errorf("%w: merchantHashedReq has bad padding", ErrBadSignature)
	}
	return string(out[:len(out)-pad]), nil
}

// Redirect is what Easypay sent the browser back with: either the auth_token to confirm
// (AuthToken set) or the outcome for an order (Ref, Status, Desc).
type Redirect struct {
	AuthToken string
	Ref       string
	Status    string // "0000" when Easypay says the payment went through; not proof
	Desc      string
}

// ParseRedirect reads one of Easypay's two redirects.
func ParseRedirect(form url.Values) (*Redirect, error) {
	one := func(k string) (string, error) {
		vs := form[k]
		if len(vs) > 1 {
			return "", fmt.Errorf("%w: field %s appears %d times", ErrMalformed, k, len(vs))
		}
		if len(vs) == 0 {
			return "", nil
		}
		return strings.TrimSpace(vs[0]), nil
	}
	tok, err := one("auth_token")
	if err != nil {
		return nil, err
	}
	if tok != "" {
		if len(tok) > 512 {
			return nil, fmt.Errorf("%w: auth_token is too long", ErrMalformed)
		}
		return &Redirect{AuthToken: tok}, nil
	}
	r := &Redirect{}
	if r.Ref, err = one("orderRefNumber"); err != nil {
		return nil, err
	}
	if r.Status, err = one("status"); err != nil {
		return nil, err
	}
	if r.Desc, err = one("desc"); err != nil {
		return nil, err
	}
	if r.Ref == "" {
		return nil, fmt.Errorf("%w: neither auth_token nor orderRefNumber", ErrMalformed)
	}
	if err := CheckRef(r.Ref); err != nil {
		return nil, fmt.Errorf("orderRefNumber: %w", err)
	}
	return r, nil
}

// ConfirmForm is the form the browser posts to Confirm.jsf with Easypay's auth_token;
// postBackURL is where Easypay then sends the outcome.
func (e *EasyPaisa) ConfirmForm(authToken string) *Form {
	return &Form{Method: "POST", Action: e.cfg.ConfirmURL, Fields: map[string]string{
		"auth_token": authToken, "postBackURL": e.cfg.PostBackURL}}
}

// APIError is an answer of Easypay's REST API other than success.
type APIError struct {
	Status int
	Code   string // responseCode
	Desc   string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("payments: EasyPaisa answered %d %s %s", e.Status, e.Code, e.Desc)
}

// inquiry is the inquire-transaction answer; amounts and ids arrive as numbers or strings.
type inquiry struct {
	OrderID           flex   `json:"orderId"`
	StoreID           flex   `json:"storeId"`
	TransactionID     flex   `json:"transactionId"`
	TransactionStatus string `json:"transactionStatus"`
	TransactionAmount flex   `json:"transactionAmount"`
	PaymentMode       string `json:"paymentMode"`
	ResponseCode      string `json:"responseCode"`
	ResponseDesc      string `json:"responseDesc"`
}

// flex is a JSON string or number kept as its text, so an amount is never a float.
type flex string

func (f *flex) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flex(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*f = flex(n.String())
	return nil
}

func (f flex) String() string { return string(f) }

// Inquire asks Easypay what became of order ref, and turns a genuine answer for our store
// into a Callback (Paid when its status is PAID). An answer naming another store or order is
// ErrWrongMerchant.
func (e *EasyPaisa) Inquire(ctx context.Context, ref string) (*Callback, error) {
	if err := e.Configured(); err != nil {
		return nil, err
	}
	if err := CheckRef(ref); err != nil {
		return nil, err
	}
	body, _ := json.Marshal(map[string]string{"orderId": ref, "storeId": e.cfg.StoreID, "accountNum": e.cfg.AccountNum})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.cfg.APIBase+"/inquire-transaction", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Credentials", base64.StdEncoding.EncodeToString([]byte(e.cfg.Username+":"+e.cfg.Password)))
	res, err := e.cfg.HTTP.Do(req)
	if err != nil {
		return nil, fmt.Errorf("payments: EasyPaisa inquiry: %w", err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("payments: EasyPaisa inquiry: %w", err)
	}
	var in inquiry
	if jerr := json.Unmarshal(raw, &in); res.StatusCode != http.StatusOK || jerr != nil {
		return nil, &APIError{Status: res.StatusCode, Code: in.ResponseCode, Desc: firstLine(in.ResponseDesc, string(raw))}
	}
	if in.ResponseCode != "0000" {
		return nil, &APIError{Status: res.StatusCode, Code: in.ResponseCode, Desc: in.ResponseDesc}
	}
	if !equal(in.StoreID.String(), e.cfg.StoreID) {
		return nil, fmt.Errorf("%w: storeId %q", ErrWrongMerchant, in.StoreID)
	}
	if in.OrderID.String() != ref {
		return nil, fmt.Errorf("%w: the inquiry for %s answered order %q", ErrWrongMerchant, ref, in.OrderID)
	}
	amount, err := ParseRupees(in.TransactionAmount.String())
	if err != nil {
		return nil, fmt.Errorf("transactionAmount: %w", err)
	}
	status := strings.ToUpper(strings.TrimSpace(in.TransactionStatus))
	return &Callback{Gateway: "easypaisa", Ref: ref, AmountPaisa: amount, Paid: status == EasyPaisaPaid, Code: status,
		Message: in.ResponseDesc, GatewayTxn: in.TransactionID.String(), Fields: map[string]string{
			"orderId": ref, "storeId": in.StoreID.String(), "transactionStatus": status,
			"transactionAmount": in.TransactionAmount.String(), "transactionId": in.TransactionID.String(), "paymentMode": in.PaymentMode}}, nil
}

// Final reports whether an inquiry's status ends the payment (paid, or failed for good), as
// opposed to one still waiting for the customer.
func (c *Callback) Final() bool {
	switch c.Gateway {
	case "easypaisa":
		return c.Paid || c.Code == "FAILED" || c.Code == "EXPIRED" || c.Code == "REVERSED" || c.Code == "DECLINED"
	case "jazzcash":
		return c.Code != "124" // 124: the order waits for payment over the counter
	}
	return c.Paid
}

func firstLine(a, b string) string {
	if a != "" {
		return a
	}
	if i := strings.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	if len(b) > 200 {
		b = b[:200]
	}
	return b
}

// IsRefusal reports whether err is one of the package's refusals of a callback (as opposed to a
// failure to reach the gateway).
func IsRefusal(err error) bool {
	var api *APIError
	return errors.Is(err, ErrBadSignature) || errors.Is(err, ErrWrongMerchant) || errors.Is(err, ErrMalformed) ||
		errors.Is(err, ErrNotPaid) || errors.As(err, &api) && api.Status < 500
}
