// Package paymentstest holds fake JazzCash and EasyPaisa gateways. They check what the real
// ones check before taking a payment (the request's secure hash or merchantHashedReq, the
// merchant, the amount format, the API credentials), answer as the real ones answer, and can
// hand back tampered callbacks, so the verifiers and the webhooks are tested against the wire
// formats rather than against themselves.
package paymentstest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/alorig/alorig/modules/snapify/payments"
)

// JazzCash is a fake JazzCash merchant form. Pay checks a checkout form as the gateway does
// and answers the result it would post to pp_ReturnURL, signed with the integrity salt.
type JazzCash struct {
	MerchantID    string
	Password      string
	IntegritySalt string
	seq           int
}

// NewJazzCash is a fake for one sandbox merchant account.
func NewJazzCash() *JazzCash {
	return &JazzCash{MerchantID: "MC10001", Password: "s8x1v2w9a0", IntegritySalt: "2u3ztv0x8e"}
}

// Pay checks form as JazzCash's merchantform does (secure hash, merchant, password, the
// required fields, PKR, an amount in paisa) and returns the signed result with responseCode
// ("000" paid, "124" waiting over the counter, anything else a failure).
func (j *JazzCash) Pay(form *payments.Form, responseCode string) (url.Values, error) {
	f := form.Fields
	if got, want := f["pp_SecureHash"], j.hash(f); !hmac.Equal([]byte(got), []byte(want)) {
		return nil, errors.New("jazzcash: 115 Please provide valid value for pp_SecureHash")
	}
	if f["pp_MerchantID"] != j.MerchantID || f["pp_Password"] != j.Password {
		return nil, errors.New("jazzcash: 110 Please provide valid value for pp_MerchantID or pp_Password")
	}
	for _, k := range []string{"pp_Version", "pp_TxnType", "pp_Language", "pp_TxnRefNo", "pp_Amount", "pp_TxnCurrency",
		"pp_TxnDateTime", "pp_BillReference", "pp_Description", "pp_TxnExpiryDateTime", "pp_ReturnURL"} {
		if f[k] == "" {
			return nil, fmt.Errorf("jazzcash: 110 Please provide valid value for %s", k)
		}
	}
	if f["pp_Version"] != "1.1" || f["pp_TxnCurrency"] != "PKR" || len(f["pp_TxnDateTime"]) != 14 || len(f["pp_TxnRefNo"]) > 20 {
		return nil, errors.New("jazzcash: 110 invalid pp_Version, pp_TxnCurrency, pp_TxnDateTime or pp_TxnRefNo")
	}
	if _, err := strconv.ParseUint(f["pp_Amount"], 10, 63); err != nil {
		return nil, errors.New("jazzcash: 110 pp_Amount must be whole paisa")
	}
	j.seq++
	msg := map[string]string{"000": "Thank you for Using JazzCash, your transaction was successful.",
		"124": "Order is placed and waiting for financials to be received over the counter."}[responseCode]
	if msg == "" {
		msg = "Transaction failed."
	}
	res := map[string]string{
		"pp_Amount": f["pp_Amount"], "pp_AuthCode": "", "pp_BankID": "", "pp_BillReference": f["pp_BillReference"],
		"pp_Language": "EN", "pp_MerchantID": j.MerchantID, "pp_ResponseCode": responseCode, "pp_ResponseMessage": msg,
		"pp_RetreivalReferenceNo": fmt.Sprintf("2612%08d", j.seq), "pp_SubMerchantId": "", "pp_TxnCurrency": "PKR",
		"pp_TxnDateTime": f["pp_TxnDateTime"], "pp_TxnRefNo": f["pp_TxnRefNo"], "pp_TxnType": f["pp_TxnType"],
		"pp_Version": "1.1", "ppmpf_1": "", "ppmpf_2": "", "ppmpf_3": "", "ppmpf_4": "", "ppmpf_5": "",
	}
	res["pp_SecureHash"] = j.hash(res)
	return values(res), nil
}

