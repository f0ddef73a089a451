package web

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// pageResponder answers GET /page on its host from memory and declines everything else.
type pageResponder struct{ calls atomic.Int64 }

func (p *pageResponder) ServeHot(_ context.Context, r *HotRequest, w *HotResponse) bool {
	if r.Path != "/page" {
		return false
	}
	p.calls.Add(1)
	if r.IfNoneMatch == `"v1"` {
		*w = HotResponse{Status: http.StatusNotModified, Header: []HotHeader{{"Etag", `"v1"`}}}
		return true
	}
	*w = HotResponse{Status: http.StatusOK, Header: []HotHeader{{"Etag", `"v1"`}, {"Content-Type", "text/html; charset=utf-8"}},
		Body: []byte("hot page for " + r.RealIP())}
	return true
}

// hotServer runs net/http behind a HotListener; net/http's handler marks its answers.
func hotServer(t *testing.T, trusted ...netip.Prefix) (addr string, resp *pageResponder, l *HotListener) {
	t.Helper()
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	resp = &pageResponder{}
	l = NewHotListener(inner, HotOptions{Routes: []HotRoute{{Module: "shop", Route: "/*", Hosts: []string{"shop.test"}, Responder: resp}},
		Header:         SourceOffer{}.Headers(),
		TrustedProxies: trusted, ReadHeaderTimeout: 2 * time.Second, IdleTimeout: 5 * time.Second})
	srv := &http.Server{ConnContext: ConnContext, Handler: HotHandoff(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Served-By", "net/http")
		_, _ = io.WriteString(w, r.Method+" "+r.URL.RequestURI()+" body="+string(body))
	}))}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		if err := <-done; err != http.ErrServerClosed && !errors.Is(err, net.ErrClosed) {
			t.Errorf("Serve returned %v, want ErrServerClosed", err)
		}
	})
	return inner.Addr().String(), resp, l
}

type rawClient struct {
	c net.Conn
	r *bufio.Reader
}

func dial(t *testing.T, addr string) *rawClient {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	return &rawClient{c: c, r: bufio.NewReader(c)}
}

func (rc *rawClient) send(t *testing.T, raw string) {
	t.Helper()
	if _, err := io.WriteString(rc.c, raw); err != nil {
		t.Fatal(err)
	}
}

func (rc *rawClient) read(t *testing.T, method string) (*http.Response, string) {
	t.Helper()
	res, err := http.ReadResponse(rc.r, &http.Request{Method: method})
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

func TestHotPathAnswersFromMemoryWithThePlatformHeaders(t *testing.T) {
	addr, resp, _ := hotServer(t)
	rc := dial(t, addr)
	rc.send(t, "GET /page HTTP/1.1\r\nHost: Shop.TEST:8080\r\nUser-Agent: t\r\n\r\n")
	res, body := rc.read(t, http.MethodGet)
	if res.StatusCode != 200 || body != "hot page for 127.0.0.1" || res.Header.Get("X-Served-By") != "" {
		t.Fatalf("got %d %q served by %q, want the hot answer", res.StatusCode, body, res.Header.Get("X-Served-By"))
	}
	for _, h := range securityHeaders(false) {
		if got := res.Header.Get(h.Name); got != h.Value {
			t.Errorf("%s = %q, want %q", h.Name, got, h.Value)
		}
	}
	if got := res.Header.Get("Link"); got != `</source>; rel="license"` {
		t.Errorf("Link = %q, want the source offer's", got)
	}
	if res.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS outside production")
	}
	if !validRequestID(res.Header.Get("X-Request-Id")) || res.Header.Get("Date") == "" || res.ContentLength != int64(len(body)) {
		t.Errorf("request id %q, date %q, length %d", res.Header.Get("X-Request-Id"), res.Header.Get("Date"), res.ContentLength)
	}

	// Pipelined: a 304, a HEAD and a GET in one write, answered in order on the hot path.
	rc.send(t, "GET /page HTTP/1.1\r\nHost: shop.test\r\nIf-None-Match: \"v1\"\r\nX-Request-ID: trace-7\r\n\r\n"+
		"HEAD /page HTTP/1.1\r\nHost: shop.test\r\n\r\n"+
		"GET /page HTTP/1.1\r\nHost: shop.test\r\nConnection: close\r\n\r\n")
	res, body = rc.read(t, http.MethodGet)
	if res.StatusCode != 304 || body != "" || res.Header.Get("Etag") != `"v1"` || res.Header.Get("X-Request-Id") != "trace-7" {
		t.Fatalf("conditional: %d %q etag %q id %q", res.StatusCode, body, res.Header.Get("Etag"), res.Header.Get("X-Request-Id"))
	}
	res, body = rc.read(t, http.MethodHead)
	if res.StatusCode != 200 || body != "" || res.ContentLength != int64(len("hot page for 127.0.0.1")) {
		t.Fatalf("HEAD: %d %q length %d", res.StatusCode, body, res.ContentLength)
	}
	res, _ = rc.read(t, http.MethodGet)
	if !res.Close {
		t.Error("Connection: close was not honoured")
	}
	if n, err := rc.r.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		t.Errorf("after Connection: close read %d, %v; want EOF", n, err)
	}
	if resp.calls.Load() != 4 {
		t.Errorf("responder called %d times, want 4", resp.calls.Load())
	}
}

