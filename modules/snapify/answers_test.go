package snapify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"regexp"
	"strings"
	"testing"

	"github.com/alorig/alorig/modules/snapify"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

// answer is what a client sees of one request: the status, the content type and the body
// without what changes from run to run.
type answer struct {
	Name        string          `json:"name"`
	Status      int             `json:"status"`
	ContentType string          `json:"content_type"`
	RetryAfter  string          `json:"retry_after,omitempty"`
	Body        json.RawMessage `json:"body,omitempty"`
	Text        string          `json:"text,omitempty"`
}

// What differs between runs: the request id and the random domain claim token.
var (
	answerRequestID = regexp.MustCompile(`,?"request_id":"[^"]*"`)
	answerToken     = regexp.MustCompile(`"(value|domain_token)":"[0-9a-f]{40}"`)
)

func normaliseAnswer(s string) string {
	return answerToken.ReplaceAllString(answerRequestID.ReplaceAllString(s, ""), `"$1":"TOKEN"`)
}

// TestAnswersStayTheSame pins the answers of the seller and admin API (successes and every
// error path, in the order their checks refuse a request), so moving code between handlers,
// services and stores cannot change what the seller app or the admin dashboard sees. Run with
// -update-answers only when an answer is meant to change.
func TestAnswersStayTheSame(t *testing.T) {
	env, m := start(t)
	ctx := context.Background()
	seller := bearer(signIn(t, env, "03001110001"))
	other := bearer(signIn(t, env, "03001110002"))
	adm := bearer(admin(t, env))

	// Another seller's store and its upload, to be refused as a foreign picture.
	res, body := env.Do("POST", host, "/api/v1/stores", other, `{"slug":"other-shop","name":"Other shop"}`)
	require.Equal(t, 201, res.StatusCode, body)

	picture := func(w, h int) string {
		var pic bytes.Buffer
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		for x := 0; x < w; x++ {
			for y := 0; y < h; y++ {
				img.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
			}
		}
		require.NoError(t, png.Encode(&pic, img))
		return pic.String()
	}
	png := map[string]string{"Authorization": seller["Authorization"], "Content-Type": "image/png"}

	type req struct {
		name, method, path string
		header             map[string]string
		body               string
	}
	s := "/api/v1/stores/my-shop"
	var got []answer
	do := func(r req) answer {
		res, body := env.Do(r.method, host, r.path, r.header, r.body)
		a := answer{Name: r.name, Status: res.StatusCode, ContentType: res.Header.Get("Content-Type"), RetryAfter: res.Header.Get("Retry-After")}
		if body != "" && json.Valid([]byte(body)) {
			a.Body = json.RawMessage(normaliseAnswer(body))
		} else {
			a.Text = normaliseAnswer(body)
		}
		return a
	}
	run := func(rs ...req) {
		for _, r := range rs {
			got = append(got, do(r))
		}
	}
	run(
		req{"sign-in code for a bad number", "POST", "/api/v1/seller/login/code", nil, `{"phone":"12"}`},
		req{"sign-in with a bad body", "POST", "/api/v1/seller/login/verify", nil, `{"phone":"03001110001","code":"12"}`},
		req{"sign-in with a wrong code", "POST", "/api/v1/seller/login/verify", nil, `{"phone":"03001110009","code":"123456"}`},
		req{"stores without a session", "GET", "/api/v1/stores", nil, ""},
		req{"stores, none yet", "GET", "/api/v1/stores", seller, ""},
		req{"store without slug or name", "POST", "/api/v1/stores", seller, `{}`},
		req{"store with a reserved slug", "POST", "/api/v1/stores", seller, `{"slug":"admin","name":"Admin"}`},
		req{"store with malformed JSON", "POST", "/api/v1/stores", seller, `{"slug":`},
		req{"store with a taken slug", "POST", "/api/v1/stores", seller, `{"slug":"other-shop","name":"Mine"}`},
		req{"store with another number", "POST", "/api/v1/stores", seller, `{"slug":"my-shop","name":"My shop","whatsapp_phone":"03001110003"}`},
		req{"store with a foreign logo", "POST", "/api/v1/stores", seller,
			`{"slug":"my-shop","name":"My shop","logo":{"prefix":"snapify/s/1","hash":"0123456789abcdef","ext":"jpg","width":640,"height":480,"widths":[320],"alt":"x"}}`},
		req{"store opened", "POST", "/api/v1/stores", seller, `{"slug":"my-shop","name":"My shop","city":"Lahore"}`},
		req{"second store", "POST", "/api/v1/stores", seller, `{"slug":"my-shop-2","name":"My shop 2"}`},
		req{"third store", "POST", "/api/v1/stores", seller, `{"slug":"my-shop-3","name":"My shop 3"}`},
		req{"fourth store", "POST", "/api/v1/stores", seller, `{"slug":"my-shop-4","name":"My shop 4"}`},
		req{"stores listed", "GET", "/api/v1/stores", seller, ""},
		req{"another seller's store", "GET", "/api/v1/stores/other-shop", seller, ""},
		req{"store read", "GET", s, seller, ""},
		req{"settings changing the slug", "PATCH", s + "/settings", seller, `{"slug":"new","theme":"nope","lang":"fr"}`},
		req{"settings with a domain on Free", "PATCH", s + "/settings", seller, `{"custom_domain":"shop.example.pk"}`},
		req{"settings with another number", "PATCH", s + "/settings", seller, `{"whatsapp_phone":"03001110003"}`},
		req{"settings saved", "PATCH", s + "/settings", seller, `{"tagline":"Shoes","whatsapp_phone":"03001110001","delivery_fee_paisa":15000}`},
		req{"domain verify without a claim", "POST", s + "/domain/verify", seller, ""},
		req{"subscription read", "GET", s + "/subscription", seller, ""},
		req{"subscription to Pro", "PUT", s + "/subscription", seller, `{"plan":"pro"}`},
		req{"subscription to nonsense", "PUT", s + "/subscription", seller, `{"plan":"gold"}`},
		req{"subscription to Free", "PUT", s + "/subscription", seller, `{"plan":"free"}`},
		req{"category without a name", "POST", s + "/categories", seller, `{}`},
		req{"category added", "POST", s + "/categories", seller, `{"name":"Shoes","intro":"For feet"}`},
		req{"category renamed", "PATCH", s + "/categories/1", seller, `{"name":"Chappals"}`},
		req{"category missing", "PATCH", s + "/categories/999", seller, `{"name":"Chappals"}`},
		req{"categories listed", "GET", s + "/categories", seller, ""},
		req{"product with bad fields", "POST", s + "/products", seller, `{"title":"x","price_paisa":-1}`},
		req{"product in a missing category", "POST", s + "/products", seller, `{"title":"Chappal","price_paisa":250000,"category_id":999}`},
		req{"product with a foreign picture", "POST", s + "/products", seller,
			`{"title":"Chappal","price_paisa":250000,"images":[{"prefix":"snapify/s/1","hash":"0123456789abcdef","ext":"jpg","width":640,"height":480,"widths":[320]}]}`},
		req{"product added", "POST", s + "/products", seller, `{"title":"Peshawari chappal","price_paisa":250000,"category_id":1,"stock":3}`},
		req{"product read", "GET", s + "/products/1", seller, ""},
		req{"product missing", "GET", s + "/products/999", seller, ""},
		req{"product malformed id", "GET", s + "/products/abc", seller, ""},
		req{"product changed", "PATCH", s + "/products/1", seller, `{"price_paisa":240000,"slug":"chappal"}`},
		req{"products listed", "GET", s + "/products?page=1", seller, ""},
		req{"image not an image", "POST", s + "/images", png, "not a picture"},
		req{"image too small", "POST", s + "/images", png, picture(64, 48)},
		req{"image uploaded", "POST", s + "/images?alt=Chappal", png, picture(320, 240)},
		req{"analytics bad days", "GET", s + "/analytics?days=0", seller, ""},
		req{"analytics", "GET", s + "/analytics", seller, ""},
		req{"orders bad status", "GET", s + "/orders?status=lost", seller, ""},
	)

	// An order placed by a buyer, then moved by the seller.
	st, err := m.StoreBySlug(ctx, "my-shop")
	require.NoError(t, err)
	_, _, err = m.PlaceOrder(ctx, st, snapify.OrderRequest{IdempotencyKey: snapify.NewIdempotencyKey(), BuyerName: "Buyer", Phone: "03211234567",
		Address: "House 9, Street 9, Lahore", Items: []snapify.OrderItem{{ProductSlug: "chappal", Quantity: 1}}})
	require.NoError(t, err)
	run(
		req{"orders listed", "GET", s + "/orders", seller, ""},
		req{"order read", "GET", s + "/orders/1", seller, ""},
		req{"order missing", "GET", s + "/orders/999", seller, ""},
		req{"order bad transition", "POST", s + "/orders/1/status", seller, `{"status":"delivered"}`},
		req{"order tracking too long", "POST", s + "/orders/1/status", seller, `{"status":"shipped","tracking_number":"` + strings.Repeat("9", 61) + `"}`},
		req{"order confirmed", "POST", s + "/orders/1/status", seller, `{"status":"confirmed"}`},
	)

	// Admin: refused to sellers, then every action and its refusals.
	run(
		req{"admin as a seller", "GET", "/api/v1/admin/stores", seller, ""},
		req{"admin stores", "GET", "/api/v1/admin/stores?filter=unverified&q=shop", adm, ""},
		req{"admin verify without a value", "POST", "/api/v1/admin/stores/3/verify", adm, `{}`},
		req{"admin verify missing store", "POST", "/api/v1/admin/stores/999/verify", adm, `{"verified":true}`},
		req{"admin verify malformed id", "POST", "/api/v1/admin/stores/x/verify", adm, `{"verified":true}`},
		req{"admin verify", "POST", "/api/v1/admin/stores/3/verify", adm, `{"verified":true}`},
		req{"admin suspend without reason", "POST", "/api/v1/admin/stores/3/suspend", adm, `{"reason":"x"}`},
		req{"admin suspend", "POST", "/api/v1/admin/stores/3/suspend", adm, `{"reason":"Fake listings"}`},
		req{"admin unsuspend", "POST", "/api/v1/admin/stores/3/unsuspend", adm, ""},
		req{"admin plan nonsense", "POST", "/api/v1/admin/stores/3/plan", adm, `{"plan":"gold"}`},
		req{"admin plan missing store", "POST", "/api/v1/admin/stores/999/plan", adm, `{"plan":"pro"}`},
		req{"admin plan Pro", "POST", "/api/v1/admin/stores/3/plan", adm, `{"plan":"pro"}`},
		req{"Pro store claims a domain", "PATCH", s + "/settings", seller, `{"custom_domain":"Shop.Example.pk."}`},
		req{"Pro store claims a platform name", "PATCH", s + "/settings", seller, `{"custom_domain":"snapify.pk"}`},
		req{"admin moderate nonsense", "POST", "/api/v1/admin/products/1/moderate", adm, `{"status":"gone"}`},
		req{"admin moderate missing", "POST", "/api/v1/admin/products/999/moderate", adm, `{"status":"blocked"}`},
		req{"admin moderate", "POST", "/api/v1/admin/products/1/moderate", adm, `{"status":"blocked","note":"Counterfeit"}`},
		req{"seller re-activates a blocked product", "PATCH", s + "/products/1", seller, `{"status":"active"}`},
		req{"admin metrics", "GET", "/api/v1/admin/metrics", adm, ""},
	)

	// A Pro store with more products than Free allows cannot move down, by seller or admin;
	// a Free store cannot add a sixteenth.
	for _, store := range []string{s, "/api/v1/stores/my-shop-2"} {
		for i := 0; i < snapify.FreeProductLimit; i++ {
			res, body := env.Do("POST", host, store+"/products", seller, fmt.Sprintf(`{"title":"Product %d","price_paisa":100}`, i))
			require.Equal(t, 201, res.StatusCode, body)
		}
	}
	run(
		req{"seller to Free with too many products", "PUT", s + "/subscription", seller, `{"plan":"free"}`},
		req{"admin to Free with too many products", "POST", "/api/v1/admin/stores/3/plan", adm, `{"plan":"free"}`},
		req{"product deleted", "DELETE", s + "/products/2", seller, ""},
		req{"product deleted again", "DELETE", s + "/products/2", seller, ""},
		req{"category deleted", "DELETE", s + "/categories/1", seller, ""},
		req{"category deleted again", "DELETE", s + "/categories/1", seller, ""},
		req{"Free store's sixteenth product", "POST", "/api/v1/stores/my-shop-2/products", seller, `{"title":"One","price_paisa":100}`},
	)

	testkit.GoldenAnswers(t, "testdata/answers.golden", got, func(a answer) string { return a.Name })
}
