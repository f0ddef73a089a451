package snapify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/alorig/alorig/modules/snapify"
	"github.com/stretchr/testify/require"
)

func withKey(tok, key string) map[string]string {
	h := bearer(tok)
	h["Idempotency-Key"] = key
	return h
}

// The seller app's offline queue sends a product again when the first answer was lost: the
// same Idempotency-Key creates one product and answers the replay with the first answer.
func TestIdempotencyKeyCreatesOneProduct(t *testing.T) {
	t.Parallel()
	env, m := start(t)
	tok, _ := newStore(t, env, "03001240001", "idem-shop")
	path := "/api/v1/stores/idem-shop/products"
	body := `{"title":"Clay pot","price_paisa":120000,"stock":3}`

	res, first := env.Do("POST", host, path, withKey(tok, "offline-0001"), body)
	require.Equal(t, http.StatusCreated, res.StatusCode, first)
	res, again := env.Do("POST", host, path, withKey(tok, "offline-0001"), body)
	require.Equal(t, http.StatusCreated, res.StatusCode, again)
	require.Equal(t, "true", res.Header.Get("Idempotent-Replayed"))
	require.JSONEq(t, first, again)

	// Replays sent at once still make one product.
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, b := env.Do("POST", host, path, withKey(tok, "offline-0002"), `{"title":"Clay lamp","price_paisa":90000}`)
			if res.StatusCode != http.StatusCreated && res.StatusCode != http.StatusConflict {
				t.Errorf("replay: %d %s", res.StatusCode, b)
			}
		}()
	}
	wg.Wait()

	res, list := env.Do("GET", host, path, bearer(tok), "")
	require.Equal(t, http.StatusOK, res.StatusCode)
	var page struct{ Total int }
	require.NoError(t, json.Unmarshal([]byte(list), &page))
	require.Equal(t, 2, page.Total, list)

	// Without a key each request is a new product, as before.
	res, _ = env.Do("POST", host, path, bearer(tok), body)
	require.Equal(t, http.StatusCreated, res.StatusCode)

	// A key is the seller's own: another seller's same key is a new request.
	tok2, _ := newStore(t, env, "03001240002", "idem-other")
	res, b := env.Do("POST", host, "/api/v1/stores/idem-other/products", withKey(tok2, "offline-0001"), body)
	require.Equal(t, http.StatusCreated, res.StatusCode, b)
	require.Empty(t, res.Header.Get("Idempotent-Replayed"))

	// Reused for another request, or malformed: refused with the reason.
	st, err := m.StoreBySlug(context.Background(), "idem-shop")
	require.NoError(t, err)
	o, _, err := m.PlaceOrder(context.Background(), st, snapify.OrderRequest{IdempotencyKey: "buyer-key-1", BuyerName: "Buyer", Phone: "03211234567",
		Address: "House 9, Street 9, Lahore", Items: []snapify.OrderItem{{ProductSlug: "clay-pot", Quantity: 1}}})
	require.NoError(t, err)
	statusPath := fmt.Sprintf("/api/v1/stores/idem-shop/orders/%d/status", o.ID)
	res, b = env.Do("POST", host, statusPath, withKey(tok, "offline-0001"), `{"status":"confirmed"}`)
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode, b)
	require.Contains(t, b, "IDEMPOTENCY_KEY_REUSED")
	res, b = env.Do("POST", host, path, withKey(tok, "short"), body)
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode, b)
	require.Contains(t, b, "Idempotency-Key")

	// An order status change sent twice moves the order once; the replay is the first answer
	// (a second confirm without the key is refused as a transition from confirmed to confirmed).
	res, b1 := env.Do("POST", host, statusPath, withKey(tok, "status-0001"), `{"status":"confirmed"}`)
	require.Equal(t, http.StatusOK, res.StatusCode, b1)
	res, b2 := env.Do("POST", host, statusPath, withKey(tok, "status-0001"), `{"status":"confirmed"}`)
	require.Equal(t, http.StatusOK, res.StatusCode, b2)
	require.JSONEq(t, b1, b2)
	res, b = env.Do("POST", host, statusPath, bearer(tok), `{"status":"confirmed"}`)
	require.NotEqual(t, http.StatusOK, res.StatusCode, b)

	// A refusal is not kept: the 16th product on Free is refused, and the same key works once
	// the cause is gone.
	for i := 0; page.Total+i < 14; i++ {
		res, b := env.Do("POST", host, path, bearer(tok), fmt.Sprintf(`{"title":"Filler %d","price_paisa":1000}`, i))
		require.Equal(t, http.StatusCreated, res.StatusCode, b)
	}
	res, b = env.Do("POST", host, path, withKey(tok, "offline-cap1"), `{"title":"One too many","price_paisa":1000}`)
	require.Equal(t, http.StatusConflict, res.StatusCode, b)
	require.Contains(t, b, "PRODUCT_LIMIT")
	res, _ = env.Do("DELETE", host, path+"/"+fmt.Sprint(firstID(t, first)), bearer(tok), "")
	require.Equal(t, http.StatusNoContent, res.StatusCode)
	res, b = env.Do("POST", host, path, withKey(tok, "offline-cap1"), `{"title":"One too many","price_paisa":1000}`)
	require.Equal(t, http.StatusCreated, res.StatusCode, b)
}

func firstID(t *testing.T, body string) int64 {
	var p struct{ ID int64 }
	require.NoError(t, json.Unmarshal([]byte(body), &p))
	return p.ID
}

// The template picker's preview: the seller's own store in any of the seven templates, framed
// by the app only; anyone else's store is a 404, a bad template a 400, signed out a 401.
func TestSellerPreviewRendersEachTemplate(t *testing.T) {
	t.Parallel()
	env, _ := start(t)
	tok, _ := newStore(t, env, "03001250001", "preview-shop")
	newStore(t, env, "03001250002", "someone-else")
	app := "app.snapify.localhost"
	seen := map[string]bool{}
	for _, th := range []string{"bazaar", "minimal", "boutique", "mehndi", "tech", "kids", "organic"} {
		res, body := env.Do("GET", app, "/preview/preview-shop?theme="+th, bearer(tok), "")
		require.Equal(t, http.StatusOK, res.StatusCode, body)
		require.Contains(t, body, "Store preview-shop")
		seen[body] = true
		require.Contains(t, res.Header.Get("Content-Security-Policy"), "frame-ancestors 'self'")
		require.Equal(t, "private, no-store", res.Header.Get("Cache-Control"))
	}
	require.Len(t, seen, 7, "each template renders differently")
	res, _ := env.Do("GET", app, "/preview/someone-else?theme=tech", bearer(tok), "")
	require.Equal(t, http.StatusNotFound, res.StatusCode)
	res, body := env.Do("GET", app, "/preview/preview-shop?theme=neon", bearer(tok), "")
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode, body)
	require.Contains(t, body, "theme")
	res, _ = env.Do("GET", app, "/preview/preview-shop", nil, "")
	require.Equal(t, http.StatusUnauthorized, res.StatusCode)
	// On the platform host /preview is not the seller's preview.
	res, body = env.Do("GET", host, "/preview/preview-shop?theme=tech", bearer(tok), "")
	require.NotContains(t, body, "Store preview-shop")
	_ = res
}
