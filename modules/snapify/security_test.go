package snapify_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

// fakeDNS answers TXT lookups from a map; a name it lacks does not exist.
type fakeDNS struct {
	mu  sync.Mutex
	txt map[string][]string
}

func (f *fakeDNS) LookupTXT(_ context.Context, name string) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r, ok := f.txt[name]; ok {
		return r, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

func (f *fakeDNS) set(name string, values ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.txt[name] = values
}

// newStore opens a store for a seller signed in with phone and returns its token and id.
func newStore(t *testing.T, env *testkit.Env, phone, slug string) (string, int64) {
	t.Helper()
	tok := signIn(t, env, phone)
	res, body := env.Do("POST", host, "/api/v1/stores", bearer(tok), `{"slug":"`+slug+`","name":"Store `+slug+`"}`)
	require.Equal(t, 201, res.StatusCode, body)
	var s struct{ ID int64 }
	require.NoError(t, json.Unmarshal([]byte(body), &s))
	return tok, s.ID
}

func domainToken(t *testing.T, body string) string {
	t.Helper()
	var out struct {
		Status string `json:"domain_status"`
		Rec    struct {
			Name, Value string
		} `json:"domain_verification"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &out), body)
	require.Equal(t, "pending", out.Status, body)
	require.Len(t, out.Rec.Value, 40, body)
	return out.Rec.Value
}

func TestCustomDomainsNeedPaidProAndDNSProof(t *testing.T) {
	t.Parallel()
	env, m := start(t)
	dns := &fakeDNS{txt: map[string][]string{}}
	m.SetResolver(dns)
	tokA, idA := newStore(t, env, "03001110001", "a-shop")
	tokB, idB := newStore(t, env, "03001110002", "b-shop")
	adm := bearer(admin(t, env))
	settings := func(slug string) string { return "/api/v1/stores/" + slug + "/settings" }

	env.Run(t, []testkit.Scenario{
		{Name: "Pro cannot be self-selected", Method: "PUT", Host: host, Path: "/api/v1/stores/a-shop/subscription", Header: bearer(tokA),
			Body: `{"plan":"pro"}`, Status: 402, Contains: []string{`"code":"PLAN_REQUIRES_PAYMENT"`}},
		{Name: "still Free", Host: host, Path: "/api/v1/stores/a-shop/subscription", Header: bearer(tokA), Status: 200, Contains: []string{`"plan":"free"`}},
		{Name: "a domain needs Pro", Method: "PATCH", Host: host, Path: settings("a-shop"), Header: bearer(tokA),
			Body: `{"custom_domain":"shop.example.pk"}`, Status: 402, Contains: []string{"PRO_ONLY"}},
		{Name: "a seller cannot reach the admin plan path", Method: "POST", Host: host, Path: fmt.Sprintf("/api/v1/admin/stores/%d/plan", idA),
			Header: bearer(tokA), Body: `{"plan":"pro"}`, Status: 403},
		{Name: "admin grants A Pro", Method: "POST", Host: host, Path: fmt.Sprintf("/api/v1/admin/stores/%d/plan", idA), Header: adm,
			Body: `{"plan":"pro"}`, Status: 200, Contains: []string{`"tier":"pro"`}},
		{Name: "admin grants B Pro", Method: "POST", Host: host, Path: fmt.Sprintf("/api/v1/admin/stores/%d/plan", idB), Header: adm,
			Body: `{"plan":"pro"}`, Status: 200},
	})
	for _, d := range []string{"x.alorig.site", "alorig.site", "alorig.com", "cms.sitebuilder.alorig.com", "api.psydge.com", "new.psydge.com",
		"snapify.pk", "shop.snapify.pk", "observeros.com", "a.localhost", "203.0.113.7", "com.pk"} {
		res, body := env.Do("PATCH", host, settings("a-shop"), bearer(tokA), `{"custom_domain":"`+d+`"}`)
		require.Equal(t, 422, res.StatusCode, "%s: %s", d, body)
		require.Contains(t, body, "custom_domain", d)
	}

	// A claims shop.example.pk: pending, neither served nor certified.
	res, body := env.Do("PATCH", host, settings("a-shop"), bearer(tokA), `{"custom_domain":"Shop.Example.pk"}`)
	require.Equal(t, 200, res.StatusCode, body)
	require.Contains(t, body, `"name":"_alorig-verify.shop.example.pk"`)
	tokenA := domainToken(t, body)
	// The dispatcher remembers a host's answer for a minute, so states the HTTP checks below
	// do not reach are checked on the module's answer, which the TLS ask and dispatcher use.
	ctx := context.Background()
	claimed := func() bool {
		ok, err := m.ClaimHost(ctx, "shop.example.pk")
		require.NoError(t, err)
		return ok
	}
	require.False(t, claimed(), "a pending claim is neither served nor certified")
	ask := "/internal/tls/ask?domain=shop.example.pk"
	env.Run(t, []testkit.Scenario{
		{Name: "store pages keep the snapify address", Host: host, Path: "/a-shop", Status: 200,
			Contains: []string{`rel="canonical" href="https://snapify.localhost/a-shop"`}, NotContains: []string{"shop.example.pk"}},
	})
	// B claims the same name: a pending claim blocks nobody.
	res, body = env.Do("PATCH", host, settings("b-shop"), bearer(tokB), `{"custom_domain":"shop.example.pk"}`)
	require.Equal(t, 200, res.StatusCode, body)
	tokenB := domainToken(t, body)
	require.NotEqual(t, tokenA, tokenB)

	verify := func(slug, tok string) (*http.Response, string) {
		return env.Do("POST", host, "/api/v1/stores/"+slug+"/domain/verify", bearer(tok), "")
	}
	res, body = verify("a-shop", tokA)
	require.Equal(t, 409, res.StatusCode, body)
	require.Contains(t, body, `"code":"DOMAIN_NOT_VERIFIED"`)
	require.Contains(t, body, tokenA)
	// Only the domain's real owner can publish the record; B's token in it proves nothing for A.
	dns.set("_alorig-verify.shop.example.pk", "v=other", tokenB)
	res, body = verify("a-shop", tokA)
	require.Equal(t, 409, res.StatusCode, body)
	res, body = verify("b-shop", tokB)
	require.Equal(t, 200, res.StatusCode, body)
	require.Contains(t, body, `"domain_status":"verified"`)
	env.Run(t, []testkit.Scenario{
		{Name: "proven claim is certified", Host: "anything", Path: ask, Status: 200},
		{Name: "proven claim is served", Host: "shop.example.pk", Path: "/", Status: 200, Contains: []string{"Store b-shop"}},
		{Name: "A's claim stays pending", Host: host, Path: "/api/v1/stores/a-shop", Header: bearer(tokA), Status: 200,
			Contains: []string{`"domain_status":"pending"`}},
	})

	// Suspension releases B's claim: no longer served, certified, or held.
	res, body = env.Do("POST", host, fmt.Sprintf("/api/v1/admin/stores/%d/suspend", idB), adm, `{"reason":"fake goods"}`)
	require.Equal(t, 200, res.StatusCode, body)
	require.NotContains(t, body, "shop.example.pk")
	require.False(t, claimed(), "a suspended store's domain is not certified")
	env.Run(t, []testkit.Scenario{{Name: "nor served", Host: "shop.example.pk", Path: "/", Status: 404}})

	// The owner now publishes A's token; the periodic re-check proves A's claim.
	dns.set("_alorig-verify.shop.example.pk", tokenA)
	n, err := m.CheckDomains(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, n)
	require.True(t, claimed(), "the re-check's proof is certified")
	env.StartWorkers() // the page cache is dropped by the invalidation job
	drainJobs(t, env)
	env.Run(t, []testkit.Scenario{
		{Name: "and served", Host: "shop.example.pk", Path: "/", Status: 200, Contains: []string{"Store a-shop"}},
		{Name: "canonical links move to the domain", Host: host, Path: "/a-shop", Status: 200,
			Contains: []string{`rel="canonical" href="https://shop.example.pk"`}},
	})

	// Leaving Pro drops the claim; an unproven claim expires after a week.
	res, body = env.Do("PUT", host, "/api/v1/stores/a-shop/subscription", bearer(tokA), `{"plan":"free"}`)
	require.Equal(t, 200, res.StatusCode, body)
	require.False(t, claimed(), "a Free store's domain is not certified")
	tokC, idC := newStore(t, env, "03001110003", "c-shop")
	res, body = env.Do("POST", host, fmt.Sprintf("/api/v1/admin/stores/%d/plan", idC), adm, `{"plan":"pro"}`)
	require.Equal(t, 200, res.StatusCode, body)
	res, body = env.Do("PATCH", host, settings("c-shop"), bearer(tokC), `{"custom_domain":"c.example.pk"}`)
	require.Equal(t, 200, res.StatusCode, body)
	env.Clock.Advance(8 * 24 * time.Hour)
	_, err = m.CheckDomains(context.Background())
	require.NoError(t, err)
	var claims int
	require.NoError(t, env.Mounted("snapify").DB.NewRaw("SELECT count(*) FROM stores WHERE custom_domain IS NOT NULL").Scan(context.Background(), &claims))
	require.Zero(t, claims)
}

func TestSignInGuessesAreCountedPerNumber(t *testing.T) {
	t.Parallel()
	env, _ := start(t)
	const phone = "03005550009"
	code := func() string {
		res, body := env.Do("POST", host, "/api/v1/seller/login/code", nil, `{"phone":"`+phone+`"}`)
		require.Equal(t, 202, res.StatusCode, body)
		return between(body, `"dev_code":"`, `"`)
	}
	guess := func(c string) (*http.Response, string) {
		return env.Do("POST", host, "/api/v1/seller/login/verify", nil, `{"phone":"`+phone+`","code":"`+c+`"}`)
	}
	wrongFor := func(c string) string { return fmt.Sprintf("%06d", (atoi(c)+1)%1_000_000) }

	c := code()
	for i := range 3 {
		res, body := guess(wrongFor(c))
		require.Equal(t, 401, res.StatusCode, "guess %d: %s", i+1, body)
	}
	// From the fourth guess on, each waits longer than the last.
	res, body := guess(c)
	require.Equal(t, 429, res.StatusCode, body)
	require.Contains(t, body, `"code":"SIGNIN_BACKOFF"`)
	require.NotEmpty(t, res.Header.Get("Retry-After"))
	wrong := 3
	for ; wrong < 5; wrong++ {
		env.Clock.Advance(time.Hour)
		res, body = guess(wrongFor(c))
		require.Equal(t, 401, res.StatusCode, body)
	}
	// A fresh code does not reset the count.
	for ; wrong < 10; wrong++ {
		env.Clock.Advance(time.Hour)
		c = code()
		res, body = guess(wrongFor(c))
		require.Equal(t, 401, res.StatusCode, "wrong guess %d: %s", wrong+1, body)
	}
	env.Clock.Advance(time.Hour)
	c = code()
	res, body = guess(wrongFor(c))
	require.Equal(t, 429, res.StatusCode, "the 11th wrong guess: %s", body)
	require.Contains(t, body, `"code":"SIGNIN_LOCKED"`)
	res, body = guess(c)
	require.Equal(t, 429, res.StatusCode, "even the right code is refused while locked: %s", body)
	// Another number is unaffected.
	signIn(t, env, "03005550010")
}

func TestSignInCodesAreStoredUnderAKeyedMAC(t *testing.T) {
	t.Parallel()
	env, _ := start(t)
	res, body := env.Do("POST", host, "/api/v1/seller/login/code", nil, `{"phone":"03005550011"}`)
	require.Equal(t, 202, res.StatusCode, body)
	code := between(body, `"dev_code":"`, `"`)
	stored, err := env.Mounted("snapify").KV.HGet(context.Background(), "signin:+923005550011", "hash")
	require.NoError(t, err)
	require.Len(t, stored, 64)
	// Reading Redis must not be enough to find the code: no unkeyed hash of any candidate matches.
	for n := range 1_000_000 {
		h := sha256.Sum256(fmt.Appendf(nil, "+923005550011:%06d", n))
		require.NotEqual(t, hex.EncodeToString(h[:]), stored, "the stored value is an unkeyed hash of code %06d", n)
	}
	res, body = env.Do("POST", host, "/api/v1/seller/login/verify", nil, `{"phone":"03005550011","code":"`+code+`"}`)
	require.Equal(t, 200, res.StatusCode, body)
}

func TestSellersSignInOnlyByWhatsAppAndUseTheirOwnNumber(t *testing.T) {
	t.Parallel()
	env, _ := start(t)
	tok := signIn(t, env, "03001112222")
	auth := bearer(tok)
	// Email sign-up, password login and anonymous accounts are not offered: without a session
	// they answer 401 (the signed-in group's catch-all), and no account appears.
	for _, p := range []string{"register", "login", "anonymous"} {
		res, body := env.Do("POST", host, "/api/v1/auth/"+p, nil, `{"email":"x@example.com","password":"a long password 123"}`)
		require.Contains(t, []int{401, 404}, res.StatusCode, "%s: %s", p, body)
	}
	var accounts int
	require.NoError(t, env.Mounted("snapify").DB.NewRaw("SELECT count(*) FROM users WHERE email IS NOT NULL OR anonymous").Scan(context.Background(), &accounts))
	require.Zero(t, accounts)
	rows := []testkit.Scenario{
		{Name: "a signed-in seller still has me", Host: host, Path: "/api/v1/auth/me", Header: auth, Status: 200},
		{Name: "another number is refused", Method: "POST", Host: host, Path: "/api/v1/stores", Header: auth,
			Body: `{"slug":"other-number","name":"Other","whatsapp_phone":"03219998888"}`, Status: 422, Contains: []string{`"code":"PHONE_NOT_VERIFIED"`, "+923001112222"}},
		{Name: "the signed-in number is the default", Method: "POST", Host: host, Path: "/api/v1/stores", Header: auth,
			Body: `{"slug":"shop-one","name":"Shop one"}`, Status: 201, Contains: []string{`"whatsapp_phone":"+923001112222"`}},
		{Name: "settings refuse another number too", Method: "PATCH", Host: host, Path: "/api/v1/stores/shop-one/settings", Header: auth,
			Body: `{"whatsapp_phone":"0321 9998888"}`, Status: 422, Contains: []string{`"code":"PHONE_NOT_VERIFIED"`}},
		{Name: "the own number in another spelling is fine", Method: "PATCH", Host: host, Path: "/api/v1/stores/shop-one/settings", Header: auth,
			Body: `{"whatsapp_phone":"0300 1112222"}`, Status: 200},
		{Name: "second store", Method: "POST", Host: host, Path: "/api/v1/stores", Header: auth, Body: `{"slug":"shop-two","name":"Shop two"}`, Status: 201},
		{Name: "third store", Method: "POST", Host: host, Path: "/api/v1/stores", Header: auth, Body: `{"slug":"shop-three","name":"Shop three"}`, Status: 201},
		{Name: "a fourth is over the cap", Method: "POST", Host: host, Path: "/api/v1/stores", Header: auth, Body: `{"slug":"shop-four","name":"Shop four"}`,
			Status: 409, Contains: []string{`"code":"STORE_LIMIT"`}},
	}
	env.Run(t, rows)
	var phones []string
	require.NoError(t, env.Mounted("snapify").DB.NewRaw("SELECT DISTINCT whatsapp_phone FROM stores").Scan(context.Background(), &phones))
	require.Equal(t, []string{"+923001112222"}, phones)
}

func TestStoresShowOnlyTheirOwnPictures(t *testing.T) {
	t.Parallel()
	env, _ := start(t)
	tokA, _ := newStore(t, env, "03001113331", "pic-a")
	tokB, _ := newStore(t, env, "03001113332", "pic-b")
	upload := func(slug, tok string) string {
		res, body := env.Do("POST", host, "/api/v1/stores/"+slug+"/images", map[string]string{"Authorization": "Bearer " + tok, "Content-Type": "image/png"}, pngOf(300, 300))
		require.Equal(t, 201, res.StatusCode, body)
		var out struct {
			Picture json.RawMessage `json:"picture"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &out))
		return string(out.Picture)
	}
	picA, picB := upload("pic-a", tokA), upload("pic-b", tokB)
	traversal := strings.Replace(picA, `"hash":"`, `"hash":"../../`, 1)
	env.Run(t, []testkit.Scenario{
		{Name: "B's picture on A's product", Method: "POST", Host: host, Path: "/api/v1/stores/pic-a/products", Header: bearer(tokA),
			Body: `{"title":"Borrowed","price_paisa":100,"images":[` + picB + `]}`, Status: 422, Contains: []string{`"code":"FOREIGN_IMAGE"`}},
		{Name: "a key that climbs out of A's prefix", Method: "POST", Host: host, Path: "/api/v1/stores/pic-a/products", Header: bearer(tokA),
			Body: `{"title":"Climbing","price_paisa":100,"images":[` + traversal + `]}`, Status: 422},
		{Name: "B's picture as A's logo", Method: "PATCH", Host: host, Path: "/api/v1/stores/pic-a/settings", Header: bearer(tokA),
			Body: `{"logo":` + picB + `}`, Status: 422, Contains: []string{`"code":"FOREIGN_IMAGE"`}},
		{Name: "A's own picture", Method: "POST", Host: host, Path: "/api/v1/stores/pic-a/products", Header: bearer(tokA),
			Body: `{"title":"Own shot","price_paisa":100,"images":[` + picA + `]}`, Status: 201},
		{Name: "A's own logo", Method: "PATCH", Host: host, Path: "/api/v1/stores/pic-a/settings", Header: bearer(tokA),
			Body: `{"logo":` + picA + `}`, Status: 200},
	})
	var n int
	require.NoError(t, env.Mounted("snapify").DB.NewRaw("SELECT count(*) FROM products").Scan(context.Background(), &n))
	require.Equal(t, 1, n)
}

