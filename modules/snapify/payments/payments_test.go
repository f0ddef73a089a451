package payments_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/alorig/alorig/modules/snapify/payments"
	"github.com/alorig/alorig/modules/snapify/payments/paymentstest"
	"github.com/stretchr/testify/require"
)

var (
	at      = time.Date(2026, 12, 20, 10, 0, 0, 0, time.UTC) // 15:00 in Pakistan
	checkup = payments.Checkout{Ref: "SP26122010000012345", AmountPaisa: 2500_00, Description: "Snapify Pro 1 month",
		At: at, Expires: at.Add(time.Hour)}
)

func TestJazzCashCheckoutHashKnownAnswer(t *testing.T) {
	gw := paymentstest.NewJazzCash()
	j := payments.NewJazzCash(gw.Config("https://snapify.pk/webhooks/jazzcash"))
	form, err := j.Checkout(checkup)
	require.NoError(t, err)
	require.Equal(t, payments.JazzCashSandboxURL, form.Action)
	f := form.Fields
	require.Equal(t, "250000", f["pp_Amount"], "paisa, no decimal point")
	require.Equal(t, "20261220150000", f["pp_TxnDateTime"], "Pakistan time, yyyyMMddHHmmss")
	require.Equal(t, "20261220160000", f["pp_TxnExpiryDateTime"])
	require.Equal(t, "PKR", f["pp_TxnCurrency"])
	require.Equal(t, "1.1", f["pp_Version"])
	// Computed outside Go (Python's hmac over salt&values in name order).
	require.Equal(t, "1EA5876764BEE2A86A14D6F2983255A27055ECEA7B69BCE1A9FDADCA47B97572", f["pp_SecureHash"])
}

func TestJazzCashCallbacks(t *testing.T) {
	gw := paymentstest.NewJazzCash()
	j := payments.NewJazzCash(gw.Config("https://snapify.pk/webhooks/jazzcash"))
	form, err := j.Checkout(checkup)
	require.NoError(t, err)

	paid, err := gw.Pay(form, "000")
	require.NoError(t, err)
	cb, err := j.VerifyCallback(paid)
	require.NoError(t, err)
	require.True(t, cb.Paid)
	require.True(t, cb.Final())
	require.Equal(t, checkup.Ref, cb.Ref)
	require.Equal(t, int64(2500_00), cb.AmountPaisa)
	require.NotContains(t, cb.Fields, "pp_Password")

	failed, err := gw.Pay(form, "199")
	require.NoError(t, err)
	cb, err = j.VerifyCallback(failed)
	require.NoError(t, err)
	require.False(t, cb.Paid)
	require.True(t, cb.Final())
	waiting, err := gw.Pay(form, "124")
	require.NoError(t, err)
	cb, err = j.VerifyCallback(waiting)
	require.NoError(t, err)
	require.False(t, cb.Final())

	for name, v := range map[string]url.Values{
		"amount changed":     paymentstest.Tamper(paid, "pp_Amount", "100"),
		"code changed":       paymentstest.Tamper(failed, "pp_ResponseCode", "000"),
		"ref changed":        paymentstest.Tamper(paid, "pp_TxnRefNo", "SP26122010000099999"),
		"field added":        paymentstest.Tamper(paid, "ppmpf_1", "03001234567"),
		"hash removed":       paymentstest.Tamper(paid, "pp_SecureHash", ""),
		"hash of other salt": (&paymentstest.JazzCash{IntegritySalt: "another"}).Sign(paid),
	} {
		_, err := j.VerifyCallback(v)
		require.ErrorIs(t, err, payments.ErrBadSignature, name)
	}
	other := gw.Sign(paymentstest.Tamper(paid, "pp_MerchantID", "MC99999"))
	_, err = j.VerifyCallback(other)
	require.ErrorIs(t, err, payments.ErrWrongMerchant)
	twice := paymentstest.Tamper(paid, "pp_Amount", "250000")
	twice.Add("pp_Amount", "250000")
	_, err = j.VerifyCallback(twice)
	require.ErrorIs(t, err, payments.ErrMalformed)

	// The gateway refuses a form changed after it was signed, as the real one answers 115.
	form.Fields["pp_Amount"] = "100"
	_, err = gw.Pay(form, "000")
	require.ErrorContains(t, err, "pp_SecureHash")
}

func TestJazzCashNotConfiguredNamesTheSettings(t *testing.T) {
	_, err := payments.NewJazzCash(payments.JazzCashConfig{MerchantID: "MC1"}).Checkout(checkup)
	var nc *payments.NotConfiguredError
	require.ErrorAs(t, err, &nc)
	require.Equal(t, []string{"ALORIG_SNAPIFY_JAZZCASH_PASSWORD", "ALORIG_SNAPIFY_JAZZCASH_INTEGRITY_SALT"}, nc.Missing)
}

