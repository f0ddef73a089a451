package snapify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alorig/alorig/modules/snapify"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

// twoSellers opens stores a-store (seller A) and b-store (seller B) with one product, one
// category and one order each, and returns A's token and B's ids.
func twoSellers(t *testing.T) (*testkit.Env, string, map[string]int64) {
	env, m := start(t)
	ctx := context.Background()
	tokA := signIn(t, env, "03001110001")
	tokB := signIn(t, env, "03001110002")
	ids := map[string]int64{}
	for _, s := range []struct{ tok, slug string }{{tokA, "a-store"}, {tokB, "b-store"}} {
		res, body := env.Do("POST", host, "/api/v1/stores", bearer(s.tok), `{"slug":"`+s.slug+`","name":"Store `+s.slug+`"}`)
		require.Equal(t, 201, res.StatusCode, body)
		res, body = env.Do("POST", host, "/api/v1/stores/"+s.slug+"/categories", bearer(s.tok), `{"name":"Shoes"}`)
		require.Equal(t, 201, res.StatusCode, body)
		var cat struct{ ID int64 }
		require.NoError(t, json.Unmarshal([]byte(body), &cat))
		res, body = env.Do("POST", host, "/api/v1/stores/"+s.slug+"/products", bearer(s.tok),
			fmt.Sprintf(`{"title":"Peshawari chappal","price_paisa":250000,"category_id":%d}`, cat.ID))
		require.Equal(t, 201, res.StatusCode, body)
		var p struct{ ID int64 }
		require.NoError(t, json.Unmarshal([]byte(body), &p))
		st, err := m.StoreBySlug(ctx, s.slug)
		require.NoError(t, err)
		o, _, err := m.PlaceOrder(ctx, st, snapify.OrderRequest{IdempotencyKey: "k-" + s.slug, BuyerName: "Buyer", Phone: "03211234567",
			Address: "House 9, Street 9, Peshawar", Items: []snapify.OrderItem{{ProductSlug: "peshawari-chappal", Quantity: 1}}})
		require.NoError(t, err)
		ids[s.slug+"/product"], ids[s.slug+"/category"], ids[s.slug+"/order"] = p.ID, cat.ID, o.ID
	}
	return env, tokA, ids
}