func TestCachedPagesKeepTheirOriginWhateverTheHostHeader(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, publicURL, origin string
	}{
		{"configured", "https://snapify.pk", "https://snapify.pk"},
		{"unconfigured", "", "https://snapify.localhost"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env, _ := seeded(t, testkit.WithEnv("ALORIG_SNAPIFY_PUBLIC_URL", tc.publicURL))
			const product = "/ali-fabrics/embroidered-lawn-3-piece-suit-maroon"
			// The first request fills the cache with an odd Host: a port and capitals.
			for _, h := range []string{"SNAPIFY.localhost:1234", "snapify.localhost:1234"} {
				res, _ := env.Do("GET", h, product, nil, "")
				require.Equal(t, 200, res.StatusCode)
				res, _ = env.Do("GET", h, "/ali-fabrics", nil, "")
				require.Equal(t, 200, res.StatusCode)
			}
			res, _ := env.Do("GET", "Shop.KarachiGadgets.PK:1234", "/fast-charger-33w", nil, "")
			require.Equal(t, 200, res.StatusCode)
			env.Run(t, []testkit.Scenario{
				{Name: "product", Host: host, Path: product, Status: 200,
					Contains:    []string{`rel="canonical" href="` + tc.origin + product + `"`, `og:url" content="` + tc.origin + product + `"`},
					NotContains: []string{":1234", "SNAPIFY"}},
				{Name: "store home", Host: host, Path: "/ali-fabrics", Status: 200,
					Contains: []string{`rel="canonical" href="` + tc.origin + `/ali-fabrics"`}, NotContains: []string{":1234", "SNAPIFY"}},
				{Name: "custom domain", Host: "shop.karachigadgets.pk", Path: "/fast-charger-33w", Status: 200,
					Contains:    []string{`rel="canonical" href="https://shop.karachigadgets.pk/fast-charger-33w"`},
					NotContains: []string{":1234", "KarachiGadgets.PK"}},
				{Name: "robots", Host: "Snapify.localhost:1234", Path: "/robots.txt", Status: 200,
					Contains: []string{"Sitemap: " + tc.origin + "/sitemap.xml"}},
			})
		})
	}
}

// Made-up Host headers cost nothing in Redis: the custom-domain lookup caches only the names a
// store has proven, while the dispatcher keeps its "no" answers in bounded memory.
func TestUnknownHostsLeaveNoRedisKeys(t *testing.T) {
	t.Parallel()
	env, _ := seeded(t)
	kv := env.Mounted("snapify").KV
	ctx := context.Background()
	before, err := kv.Keys(ctx, "*")
	require.NoError(t, err)
	for i := 0; i < 50; i++ {
		res, _ := env.Do("GET", fmt.Sprintf("unknown-%d-%d.example", i, time.Now().UnixNano()), "/", nil, "")
		require.Equal(t, http.StatusNotFound, res.StatusCode)
	}
	after, err := kv.Keys(ctx, "*")
	require.NoError(t, err)
	require.ElementsMatch(t, before, after, "unknown hosts created Redis keys")

	// A proven Pro domain is still served, and its answer cached.
	res, _ := env.Do("GET", "shop.karachigadgets.pk", "/", nil, "")
	require.Equal(t, http.StatusOK, res.StatusCode)
	n, err := kv.Exists(ctx, "domain:shop.karachigadgets.pk")
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
}