// Sign recomputes v's pp_SecureHash with the fake's salt: for building callbacks an attacker
// who knew the salt could build, or for re-signing after a deliberate change.
func (j *JazzCash) Sign(v url.Values) url.Values {
	out := clone(v)
	f := map[string]string{}
	for k := range out {
		f[k] = out.Get(k)
	}
	out.Set("pp_SecureHash", j.hash(f))
	return out
}

// hash is the gateway's own computation of pp_SecureHash, written out independently of the
// payments package: the non-empty pp… values in name order after the salt, "&"-joined,
// HMAC-SHA256 under the salt, upper-case hex.
func (j *JazzCash) hash(f map[string]string) string {
	var names []string
	for k, v := range f {
		if strings.HasPrefix(k, "pp") && k != "pp_SecureHash" && v != "" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	s := j.IntegritySalt
	for _, k := range names {
		s += "&" + f[k]
	}
	m := hmac.New(sha256.New, []byte(j.IntegritySalt))
	m.Write([]byte(s))
	return strings.ToUpper(hex.EncodeToString(m.Sum(nil)))
}

// Tamper returns a copy of v with field k set to value and the signature left as it was.
func Tamper(v url.Values, k, value string) url.Values {
	out := clone(v)
	out.Set(k, value)
	return out
}

func clone(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func values(m map[string]string) url.Values {
	v := url.Values{}
	for k, s := range m {
		v.Set(k, s)
	}
	return v
}

// EasyPaisa is a fake Easypay: Pay takes a checkout form as Index.jsf does (decrypting
// merchantHashedReq with the store's hash key and refusing a form that differs from it), and
// an httptest server answers the REST inquire-transaction the verifier calls, checking the
// Credentials header and the body's fields.
type EasyPaisa struct {
	StoreID    string
	HashKey    string
	Username   string
	Password   string
	AccountNum string
	URL        string // the fake's REST base, …/easypay-service/rest/v4

	mu       sync.Mutex
	orders   map[string]order
	seq      int
	Inquired int // inquiries answered
}

type order struct {
	amount string // rupees as Easypay writes them
	status string
	txn    int
}

// NewEasyPaisa starts a fake Easypay for one store until the test ends.
func NewEasyPaisa(t testing.TB) *EasyPaisa {
	e := &EasyPaisa{StoreID: "43210", HashKey: "8JZVPIU6MPD6H4GH", Username: "snapify", Password: "p4ss-w0rd",
		AccountNum: "03001234567", orders: map[string]order{}}
	srv := httptest.NewServer(http.HandlerFunc(e.serve))
	t.Cleanup(srv.Close)
	e.URL = srv.URL + "/easypay-service/rest/v4"
	return e
}

// Pay checks form as Index.jsf does and records the order with the outcome status ("PAID",
// "FAILED", "PENDING"); it returns the redirect Easypay sends the browser to postBackURL with
// after Confirm.jsf: status, desc and orderRefNumber.
func (e *EasyPaisa) Pay(form *payments.Form, status string) (url.Values, error) {
	f := form.Fields
	for _, k := range []string{"storeId", "amount", "postBackURL", "orderRefNum", "merchantHashedReq"} {
		if f[k] == "" {
			return nil, fmt.Errorf("easypay: %s is required", k)
		}
	}
	if f["storeId"] != e.StoreID {
		return nil, errors.New("easypay: unknown storeId")
	}
	plain, err := payments.DecryptEasyPaisaHash(e.HashKey, f["merchantHashedReq"])
	if err != nil {
		return nil, fmt.Errorf("easypay: merchantHashedReq: %w", err)
	}
	var names []string
	for k, v := range f {
		if k != "merchantHashedReq" && v != "" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	var parts []string
	for _, k := range names {
		parts = append(parts, k+"="+f[k])
	}
	if plain != strings.Join(parts, "&") {
		return nil, errors.New("easypay: the request does not match merchantHashedReq")
	}
	if _, err := payments.ParseRupees(f["amount"]); err != nil || !strings.Contains(f["amount"], ".") {
		return nil, errors.New("easypay: amount must be rupees with decimals, such as 2500.0")
	}
	e.Record(f["orderRefNum"], f["amount"], status)
	code, desc := "0000", "Success"
	if status != payments.EasyPaisaPaid {
		code, desc = "0001", "Transaction "+strings.ToLower(status)
	}
	return url.Values{"status": {code}, "desc": {desc}, "orderRefNumber": {f["orderRefNum"]}}, nil
}

// AuthToken is Easypay's first redirect to postBackURL, before Confirm.jsf.
func (e *EasyPaisa) AuthToken() url.Values {
	return url.Values{"auth_token": {base64.StdEncoding.EncodeToString([]byte("auth-" + e.StoreID))}}
}

// Record sets what the inquiry answers for order ref: amount in rupees ("2500.0") and status.
func (e *EasyPaisa) Record(ref, amount, status string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.seq++
	e.orders[ref] = order{amount: amount, status: status, txn: 7000000 + e.seq}
}

func (e *EasyPaisa) serve(w http.ResponseWriter, r *http.Request) {
	fail := func(status int, code, desc string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"responseCode": code, "responseDesc": desc})
	}
	if r.Method != http.MethodPost || r.URL.Path != "/easypay-service/rest/v4/inquire-transaction" {
		fail(http.StatusNotFound, "0404", "no such operation")
		return
	}
	want := base64.StdEncoding.EncodeToString([]byte(e.Username + ":" + e.Password))
	if got := r.Header.Get("Credentials"); got != want {
		fail(http.StatusUnauthorized, "0003", "Invalid credentials")
		return
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		fail(http.StatusUnsupportedMediaType, "0004", "send application/json")
		return
	}
	var body struct {
		OrderID    string `json:"orderId"`
		StoreID    string `json:"storeId"`
		AccountNum string `json:"accountNum"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil || body.OrderID == "" || body.StoreID == "" || body.AccountNum == "" {
		fail(http.StatusBadRequest, "0002", "orderId, storeId and accountNum are required")
		return
	}
	if body.StoreID != e.StoreID || body.AccountNum != e.AccountNum {
		fail(http.StatusOK, "0005", "Invalid store or account")
		return
	}
	e.mu.Lock()
	o, ok := e.orders[body.OrderID]
	e.Inquired++
	e.mu.Unlock()
	if !ok {
		fail(http.StatusOK, "0001", "Transaction not found")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	storeID, _ := strconv.Atoi(e.StoreID)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"orderId": body.OrderID, "accountNum": e.AccountNum, "storeId": storeID, "storeName": "Snapify",
		"transactionStatus": o.status, "transactionAmount": json.Number(o.amount), "transactionId": o.txn,
		"transactionDateTime": "20/12/2026 10:04 AM", "paymentMode": "MA", "responseCode": "0000", "responseDesc": "SUCCESS",
	})
}

// Config is the EasyPaisaConfig that talks to this fake.
func (e *EasyPaisa) Config(postBack string) payments.EasyPaisaConfig {
	return payments.EasyPaisaConfig{StoreID: e.StoreID, HashKey: e.HashKey, Username: e.Username, Password: e.Password,
		AccountNum: e.AccountNum, APIBase: e.URL, PostBackURL: postBack,
		CheckoutURL: "https://easypaystg.easypaisa.com.pk/easypay/Index.jsf", ConfirmURL: "https://easypaystg.easypaisa.com.pk/easypay/Confirm.jsf"}
}

// Config is the JazzCashConfig for this fake's merchant account.
func (j *JazzCash) Config(returnURL string) payments.JazzCashConfig {
	return payments.JazzCashConfig{MerchantID: j.MerchantID, Password: j.Password, IntegritySalt: j.IntegritySalt, ReturnURL: returnURL}
}