func TestSellerOfStoreACannotReachStoreB(t *testing.T) {
	t.Parallel()
	env, tokA, ids := twoSellers(t)
	auth := bearer(tokA)
	b := "/api/v1/stores/b-store"
	p, c, o := ids["b-store/product"], ids["b-store/category"], ids["b-store/order"]
	var rows []testkit.Scenario
	add := func(method, path, body string) {
		rows = append(rows, testkit.Scenario{Name: method + " " + path, Method: method, Host: host, Path: path, Header: auth, Body: body,
			Status: http.StatusNotFound, NotContains: []string{"Peshawari", "Buyer", `"slug":"b-store"`}})
	}
	add("GET", b, "")
	add("PATCH", b+"/settings", `{"name":"Hijacked"}`)
	add("GET", b+"/subscription", "")
	add("PUT", b+"/subscription", `{"plan":"pro"}`)
	add("GET", b+"/products", "")
	add("POST", b+"/products", `{"title":"Injected","price_paisa":100}`)
	add("GET", fmt.Sprintf("%s/products/%d", b, p), "")
	add("PATCH", fmt.Sprintf("%s/products/%d", b, p), `{"price_paisa":1}`)
	add("DELETE", fmt.Sprintf("%s/products/%d", b, p), "")
	add("GET", b+"/categories", "")
	add("POST", b+"/categories", `{"name":"Injected"}`)
	add("PATCH", fmt.Sprintf("%s/categories/%d", b, c), `{"name":"Renamed"}`)
	add("DELETE", fmt.Sprintf("%s/categories/%d", b, c), "")
	add("GET", b+"/orders", "")
	add("GET", fmt.Sprintf("%s/orders/%d", b, o), "")
	add("POST", fmt.Sprintf("%s/orders/%d/status", b, o), `{"status":"confirmed"}`)
	add("GET", b+"/analytics", "")
	add("POST", b+"/images", "x")
	// Store B's ids through store A's own address are not found either.
	a := "/api/v1/stores/a-store"
	add("GET", fmt.Sprintf("%s/products/%d", a, p), "")
	add("PATCH", fmt.Sprintf("%s/products/%d", a, p), `{"price_paisa":1}`)
	add("DELETE", fmt.Sprintf("%s/products/%d", a, p), "")
	add("PATCH", fmt.Sprintf("%s/categories/%d", a, c), `{"name":"Renamed"}`)
	add("DELETE", fmt.Sprintf("%s/categories/%d", a, c), "")
	add("GET", fmt.Sprintf("%s/orders/%d", a, o), "")
	add("POST", fmt.Sprintf("%s/orders/%d/status", a, o), `{"status":"confirmed"}`)
	rows = append(rows,
		testkit.Scenario{Name: "A's own product is found", Host: host, Path: fmt.Sprintf("%s/products/%d", a, ids["a-store/product"]), Header: auth, Status: 200},
		testkit.Scenario{Name: "A's product cannot move into B's category", Method: "PATCH", Host: host,
			Path: fmt.Sprintf("%s/products/%d", a, ids["a-store/product"]), Header: auth, Body: fmt.Sprintf(`{"category_id":%d}`, c), Status: 422,
			Contains: []string{"no such category in this store"}},
		testkit.Scenario{Name: "store list has only A's", Host: host, Path: "/api/v1/stores", Header: auth, Status: 200,
			Contains: []string{`"slug":"a-store"`}, NotContains: []string{"b-store"}},
		testkit.Scenario{Name: "no token", Host: host, Path: a + "/products", Status: 401},
	)
	// A malformed id is answered like a missing one, naming the resource asked for.
	for _, bad := range []struct{ method, path, thing string }{
		{"GET", a + "/products/abc", "product"}, {"PATCH", a + "/products/+7", "product"}, {"DELETE", a + "/products/0", "product"},
		{"PATCH", a + "/categories/-1", "category"}, {"DELETE", a + "/categories/x", "category"},
		{"GET", a + "/orders/99999999999999999999", "order"}, {"POST", a + "/orders/1e3/status", "order"},
	} {
		rows = append(rows, testkit.Scenario{Name: "malformed id " + bad.method + " " + bad.path, Method: bad.method, Host: host, Path: bad.path,
			Header: auth, Body: "{}", Status: http.StatusNotFound, Contains: []string{"no such " + bad.thing}})
	}
	env.Run(t, rows)
	// Nothing of B's changed.
	var name string
	var price int64
	var status string
	db := env.Mounted("snapify").DB
	require.NoError(t, db.NewRaw("SELECT s.name, p.price_paisa, o.status FROM stores s JOIN products p ON p.store_id = s.id JOIN orders o ON o.store_id = s.id WHERE s.slug = 'b-store'").
		Scan(context.Background(), &name, &price, &status))
	require.Equal(t, "Store b-store", name)
	require.Equal(t, int64(250000), price)
	require.Equal(t, "pending", status)
}

func TestFreePlanCapHoldsUnderConcurrentCreates(t *testing.T) {
	t.Parallel()
	env, m := start(t)
	tok := signIn(t, env, "03451234567")
	res, body := env.Do("POST", host, "/api/v1/stores", bearer(tok), `{"slug":"cap-test","name":"Cap test"}`)
	require.Equal(t, 201, res.StatusCode, body)
	ctx := context.Background()
	s, err := m.StoreBySlug(ctx, "cap-test")
	require.NoError(t, err)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, refused := 0, 0
	for i := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			title, price := fmt.Sprintf("Item %d", i), int64(1000+i)
			_, err := m.CreateProduct(ctx, s, snapify.ProductInput{Title: &title, PricePaisa: &price})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case err == snapify.ErrProductLimit:
				refused++
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	require.Equal(t, snapify.FreeProductLimit, ok)
	require.Equal(t, 30-snapify.FreeProductLimit, refused)
	var n int
	require.NoError(t, env.Mounted("snapify").DB.NewRaw("SELECT count(*) FROM products").Scan(ctx, &n))
	require.Equal(t, snapify.FreeProductLimit, n)
	env.Run(t, []testkit.Scenario{
		{Name: "the API says why", Method: "POST", Host: host, Path: "/api/v1/stores/cap-test/products", Header: bearer(tok),
			Body: `{"title":"One more","price_paisa":100}`, Status: 409, Contains: []string{`"code":"PRODUCT_LIMIT"`, "upgrade to Pro"}},
		{Name: "Pro is not the seller's to choose", Method: "PUT", Host: host, Path: "/api/v1/stores/cap-test/subscription", Header: bearer(tok),
			Body: `{"plan":"pro"}`, Status: 402, Contains: []string{`"code":"PLAN_REQUIRES_PAYMENT"`}},
		{Name: "an admin grants Pro", Method: "POST", Host: host, Path: fmt.Sprintf("/api/v1/admin/stores/%d/plan", s.ID), Header: bearer(admin(t, env)),
			Body: `{"plan":"pro"}`, Status: 200, Contains: []string{`"tier":"pro"`}},
		{Name: "Pro lifts the cap", Host: host, Path: "/api/v1/stores/cap-test/subscription", Header: bearer(tok),
			Status: 200, Contains: []string{`"plan":"pro"`, `"product_limit":null`}},
		{Name: "sixteenth product on Pro", Method: "POST", Host: host, Path: "/api/v1/stores/cap-test/products", Header: bearer(tok),
			Body: `{"title":"One more","price_paisa":100}`, Status: 201},
		{Name: "back to Free refused over the cap", Method: "PUT", Host: host, Path: "/api/v1/stores/cap-test/subscription", Header: bearer(tok),
			Body: `{"plan":"free"}`, Status: 409},
	})
}

