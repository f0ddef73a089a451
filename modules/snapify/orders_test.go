package snapify_test

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/alorig/alorig/modules/snapify"
	"github.com/alorig/alorig/modules/snapify/whatsapp/whatsapptest"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

func form(v url.Values) map[string]string {
	return map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
}

func TestOrderFromFormToSellerAndWhatsApp(t *testing.T) {
	t.Parallel()
	wa := whatsapptest.Start(whatsapptest.Options{})
	t.Cleanup(wa.Close)
	cfg := wa.Config()
	env, _ := seeded(t,
		testkit.WithEnv("ALORIG_SNAPIFY_WHATSAPP_TOKEN", cfg.Token),
		testkit.WithEnv("ALORIG_SNAPIFY_WHATSAPP_PHONE_NUMBER_ID", cfg.PhoneNumberID),
		testkit.WithEnv("ALORIG_SNAPIFY_WHATSAPP_API_BASE", cfg.APIBase))
	env.StartWorkers()

	// The product page's GET form names the product; the buyer picks size and quantity.
	res, body := env.Do("GET", host, "/ali-fabrics/chikankari-lawn-kurti-off-white", nil, "")
	require.Equal(t, 200, res.StatusCode)
	require.Contains(t, body, `<form class="buy" action="/ali-fabrics/order" method="get"><input type="hidden" name="product" value="chikankari-lawn-kurti-off-white">`)
	res, body = env.Do("GET", host, "/ali-fabrics/order?product=chikankari-lawn-kurti-off-white&qty=2&opt_size=L", nil, "")
	require.Equal(t, 200, res.StatusCode, body)
	require.Contains(t, body, "Size: L")
	key := between(body, `name="idempotency_key" value="`, `"`)
	require.Len(t, key, 32)

	post := url.Values{"product": {"chikankari-lawn-kurti-off-white"}, "qty": {"2"}, "opt_size": {"L"}, "idempotency_key": {key},
		"name": {"Ayesha <b>Khan</b>"}, "phone": {"0300-7654321"}, "address": {"House 12, Street 4, Model Town"}, "city": {"Lahore"}}
	res, body = env.Do("POST", host, "/ali-fabrics/order", form(post), post.Encode())
	require.Equal(t, 200, res.StatusCode, body)
	require.Contains(t, body, "SN-1001")
	require.Contains(t, body, "https://wa.me/923001234567?text=")
	require.Contains(t, body, "Ayesha &lt;b&gt;Khan&lt;/b&gt;")
	require.NotContains(t, body, "<b>Khan</b>")
	// Two suits at Rs 3,499 and Rs 200 delivery.
	require.Contains(t, body, "Rs 7,198")
	yours := between(body, `aria-label="Your order"`, `</section>`)
	require.Contains(t, yours, "<img", "the confirmation shows the product's photo")
	require.NotContains(t, yours, `class="noimg"`)

	// The same form sent again (a double tap, a retry on a flaky line) is the same order.
	res, body = env.Do("POST", host, "/ali-fabrics/order", form(post), post.Encode())
	require.Equal(t, 200, res.StatusCode, body)
	require.Contains(t, body, "SN-1001")
	db := env.Mounted("snapify").DB
	var orders int
	var total int64
	var lines string
	require.NoError(t, db.NewRaw("SELECT count(*), max(total_paisa), max(lines::text) FROM orders").Scan(context.Background(), &orders, &total, &lines))
	require.Equal(t, 1, orders)
	require.Equal(t, int64(2*349900+20000), total)
	require.Contains(t, lines, `"unit_paisa": 349900`)
	var stock int
	require.NoError(t, db.NewRaw("SELECT stock FROM products WHERE slug = 'chikankari-lawn-kurti-off-white'").Scan(context.Background(), &stock))
	require.Equal(t, 3, stock)

	// The seller hears about it on WhatsApp (a template: the seller has not written in 24 h).
	eventually(t, func() bool { return len(wa.Messages()) > 0 }, "new-order notice")
	msg := wa.Messages()[0]
	require.Equal(t, "923001234567", msg.To)
	require.Equal(t, "snapify_new_order", msg.Template)
	require.Equal(t, "SN-1001", msg.BodyParams[0])
	require.Equal(t, "Rs 7,198", msg.BodyParams[2])

	// And sees it in the order list through the API, signed in by code.
	tok := signInWithFake(t, env, wa, "03001234567")
	res, body = env.Do("GET", host, "/api/v1/stores/ali-fabrics/orders", bearer(tok), "")
	require.Equal(t, 200, res.StatusCode, body)
	require.Contains(t, body, `"number":"SN-1001"`)
	require.Contains(t, body, `"buyer_phone":"+923007654321"`)
}

// signInWithFake signs in through the real WhatsApp path: the code is read from the fake.
func signInWithFake(t *testing.T, env *testkit.Env, wa *whatsapptest.Server, phone string) string {
	t.Helper()
	before := len(wa.Messages())
	res, body := env.Do("POST", host, "/api/v1/seller/login/code", nil, `{"phone":"`+phone+`"}`)
	require.Equal(t, http.StatusAccepted, res.StatusCode, body)
	require.Contains(t, body, `"sent":true`)
	require.NotContains(t, body, "dev_code")
	msgs := wa.Messages()
	require.Len(t, msgs, before+1)
	code := msgs[before].BodyParams[0]
	res, body = env.Do("POST", host, "/api/v1/seller/login/verify", nil, `{"phone":"`+phone+`","code":"`+code+`"}`)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	// A code works once.
	res2, _ := env.Do("POST", host, "/api/v1/seller/login/verify", nil, `{"phone":"`+phone+`","code":"`+code+`"}`)
	require.Equal(t, http.StatusUnauthorized, res2.StatusCode)
	return between(body, `"token":"`, `"`)
}