func TestHotPathHandsEverythingElseToNetHTTPByteForByte(t *testing.T) {
	addr, resp, _ := hotServer(t)
	cases := []struct{ name, raw, method, want string }{
		{"declined by the responder", "GET /other HTTP/1.1\r\nHost: shop.test\r\n\r\n", "GET", "GET /other body="},
		{"another host", "GET /page HTTP/1.1\r\nHost: elsewhere.test\r\n\r\n", "GET", "GET /page body="},
		{"a query", "GET /page?x=1 HTTP/1.1\r\nHost: shop.test\r\n\r\n", "GET", "GET /page?x=1 body="},
		{"an escape", "GET /pa%67e HTTP/1.1\r\nHost: shop.test\r\n\r\n", "GET", "GET /pa%67e body="},
		{"a body", "GET /page HTTP/1.1\r\nHost: shop.test\r\nContent-Length: 5\r\n\r\nhello", "GET", "GET /page body=hello"},
		{"a POST", "POST /page HTTP/1.1\r\nHost: shop.test\r\nContent-Length: 2\r\n\r\nok", "POST", "POST /page body=ok"},
		{"chunked", "GET /page HTTP/1.1\r\nHost: shop.test\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", "GET", "GET /page body=abc"},
		{"HTTP/1.0", "GET /page HTTP/1.0\r\nHost: shop.test\r\n\r\n", "GET", "GET /page body="},
		{"the source offer", "GET /source HTTP/1.1\r\nHost: shop.test\r\n\r\n", "GET", "GET /source body="},
		{"a platform path", "GET /healthz HTTP/1.1\r\nHost: shop.test\r\n\r\n", "GET", "GET /healthz body="},
		{"a big head", "GET /page HTTP/1.1\r\nHost: shop.test\r\nCookie: " + strings.Repeat("c", 10<<10) + "\r\n\r\n", "GET", "GET /page body="},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := resp.calls.Load()
			rc := dial(t, addr)
			rc.send(t, tc.raw)
			res, body := rc.read(t, tc.method)
			if res.Header.Get("X-Served-By") != "net/http" || body != tc.want {
				t.Fatalf("got %d %q by %q, want net/http's %q", res.StatusCode, body, res.Header.Get("X-Served-By"), tc.want)
			}
			if res.Close { // HTTP/1.0
				return
			}
			// The connection stays with net/http, hot-looking requests included.
			rc.send(t, "GET /page HTTP/1.1\r\nHost: shop.test\r\n\r\n")
			if res, _ := rc.read(t, http.MethodGet); res.Header.Get("X-Served-By") != "net/http" {
				t.Error("a handed-over connection came back to the hot path")
			}
			if tc.name != "declined by the responder" && resp.calls.Load() != before {
				t.Error("the responder was asked about a request that is not the hot path's")
			}
		})
	}
}

