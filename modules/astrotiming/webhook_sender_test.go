package astrotiming_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync/atomic"
	"testing"

	"github.com/alorig/alorig/modules/astrotiming"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

// loopback is the allow-list tests give the webhook sender for their own receivers.
var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

func TestWebhookDialRefusesEverySpecialPurposeRangeAndPort(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{
		"127.0.0.1:443", "10.1.2.3:443", "172.16.0.1:443", "192.168.1.1:443", "169.254.169.254:80",
		"100.64.0.1:443", "100.127.255.254:443", // carrier-grade NAT
		"192.0.0.8:443", "198.18.0.1:443", "198.19.255.1:443", // IETF assignments, benchmarking
		"192.0.2.1:443", "198.51.100.1:443", "203.0.113.1:443", // documentation
		"0.0.0.0:443", "224.0.0.1:443", "240.0.0.1:443", "255.255.255.255:443",
		"[::1]:443", "[::]:443", "[fe80::1]:443", "[fc00::1]:443", "[fd12::1]:443", "[ff02::1]:443",
		"[2001:db8::1]:443",                                                // documentation
		"[::ffff:10.0.0.1]:443",                                            // IPv4-mapped, checked as IPv4
		"[::ffff:127.0.0.1]:80",                                            //
		"[64:ff9b::a00:1]:443",                                             // NAT64 of 10.0.0.1
		"[64:ff9b::5db8:d822]:443",                                         // NAT64 even of a public address
		"[64:ff9b:1::1]:443",                                               // local-use NAT64
		"[2001:0:4136:e378:8000:63bf:3fff:fdd2]:443",                       // Teredo
		"[2002:a00:1::1]:443",                                              // 6to4 carrying 10.0.0.1
		"[2002:7f00:1::1]:443",                                             // 6to4 carrying 127.0.0.1
		"93.184.216.34:8080", "93.184.216.34:22", "[2606:2800:220:1::]:25", // public, wrong port
	} {
		require.Error(t, astrotiming.WebhookDialAllowed(addr), addr)
	}
	for _, addr := range []string{"93.184.216.34:443", "93.184.216.34:80", "[2606:2800:220:1::]:443", "[2002:5db8:d822::1]:443", "8.8.8.8:443"} {
		require.NoError(t, astrotiming.WebhookDialAllowed(addr), addr)
	}
	// A name is checked by what it resolves to, when the connection is made.
	require.ErrorContains(t, astrotiming.DialCheck("http://localhost/"), "not a public address")
}

// In development too, a registered webhook whose address is not public gets no delivery: the
// check is made when dialling, whatever the URL said when it was registered.
func TestWebhookDeliveryRefusesPrivateAddressesInEveryEnvironment(t *testing.T) {
	t.Parallel()
	env, m := start(t)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { hits.Add(1) }))
	defer srv.Close()
	key := newKey(t, env, register(t, env), "developer")
	body := `{"url":"` + srv.URL + `/hook","activity":"writing","lat":31.5497,"lng":74.3436,"tz":"Asia/Karachi","min_score":45,"days":3,"limit":1}`

	res, out := env.Do("POST", host, "/api/v1/webhooks", apiKey(key), body)
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode, "a loopback URL is refused at registration: %s", out)
	require.Contains(t, out, `"field":"url"`)

	m.AllowWebhookTargets(loopback...) // registered while the test's receiver is allowed ...
	res, out = env.Do("POST", host, "/api/v1/webhooks", apiKey(key), body)
	require.Equal(t, http.StatusCreated, res.StatusCode, out)
	m.AllowWebhookTargets() // ... then delivered under the real rules
	args := scheduledDeliveries(t, env)
	require.NotEmpty(t, args)
	err := m.DeliverWebhook(context.Background(), args[0].WebhookID, args[0].Window)
	require.ErrorContains(t, err, "not a public address")
	require.Zero(t, hits.Load(), "nothing reached the private address")
}

// A redirect is the answer, not an instruction: a 307 would re-send the signed body elsewhere.
func TestWebhookRedirectIsAFailedDelivery(t *testing.T) {
	t.Parallel()
	env, m := start(t)
	m.AllowWebhookTargets(loopback...)
	var elsewhere atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { elsewhere.Add(1) }))
	defer target.Close()
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/stolen", http.StatusTemporaryRedirect)
	}))
	defer redirector.Close()
	key := newKey(t, env, register(t, env), "developer")
	res, out := env.Do("POST", host, "/api/v1/webhooks", apiKey(key),
		`{"url":"`+redirector.URL+`/hook","activity":"writing","lat":31.5497,"lng":74.3436,"tz":"Asia/Karachi","min_score":45,"days":3,"limit":1}`)
	require.Equal(t, http.StatusCreated, res.StatusCode, out)
	args := scheduledDeliveries(t, env)
	require.NotEmpty(t, args)
	require.ErrorContains(t, m.DeliverWebhook(context.Background(), args[0].WebhookID, args[0].Window), "HTTP 307")
	require.Zero(t, elsewhere.Load(), "the redirect was not followed")
}

func TestWebhookRegistrationRefusesUndeliverableURLs(t *testing.T) {
	t.Parallel()
	env, _ := start(t)
	key := newKey(t, env, register(t, env), "developer")
	for url, reason := range map[string]string{
		"http://10.0.0.1/hook":          "not a public address",
		"https://100.64.0.1/hook":       "not a public address",
		"https://198.18.0.1/hook":       "not a public address",
		"https://[::ffff:127.0.0.1]/h":  "not a public address",
		"https://[64:ff9b::a00:1]/h":    "not a public address",
		"https://localhost/hook":        "not a public address",
		"https://example.com:8443/hook": "port 8443 is not allowed",
		"http://93.184.216.34:22/":      "port 22 is not allowed",
		"ftp://example.com/hook":        "absolute http(s) URL",
		"https://user:pw@example.com/h": "user name or password",
	} {
		res, out := env.Do("POST", host, "/api/v1/webhooks", apiKey(key),
			`{"url":"`+url+`","activity":"writing","lat":31.5497,"lng":74.3436,"tz":"Asia/Karachi","min_score":45,"days":3,"limit":1}`)
		require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode, "%s: %s", url, out)
		p := decode[struct {
			Errors []struct{ Field, Reason string } `json:"errors"`
		}](t, out)
		require.Len(t, p.Errors, 1, out)
		require.Equal(t, "url", p.Errors[0].Field)
		require.Contains(t, p.Errors[0].Reason, reason, url)
	}
	res, body := env.Do("GET", host, "/api/v1/webhooks", apiKey(key), "")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.JSONEq(t, `{"webhooks":[]}`, body, "nothing was stored")

	// Production takes https only; development also plain http to a public name.
	require.ErrorContains(t, astrotiming.CheckWebhookURL("http://example.com/hook", true), "must use https")
	require.NoError(t, astrotiming.CheckWebhookURL("https://example.com/hook", true))
	require.NoError(t, astrotiming.CheckWebhookURL("http://example.com:80/hook", false))
}

// scheduledDeliveries reads the delivery jobs createWebhook queued.
func scheduledDeliveries(t *testing.T, env *testkit.Env) []astrotiming.WebhookArgs {
	t.Helper()
	var raw []json.RawMessage
	require.NoError(t, env.Mounted("astrotiming").DB.NewRaw(
		"SELECT args FROM river_job WHERE kind = 'astrotiming.deliver_webhook' ORDER BY id").Scan(context.Background(), &raw))
	out := make([]astrotiming.WebhookArgs, len(raw))
	for i, r := range raw {
		require.NoError(t, json.Unmarshal(r, &out[i]))
	}
	return out
}