func TestEasyPaisaHashKnownAnswer(t *testing.T) {
	f := map[string]string{"amount": "2500.0", "autoRedirect": "1", "expiryDate": "20261220 160000", "orderRefNum": "SP2612201000001",
		"postBackURL": "https://snapify.pk/webhooks/easypaisa", "storeId": "43210", "emailAddr": ""}
	got, err := payments.EasyPaisaHash("8JZVPIU6MPD6H4GH", f)
	require.NoError(t, err)
	// Computed with `openssl enc -aes-128-ecb -K <key as hex> -base64` over the sorted query string.
	require.Equal(t, "6srlafKkTQVwJNU3x7move+JtBAAkGmgP2/kWCQsQpiPT4EhRLRUHeOUnS0V71tq8q62M8pFNKpbRdmi6keDGpb1rBbl5FjWtj2kWDt5i7sXp+vzlSEJbX/Or0wDHeJl9BezofRzNL7S2f8Qjb/XbSZFfR6RwUBgKlYbmLyw3Yp7RCMRe1p1YqTT/88uceJcNJTsAe6R7p2NP/BCJMGuKQ==", got)
	plain, err := payments.DecryptEasyPaisaHash("8JZVPIU6MPD6H4GH", got)
	require.NoError(t, err)
	require.Equal(t, payments.EasyPaisaRequestString(f), plain)
}

func TestEasyPaisaCheckoutAndInquiry(t *testing.T) {
	gw := paymentstest.NewEasyPaisa(t)
	e := payments.NewEasyPaisa(gw.Config("https://snapify.pk/webhooks/easypaisa"))
	form, err := e.Checkout(checkup)
	require.NoError(t, err)
	require.Equal(t, "2500.0", form.Fields["amount"])
	require.Equal(t, "20261220 160000", form.Fields["expiryDate"])

	redirect, err := gw.Pay(form, payments.EasyPaisaPaid)
	require.NoError(t, err)
	r, err := payments.ParseRedirect(redirect)
	require.NoError(t, err)
	require.Equal(t, checkup.Ref, r.Ref)
	cb, err := e.Inquire(context.Background(), r.Ref)
	require.NoError(t, err)
	require.True(t, cb.Paid)
	require.Equal(t, int64(2500_00), cb.AmountPaisa)

	tok, err := payments.ParseRedirect(gw.AuthToken())
	require.NoError(t, err)
	require.NotEmpty(t, tok.AuthToken)
	cf := e.ConfirmForm(tok.AuthToken)
	require.Equal(t, "https://snapify.pk/webhooks/easypaisa", cf.Fields["postBackURL"])

	// A form changed after hashing is refused by Easypay.
	form.Fields["amount"] = "1.0"
	_, err = gw.Pay(form, payments.EasyPaisaPaid)
	require.ErrorContains(t, err, "merchantHashedReq")

	// An order Easypay never saw, and wrong API credentials, are refusals.
	_, err = e.Inquire(context.Background(), "SP26122010000099999")
	require.True(t, payments.IsRefusal(err), err)
	bad := gw.Config("https://snapify.pk/webhooks/easypaisa")
	bad.Password = "wrong"
	_, err = payments.NewEasyPaisa(bad).Inquire(context.Background(), checkup.Ref)
	var api *payments.APIError
	require.ErrorAs(t, err, &api)
	require.Equal(t, http.StatusUnauthorized, api.Status)

	// An answer about another store is not ours.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{"orderId": checkup.Ref, "storeId": 999, "transactionStatus": "PAID",
			"transactionAmount": 2500, "responseCode": "0000"})
	}))
	defer srv.Close()
	other := gw.Config("https://snapify.pk/webhooks/easypaisa")
	other.APIBase = srv.URL
	_, err = payments.NewEasyPaisa(other).Inquire(context.Background(), checkup.Ref)
	require.True(t, errors.Is(err, payments.ErrWrongMerchant), err)
}

func TestRupees(t *testing.T) {
	for paisa, s := range map[int64]string{2500_00: "2500.0", 1250: "12.5", 1205: "12.05", 7: "0.07"} {
		require.Equal(t, s, payments.Rupees(paisa))
		back, err := payments.ParseRupees(s)
		require.NoError(t, err)
		require.Equal(t, paisa, back)
	}
	p, err := payments.ParseRupees("2500")
	require.NoError(t, err)
	require.Equal(t, int64(2500_00), p)
	for _, bad := range []string{"", "1.234", "-1", "abc", "1e5"} {
		_, err := payments.ParseRupees(bad)
		require.Error(t, err, bad)
	}
	require.Len(t, payments.NewRef(at), 19)
	require.NoError(t, payments.CheckRef(payments.NewRef(at)))
}