func pngOf(w, h int) string {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.String()
}

// noisyPNG does not compress, so it is large for its size: 700×700 is about 1.9 MB.
func noisyPNG(w, h int) string {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	seed := uint32(1)
	for i := range img.Pix {
		seed = seed*1664525 + 1013904223
		img.Pix[i] = uint8(seed >> 24)
	}
	for i := 3; i < len(img.Pix); i += 4 {
		img.Pix[i] = 255
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.String()
}

func TestBadInputGetsClearProblems(t *testing.T) {
	t.Parallel()
	env, _ := start(t)
	tok := signIn(t, env, "03001230000")
	auth := bearer(tok)
	res, body := env.Do("POST", host, "/api/v1/stores", auth, `{"slug":"my-shop","name":"My shop"}`)
	require.Equal(t, 201, res.StatusCode, body)
	problem := func(t testing.TB, res *http.Response, _ string) {
		require.Equal(t, "application/problem+json", res.Header.Get("Content-Type"))
	}
	img := func(ct string) map[string]string {
		return map[string]string{"Authorization": "Bearer " + tok, "Content-Type": ct}
	}
	env.Run(t, []testkit.Scenario{
		{Name: "reserved slug", Method: "POST", Host: host, Path: "/api/v1/stores", Header: auth, Body: `{"slug":"admin","name":"Admin shop"}`,
			Status: 422, Contains: []string{`"field":"slug"`, "used by Snapify itself"}, Check: problem},
		{Name: "hub prefix slug", Method: "POST", Host: host, Path: "/api/v1/stores", Header: auth, Body: `{"slug":"best-shoes","name":"Shoes"}`,
			Status: 422, Contains: []string{"used by Snapify itself"}},
		{Name: "capital letters", Method: "POST", Host: host, Path: "/api/v1/stores", Header: auth, Body: `{"slug":"MyShop","name":"Shop"}`,
			Status: 422, Contains: []string{"lowercase"}},
		{Name: "taken slug", Method: "POST", Host: host, Path: "/api/v1/stores", Header: auth, Body: `{"slug":"my-shop","name":"Again"}`,
			Status: 409, Contains: []string{`"code":"SLUG_TAKEN"`, "my-shop-2"}, Check: problem},
		{Name: "landline phone", Method: "PATCH", Host: host, Path: "/api/v1/stores/my-shop/settings", Header: auth, Body: `{"whatsapp_phone":"042 35761234"}`,
			Status: 422, Contains: []string{`"field":"whatsapp_phone"`, "not a mobile number"}, Check: problem},
		{Name: "phone in sign-in", Method: "POST", Host: host, Path: "/api/v1/seller/login/code", Body: `{"phone":"12345"}`,
			Status: 422, Contains: []string{`"field":"phone"`}, Check: problem},
		{Name: "custom domain needs Pro", Method: "PATCH", Host: host, Path: "/api/v1/stores/my-shop/settings", Header: auth, Body: `{"custom_domain":"shop.example.pk"}`,
			Status: 402, Contains: []string{"PRO_ONLY"}},
		{Name: "product slug taken by a store page", Method: "POST", Host: host, Path: "/api/v1/stores/my-shop/products", Header: auth,
			Body: `{"title":"About","slug":"about","price_paisa":100}`, Status: 422, Contains: []string{"a page of every store"}},
		{Name: "negative price", Method: "POST", Host: host, Path: "/api/v1/stores/my-shop/products", Header: auth,
			Body: `{"title":"Thing","price_paisa":-5}`, Status: 422, Contains: []string{`"field":"price_paisa"`}},
		{Name: "a PDF is not a picture", Method: "POST", Host: host, Path: "/api/v1/stores/my-shop/images", Header: img("application/pdf"),
			Body: "%PDF-1.7\n1 0 obj <<>> endobj\n" + strings.Repeat("x", 100), Status: 415, Contains: []string{"IMAGE_TYPE", "PDF"}, Check: problem},
		{Name: "a tiny picture", Method: "POST", Host: host, Path: "/api/v1/stores/my-shop/images", Header: img("image/png"),
			Body: pngOf(40, 40), Status: 422, Contains: []string{"IMAGE_DIMENSIONS"}},
		{Name: "a truncated picture", Method: "POST", Host: host, Path: "/api/v1/stores/my-shop/images", Header: img("image/png"),
			Body: pngOf(300, 300)[:400], Status: 422, Contains: []string{"IMAGE_CORRUPT"}},
		{Name: "a real picture", Method: "POST", Host: host, Path: "/api/v1/stores/my-shop/images?alt=Red+shoes", Header: img("image/png"),
			Body: pngOf(300, 300), Status: 201, Contains: []string{`"alt":"Red shoes"`, `"widths":[160]`, "/media/snapify/s/"}},
		{Name: "a phone photo over the platform's 1 MiB default", Method: "POST", Host: host, Path: "/api/v1/stores/my-shop/images", Header: img("image/png"),
			Body: noisyPNG(700, 700), Status: 201, Contains: []string{"/media/snapify/s/"}, Check: func(t testing.TB, _ *http.Response, _ string) {
				require.Greater(t, len(noisyPNG(700, 700)), 1<<20, "the fixture must be over the default limit to prove anything")
			}},
		{Name: "over the upload limit", Method: "POST", Host: host, Path: "/api/v1/stores/my-shop/images", Header: img("image/png"),
			Body: strings.Repeat("x", 10<<20), Status: 413},
		{Name: "bad order status", Method: "GET", Host: host, Path: "/api/v1/stores/my-shop/orders?status=lost", Header: auth, Status: 422},
		{Name: "not an admin", Host: host, Path: "/api/v1/admin/metrics", Header: auth, Status: 403},
	})
}

func TestSignInCodes(t *testing.T) {
	t.Parallel()
	env, _ := start(t)
	res, body := env.Do("POST", host, "/api/v1/seller/login/code", nil, `{"phone":"0300 5550001"}`)
	require.Equal(t, 202, res.StatusCode, body)
	code := between(body, `"dev_code":"`, `"`)
	wrong := fmt.Sprintf("%06d", (atoi(code)+1)%1_000_000)
	// Wrong guesses are spent; after five the real code is gone too. (From the fourth, each
	// wrong guess makes the number wait longer: the clock moves past the wait.)
	for i := range 5 {
		env.Clock.Advance(time.Hour)
		res, body = env.Do("POST", host, "/api/v1/seller/login/verify", nil, `{"phone":"03005550001","code":"`+wrong+`"}`)
		require.Equal(t, 401, res.StatusCode, "guess %d: %s", i, body)
	}
	env.Clock.Advance(time.Hour)
	res, _ = env.Do("POST", host, "/api/v1/seller/login/verify", nil, `{"phone":"03005550001","code":"`+code+`"}`)
	require.Equal(t, 401, res.StatusCode)
	// Three codes per number per ten minutes (the guesses above took hours of the fake clock).
	for range 3 {
		res, _ = env.Do("POST", host, "/api/v1/seller/login/code", nil, `{"phone":"03005550001"}`)
		require.Equal(t, 202, res.StatusCode)
	}
	res, body = env.Do("POST", host, "/api/v1/seller/login/code", nil, `{"phone":"+92 300 5550001"}`)
	require.Equal(t, 429, res.StatusCode, body)
	require.NotEmpty(t, res.Header.Get("Retry-After"))
	// The code lives five minutes.
	kv := env.Mounted("snapify").KV
	ttl, err := kv.TTL(context.Background(), "signin:+923005550001")
	require.NoError(t, err)
	require.Greater(t, ttl.Seconds(), 200.0)
	require.LessOrEqual(t, ttl.Seconds(), 300.0)
	// The session works, and the seller has no stores yet.
	tok := signIn(t, env, "03005550002")
	env.Run(t, []testkit.Scenario{{Name: "me", Host: host, Path: "/api/v1/stores", Header: bearer(tok), Status: 200, Contains: []string{`"stores":[]`}}})
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}