func TestOrderFormRejectsBadInputClearly(t *testing.T) {
	t.Parallel()
	env, _ := seeded(t)
	post := url.Values{"product": {"printed-lawn-2-piece-teal"}, "qty": {"1"}, "idempotency_key": {"0123456789abcdef"},
		"name": {"Ali"}, "phone": {"042-35761234"}, "address": {"House 1, Street 2, Lahore"}}
	res, body := env.Do("POST", host, "/ali-fabrics/order", form(post), post.Encode())
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, body, "mobile")
	require.Contains(t, body, `>House 1, Street 2, Lahore</textarea>`)
	require.NotContains(t, body, " else")

	post.Set("phone", "0300 1234567")
	post.Set("qty", "500")
	res, body = env.Do("POST", host, "/ali-fabrics/order", form(post), post.Encode())
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, body, "Quantity must be between 1 and 20")

	// Sold-out stock cannot be ordered.
	post = url.Values{"product": {"linen-winter-suit-olive"}, "qty": {"1"}, "idempotency_key": {"0123456789abcdef0"},
		"name": {"Ali Raza"}, "phone": {"0300 1234567"}, "address": {"House 1, Street 2, Lahore"}}
	res, body = env.Do("POST", host, "/ali-fabrics/order", form(post), post.Encode())
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, body, "left in stock")
}

// The order form is posted by a buyer's browser: a product deleted since the page was opened gets
// the store's HTML page, and a body that is not a form is refused as such instead of reading as an
// empty form.
func TestOrderFormForAVanishedProductOrNotAForm(t *testing.T) {
	t.Parallel()
	env, _ := seeded(t)
	post := url.Values{"product": {"no-such-product"}, "qty": {"1"}, "idempotency_key": {"0123456789abcdef1"},
		"name": {"Ali Raza"}, "phone": {"0300 1234567"}, "address": {"House 1, Street 2, Lahore"}}
	res, body := env.Do("POST", host, "/ali-fabrics/order", form(post), post.Encode())
	require.Equal(t, http.StatusNotFound, res.StatusCode)
	require.Contains(t, res.Header.Get("Content-Type"), "text/html")
	require.Contains(t, body, "Ali Fabrics")

	res, body = env.Do("GET", host, "/ali-fabrics/order?product=no-such-product", nil, "")
	require.Equal(t, http.StatusNotFound, res.StatusCode)
	require.Contains(t, body, "Ali Fabrics", "the store's own not-found page")

	res, body = env.Do("POST", host, "/ali-fabrics/order", map[string]string{"Content-Type": "application/json"},
		`{"product":"printed-lawn-2-piece-teal","qty":1}`)
	require.Equal(t, http.StatusUnsupportedMediaType, res.StatusCode, body)
	require.Contains(t, res.Header.Get("Content-Type"), "application/problem+json")
}

func TestConcurrentReplaysMakeOneOrder(t *testing.T) {
	t.Parallel()
	env, m := seeded(t)
	ctx := context.Background()
	s, err := m.StoreBySlug(ctx, "ali-fabrics")
	require.NoError(t, err)
	req := snapify.OrderRequest{IdempotencyKey: "same-key-for-all", BuyerName: "Bilal", Phone: "03331234567",
		Address: "Flat 3, Block B, Johar Town", Items: []snapify.OrderItem{{ProductSlug: "printed-lawn-2-piece-teal", Quantity: 1}}}
	var wg sync.WaitGroup
	numbers := make([]string, 8)
	created := make([]bool, 8)
	for i := range numbers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o, c, err := m.PlaceOrder(ctx, s, req)
			require.NoError(t, err)
			numbers[i], created[i] = o.Number, c
		}()
	}
	wg.Wait()
	n := 0
	for i := range numbers {
		require.Equal(t, numbers[0], numbers[i])
		if created[i] {
			n++
		}
	}
	require.Equal(t, 1, n)
	var count int
	require.NoError(t, env.Mounted("snapify").DB.NewRaw("SELECT count(*) FROM orders").Scan(ctx, &count))
	require.Equal(t, 1, count)
}

func TestOrderStatusLifecycle(t *testing.T) {
	t.Parallel()
	all := []snapify.OrderStatus{snapify.StatusPending, snapify.StatusConfirmed, snapify.StatusShipped, snapify.StatusDelivered, snapify.StatusCancelled, snapify.StatusReturned}
	allowed := map[string]bool{"pending>confirmed": true, "pending>cancelled": true, "confirmed>shipped": true, "confirmed>cancelled": true,
		"shipped>delivered": true, "shipped>returned": true, "delivered>returned": true}
	for _, from := range all {
		for _, to := range all {
			require.Equal(t, allowed[string(from)+">"+string(to)], from.CanBecome(to), "%s → %s", from, to)
		}
	}
}