func TestHotPathLeavesMalformedRequestsToNetHTTPsChecks(t *testing.T) {
	addr, resp, _ := hotServer(t)
	for name, tc := range map[string]struct {
		raw    string
		status int
	}{
		"space in a header name": {"GET /page HTTP/1.1\r\nHost: shop.test\r\nBad Name: x\r\n\r\n", http.StatusBadRequest},
		"two hosts":              {"GET /page HTTP/1.1\r\nHost: shop.test\r\nHost: other.test\r\n\r\n", http.StatusBadRequest},
		"no host":                {"GET /page HTTP/1.1\r\n\r\n", http.StatusBadRequest},
		// net/http still unfolds obsolete line folding; it answers, the hot path does not.
		"folded header": {"GET /page HTTP/1.1\r\nHost: shop.test\r\nX-A: a\r\n b\r\n\r\n", http.StatusOK},
	} {
		t.Run(name, func(t *testing.T) {
			rc := dial(t, addr)
			rc.send(t, tc.raw)
			res, _ := rc.read(t, http.MethodGet)
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want net/http's %d", res.StatusCode, tc.status)
			}
		})
	}
	if resp.calls.Load() != 0 {
		t.Errorf("the responder answered %d malformed requests", resp.calls.Load())
	}
}

func TestHotPathClosesAProxysHandedConnectionAfterItsAnswer(t *testing.T) {
	for _, tc := range []struct {
		name      string
		trusted   []netip.Prefix
		wantClose bool
	}{
		{"from a trusted proxy", []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, true},
		{"from a client", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr, _, _ := hotServer(t, tc.trusted...)
			rc := dial(t, addr)
			rc.send(t, "GET /page HTTP/1.1\r\nHost: shop.test\r\nX-Forwarded-For: 203.0.113.9\r\n\r\n")
			res, body := rc.read(t, http.MethodGet)
			wantIP := "127.0.0.1"
			if tc.trusted != nil {
				wantIP = "203.0.113.9"
			}
			if body != "hot page for "+wantIP {
				t.Errorf("hot answer %q, want the client address %s", body, wantIP)
			}
			rc.send(t, "POST /order HTTP/1.1\r\nHost: shop.test\r\nContent-Length: 0\r\n\r\n")
			res, _ = rc.read(t, http.MethodPost)
			if res.Header.Get("X-Served-By") != "net/http" || res.Close != tc.wantClose {
				t.Errorf("served by %q, close %v; want net/http, close %v", res.Header.Get("X-Served-By"), res.Close, tc.wantClose)
			}
		})
	}
}

func TestHotListenerCloseEndsIdleHotConnections(t *testing.T) {
	addr, _, l := hotServer(t)
	rc := dial(t, addr)
	rc.send(t, "GET /page HTTP/1.1\r\nHost: shop.test\r\n\r\n")
	rc.read(t, http.MethodGet)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if n, err := rc.r.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		t.Errorf("idle hot connection after Close: read %d, %v; want EOF", n, err)
	}
	if _, err := l.Accept(); err == nil {
		t.Error("Accept after Close succeeded")
	}
}

func TestParseHotHeadRefusesWhatItDoesNotUnderstand(t *testing.T) {
	for _, raw := range []string{
		"GET http://shop.test/page HTTP/1.1\r\nHost: shop.test\r\n\r\n",
		"GET /page HTTP/1.1\r\nHost: shop.test\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n",
		"GET /page HTTP/1.1\r\nHost: shop.test\r\nExpect: 100-continue\r\n\r\n",
		"GET /page HTTP/1.1\r\nHost: shop.test\r\nAccept-Encoding: gzip\r\nAccept-Encoding: br\r\n\r\n",
		"GET /page HTTP/1.1\r\nHost: shop_test\r\n\r\n",
		"GET /page HTTP/1.1\r\nHost: shop.test\r\nX-A: a\x00b\r\n\r\n",
		"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
		"DELETE /page HTTP/1.1\r\nHost: shop.test\r\n\r\n",
	} {
		if _, _, hot := parseHotHead([]byte(raw)); hot {
			t.Errorf("hot path took %q", raw)
		}
	}
	req, keep, hot := parseHotHead([]byte("HEAD /a-b/c.d HTTP/1.1\r\nhost: A.Shop.test\r\naccept-encoding: br, gzip\r\nCONNECTION: Keep-Alive\r\nCF-IPCity: Lahore\r\n\r\n"))
	if !hot || !keep || !req.Head || req.Host != "a.shop.test" || req.Path != "/a-b/c.d" || req.AcceptEncoding != "br, gzip" || req.CFIPCity != "Lahore" {
		t.Errorf("parsed %+v keep %v hot %v", req, keep, hot)
	}
}
