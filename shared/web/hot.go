package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
)

// The hot path answers the requests a module already holds whole in memory (Snapify's cached
// store pages) straight from the connection, before net/http and echo; every other request is
// handed to net/http with its connection.
//
// Why: a cached product page costs nginx, serving the same gzip bytes from disk, about a
// third of what it costs net/http just to read the request into an *http.Request, fill the
// header map, wake a handler goroutine and write the answer through its buffer, before any
// middleware runs. Pages shared in WhatsApp groups arrive in bursts of thousands a second;
// the hot path serves them at the speed of static files (docs/snapify.md has the figures).
//
// What it answers: only GET and HEAD in HTTP/1.1 with an origin-form target that has no
// query and no percent-escapes, a single Host, and nothing that asks for more than a plain
// answer (no body, no Content-Length or Transfer-Encoding, no Upgrade, no Expect, no
// HTTP/2 preface, no folded or malformed header). Anything else, and anything a responder
// declines, goes to net/http byte for byte as it arrived, with every check net/http makes.
// The answer carries what the middleware chain would have added (request id, security
// headers, Date) and is counted and logged as that chain does.
//
// A connection handed to net/http stays there for the rest of its life, since net/http
// cannot give it back. A connection from a trusted proxy (Caddy in front, which keeps a pool
// of connections and sends any request down any of them) is closed after the one answer
// net/http gives instead, so the proxy's next connection starts on the hot path again: one
// cheap reconnect on the private network for each request that needed the full stack.

// HotRequest is what a responder sees of a request. Its strings are copies; a responder may
// keep them.
type HotRequest struct {
	Head           bool   // HEAD: the answer's headers only
	Host           string // lower-case, without port
	Path           string // origin-form, no query, no percent-escapes
	AcceptEncoding string
	IfNoneMatch    string
	UserAgent      string
	Referer        string
	CFIPCity       string // Cloudflare's city header, when a proxy set it
	forwardedFor   string
	requestID      string
	peer           string
	realIP         func(*http.Request) string
}

// RealIP is the client's address as echo's IPExtractor of the module would give it: the peer,
// or X-Forwarded-For when the peer is a trusted proxy.
func (r *HotRequest) RealIP() string {
	if r.forwardedFor == "" {
		host, _, err := net.SplitHostPort(r.peer)
		if err != nil {
			return r.peer
		}
		return host
	}
	return r.realIP(&http.Request{RemoteAddr: r.peer, Header: http.Header{"X-Forwarded-For": {r.forwardedFor}}})
}

// HotResponse is a responder's answer. The listener adds Date, Content-Length, the request
// id and the security headers.
type HotResponse struct {
	Status int // 200 or 304
	Header []HotHeader
	Body   []byte // what GET sends; HEAD sends only its length
}

// HotHeader is one header line.
type HotHeader struct{ Name, Value string }

// HotResponder answers the requests it holds in memory: it fills w and reports true, or
// reports false to leave the request (and its connection) to net/http.
type HotResponder interface {
	ServeHot(ctx context.Context, r *HotRequest, w *HotResponse) bool
}

// HotRoute is one module's responder with what the module's middleware would use.
type HotRoute struct {
	Module    string
	Hosts     []string // the exact host names the dispatcher mounts the module's echo at
	Route     string   // the route label its answers are counted under ("/*")
	Log       *slog.Logger
	Responder HotResponder
}

// HotOptions configures a HotListener.
type HotOptions struct {
	Routes     []HotRoute
	Production bool // adds Strict-Transport-Security, as SecurityHeaders does
	// Header is added to every answer, as handlers wrapping the dispatcher add it to theirs
	// (the source offer's Link).
	Header         []HotHeader
	TrustedProxies []netip.Prefix
	Metrics        *Metrics
	// ReadHeaderTimeout, IdleTimeout and WriteTimeout mirror the http.Server's (platform.NewServer).
	ReadHeaderTimeout time.Duration
	IdleTimeout       time.Duration
	WriteTimeout      time.Duration
	// Lookup bounds a responder's work on a request (a Redis read on a page the process has
	// not served in the last second).
	Lookup time.Duration
}

// hotHeadMax is the largest request head the hot path reads; a longer one goes to net/http,
// which applies the server's own MaxHeaderBytes.
const hotHeadMax = 8 << 10

// HotListener wraps a listener: it serves the hot path on every accepted connection and
// returns from Accept only the connections it hands to net/http.
type HotListener struct {
	inner   net.Listener
	o       HotOptions
	trusted []netip.Prefix
	realIP  func(*http.Request) string
	secure  []byte // the security headers, ready to write
	byHost  map[string]*HotRoute

	handed    chan net.Conn
	acceptErr chan error
	done      chan struct{}
	closeOnce sync.Once
	closed    atomic.Bool

	mu    sync.Mutex
	conns map[*hotConn]struct{}

	date    atomic.Pointer[hotDate]
	answers atomic.Int64
}

// Answers counts the requests answered on the hot path.
func (l *HotListener) Answers() int64 { return l.answers.Load() }

type hotDate struct {
	sec  int64
	line []byte // "Date: ...\r\n"
}

// NewHotListener starts accepting on inner. With no routes it is a plain pass-through.
func NewHotListener(inner net.Listener, o HotOptions) *HotListener {
	if o.ReadHeaderTimeout <= 0 {
		o.ReadHeaderTimeout = 10 * time.Second
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = 2 * time.Minute
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = time.Minute
	}
	if o.Lookup <= 0 {
		o.Lookup = 2 * time.Second
	}
	l := &HotListener{inner: inner, o: o, trusted: o.TrustedProxies, realIP: IPExtractor(o.TrustedProxies),
		handed: make(chan net.Conn), acceptErr: make(chan error, 1), done: make(chan struct{}),
		conns: map[*hotConn]struct{}{}}
	l.byHost = map[string]*HotRoute{}
	for i := range o.Routes {
		for _, h := range o.Routes[i].Hosts {
			l.byHost[strings.ToLower(h)] = &o.Routes[i]
		}
	}
	var sec bytes.Buffer
	for _, h := range append(securityHeaders(o.Production), o.Header...) {
		sec.WriteString(h.Name + ": " + h.Value + "\r\n")
	}
	l.secure = sec.Bytes()
	go l.acceptLoop()
	return l
}

// securityHeaders are the headers SecurityHeaders sets on every answer.
func securityHeaders(production bool) []HotHeader {
	h := []HotHeader{
		{"X-Content-Type-Options", "nosniff"},
		{"Referrer-Policy", "strict-origin-when-cross-origin"},
		{"X-Frame-Options", "DENY"},
		{"Content-Security-Policy", contentSecurityPolicy},
	}
	if production {
		h = append(h, HotHeader{"Strict-Transport-Security", "max-age=63072000; includeSubDomains"})
	}
	return h
}

func (l *HotListener) acceptLoop() {
	var backoff time.Duration
	for {
		c, err := l.inner.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() && !l.closed.Load() { // as net/http's Serve does
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				time.Sleep(backoff)
				continue
			}
			l.acceptErr <- err
			return
		}
		backoff = 0
		if len(l.o.Routes) == 0 {
			if !l.handOver(c) {
				c.Close()
			}
			continue
		}
		go l.serve(c)
	}
}

// Accept returns the next connection for net/http.
func (l *HotListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.handed:
		return c, nil
	case err := <-l.acceptErr:
		l.acceptErr <- err // every later Accept sees it too
		return nil, err
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// Close stops accepting and closes the hot path's idle connections; one in the middle of an
// answer finishes it first.
func (l *HotListener) Close() error {
	var err error
	l.closeOnce.Do(func() {
		l.closed.Store(true)
		close(l.done)
		err = l.inner.Close()
		l.mu.Lock()
		for hc := range l.conns {
			_ = hc.c.SetReadDeadline(time.Now()) // wakes a read; the loop sees closed and leaves
		}
		l.mu.Unlock()
	})
	return err
}

// Addr is the inner listener's address.
func (l *HotListener) Addr() net.Addr { return l.inner.Addr() }

func (l *HotListener) handOver(c net.Conn) bool {
	select {
	case l.handed <- c:
		return true
	case <-l.done:
		return false
	}
}

// hotConn is one connection on the hot path.
type hotConn struct {
	c      net.Conn
	peer   string
	buf    []byte // request bytes read and not yet answered
	out    []byte // the answer being built
	served int
}

func (l *HotListener) serve(c net.Conn) {
	hc := &hotConn{c: c, peer: c.RemoteAddr().String(), buf: make([]byte, 0, 4<<10)}
	l.mu.Lock()
	l.conns[hc] = struct{}{}
	l.mu.Unlock()
	handed := false
	defer func() {
		l.mu.Lock()
		delete(l.conns, hc)
		l.mu.Unlock()
		if !handed {
			c.Close()
		}
	}()
	defer func() {
		if r := recover(); r != nil {
			slog.Error("panic on the hot path", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		}
	}()
	for !l.closed.Load() {
		head, done := hc.readHead(l)
		if done {
			return
		}
		if head == 0 {
			break
		}
		req, keep, hot := parseHotHead(hc.buf[:head])
		if hot {
			req.peer, req.realIP = hc.peer, l.realIP
			answered, err := l.answer(hc, req, keep)
			if err != nil {
				return
			}
			if answered {
				hc.buf = hc.buf[:copy(hc.buf, hc.buf[head:])]
				hc.served++
				if !keep {
					return
				}
				continue
			}
		}
		break
	}
	if l.closed.Load() {
		return
	}
	// Clear the hot path's deadlines: net/http sets its own.
	_ = c.SetDeadline(time.Time{})
	handed = l.handOver(&handedConn{Conn: c, pending: hc.buf, closeAfter: hc.served > 0 && l.fromTrustedProxy(hc.peer)})
}

// readHead reads until hc.buf holds a whole request head and returns its length. It reports
// done when the connection is over (closed, or idle or slow past its timeouts), and a head of
// 0 with done false when the bytes are not a head the hot path reads (longer than
// hotHeadMax, or not starting like a request line): net/http gets those.
func (hc *hotConn) readHead(l *HotListener) (head int, done bool) {
	o := l.o
	if i := bytes.Index(hc.buf, crlfcrlf); i >= 0 {
		return i + 4, false
	}
	// Close wakes idle reads by moving the deadline to now; checking after setting ours
	// closes the race with a Close that came just before.
	if err := hc.c.SetReadDeadline(time.Now().Add(o.IdleTimeout)); err != nil || l.closed.Load() {
		return 0, true
	}
	started := len(hc.buf) > 0
	for {
		if len(hc.buf) == cap(hc.buf) {
			if cap(hc.buf) >= hotHeadMax {
				return 0, false
			}
			hc.buf = append(hc.buf, make([]byte, cap(hc.buf))...)[:len(hc.buf)]
		}
		n, err := hc.c.Read(hc.buf[len(hc.buf):cap(hc.buf)])
		from := max(len(hc.buf)-3, 0)
		hc.buf = hc.buf[:len(hc.buf)+n]
		if len(hc.buf) > 0 && (hc.buf[0] < 'A' || hc.buf[0] > 'Z') {
			return 0, false // a TLS handshake, stray bytes: net/http says what is wrong
		}
		if i := bytes.Index(hc.buf[from:], crlfcrlf); i >= 0 {
			return from + i + 4, false
		}
		if err != nil {
			return 0, true
		}
		if !started && n > 0 {
			started = true
			if err := hc.c.SetReadDeadline(time.Now().Add(o.ReadHeaderTimeout)); err != nil {
				return 0, true
			}
		}
	}
}

var crlfcrlf = []byte("\r\n\r\n")

func (l *HotListener) fromTrustedProxy(peer string) bool {
	if len(l.trusted) == 0 {
		return false
	}
	ap, err := netip.ParseAddrPort(peer)
	if err != nil {
		return false
	}
	for _, p := range l.trusted {
		if p.Contains(ap.Addr().Unmap()) {
			return true
		}
	}
	return false
}

// answer asks the responder of the request's host; false leaves the request to net/http.
func (l *HotListener) answer(hc *hotConn, req *HotRequest, keep bool) (bool, error) {
	rt := l.byHost[req.Host]
	if rt == nil || platformPath(req.Path) {
		return false, nil
	}
	start := time.Now()
	var w HotResponse
	ctx, cancel := context.WithTimeout(context.Background(), l.o.Lookup)
	ok := rt.Responder.ServeHot(ctx, req, &w)
	cancel()
	if !ok {
		return false, nil
	}
	reqID := req.requestID
	if !validRequestID(reqID) {
		reqID = newRequestID()
	}
	hc.out = l.appendAnswer(hc.out[:0], start, req, &w, reqID, keep)
	if err := hc.c.SetWriteDeadline(start.Add(l.o.WriteTimeout)); err != nil {
		return true, err
	}
	_, err := hc.c.Write(hc.out)
	l.answers.Add(1)
	d := time.Since(start)
	if l.o.Metrics != nil {
		l.o.Metrics.observe(rt.Module, rt.Route, w.Status, d)
	}
	if rt.Log != nil && rt.Log.Enabled(context.Background(), slog.LevelInfo) {
		method := http.MethodGet
		if req.Head {
			method = http.MethodHead
		}
		rt.Log.LogAttrs(context.Background(), slog.LevelInfo, "request",
			slog.String("method", method), slog.String("route", rt.Route), slog.String("path", req.Path),
			slog.Int("status", w.Status), slog.Duration("duration", d), slog.String("request_id", reqID),
			slog.String("ip", req.RealIP()), slog.Bool("hot", true))
	}
	return true, err
}

// platformPath is a path the dispatcher answers itself on every host.
func platformPath(p string) bool {
	return p == "/healthz" || p == "/readyz" || p == "/internal/tls/ask" || p == SourcePath
}

func (l *HotListener) appendAnswer(b []byte, now time.Time, req *HotRequest, w *HotResponse, reqID string, keep bool) []byte {
	b = append(b, "HTTP/1.1 "...)
	b = strconv.AppendInt(b, int64(w.Status), 10)
	b = append(b, ' ')
	b = append(b, http.StatusText(w.Status)...)
	b = append(b, "\r\n"...)
	for _, h := range w.Header {
		b = append(b, h.Name...)
		b = append(b, ": "...)
		b = append(b, h.Value...)
		b = append(b, "\r\n"...)
	}
	b = append(b, l.secure...)
	b = append(b, echo.HeaderXRequestID+": "...)
	b = append(b, reqID...)
	b = append(b, "\r\n"...)
	b = append(b, l.dateLine(now)...)
	if !keep {
		b = append(b, "Connection: close\r\n"...)
	}
	if w.Status != http.StatusNotModified {
		b = append(b, "Content-Length: "...)
		b = strconv.AppendInt(b, int64(len(w.Body)), 10)
		b = append(b, "\r\n"...)
	}
	b = append(b, "\r\n"...)
	if !req.Head && w.Status != http.StatusNotModified {
		b = append(b, w.Body...)
	}
	return b
}

func (l *HotListener) dateLine(now time.Time) []byte {
	sec := now.Unix()
	if d := l.date.Load(); d != nil && d.sec == sec {
		return d.line
	}
	d := &hotDate{sec: sec, line: []byte("Date: " + now.UTC().Format(http.TimeFormat) + "\r\n")}
	l.date.Store(d)
	return d.line
}

// parseHotHead reads a request head (request line and headers, ending in the blank line) and
// reports whether the hot path may answer it, and whether the connection stays open after.
func parseHotHead(head []byte) (req *HotRequest, keep bool, hot bool) {
	line, rest, _ := bytes.Cut(head, crlf)
	method, line, ok1 := bytes.Cut(line, sp)
	target, proto, ok2 := bytes.Cut(line, sp)
	if !ok1 || !ok2 || string(proto) != "HTTP/1.1" || !hotTarget(target) {
		return nil, false, false
	}
	req = &HotRequest{Path: string(target)}
	switch string(method) {
	case http.MethodGet:
	case http.MethodHead:
		req.Head = true
	default:
		return nil, false, false
	}
	keep = true
	var host []byte
	hosts := 0
	for len(rest) > 2 { // the head ends in the blank line's CRLF
		var field []byte
		field, rest, _ = bytes.Cut(rest, crlf)
		name, value, ok := bytes.Cut(field, colon)
		if !ok || !isToken(name) || !fieldValueOK(value) {
			return nil, false, false // net/http answers 400
		}
		value = bytes.Trim(value, " \t")
		switch {
		case asciiEqualFold(name, "host"):
			host, hosts = value, hosts+1
		case asciiEqualFold(name, "accept-encoding"):
			if req.AcceptEncoding != "" {
				return nil, false, false
			}
			req.AcceptEncoding = string(value)
		case asciiEqualFold(name, "if-none-match"):
			if req.IfNoneMatch != "" {
				return nil, false, false
			}
			req.IfNoneMatch = string(value)
		case asciiEqualFold(name, "user-agent"):
			req.UserAgent = string(value)
		case asciiEqualFold(name, "referer"):
			req.Referer = string(value)
		case asciiEqualFold(name, "cf-ipcity"):
			req.CFIPCity = string(value)
		case asciiEqualFold(name, "x-forwarded-for"):
			if req.forwardedFor != "" {
				return nil, false, false
			}
			req.forwardedFor = string(value)
		case asciiEqualFold(name, "connection"):
			for _, tok := range bytes.Split(value, comma) {
				tok = bytes.Trim(tok, " \t")
				switch {
				case asciiEqualFold(tok, "close"):
					keep = false
				case asciiEqualFold(tok, "keep-alive"), len(tok) == 0:
				default: // "upgrade" and the like
					return nil, false, false
				}
			}
		case asciiEqualFold(name, "content-length"), asciiEqualFold(name, "transfer-encoding"),
			asciiEqualFold(name, "upgrade"), asciiEqualFold(name, "expect"), asciiEqualFold(name, "http2-settings"):
			return nil, false, false // a body, a protocol switch or an interim answer: net/http's
		case asciiEqualFold(name, "x-request-id"):
			if req.requestID != "" {
				return nil, false, false
			}
			req.requestID = string(value)
		}
	}
	if hosts != 1 {
		return nil, false, false
	}
	h, ok := canonicalHotHost(host)
	if !ok {
		return nil, false, false
	}
	req.Host = h
	return req, keep, true
}

var (
	crlf  = []byte("\r\n")
	sp    = []byte(" ")
	colon = []byte(":")
	comma = []byte(",")
)

// hotTarget accepts an origin-form path without query, fragment or percent-escapes: for
// such a target the path net/http hands a handler is the target itself.
func hotTarget(t []byte) bool {
	if len(t) == 0 || t[0] != '/' {
		return false
	}
	for _, c := range t {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case bytes.IndexByte([]byte("/-._~!$&'()*+,;=:@"), c) >= 0:
		default:
			return false
		}
	}
	return true
}

// canonicalHotHost lower-cases a Host value and drops its port, as CanonicalHost does, for
// the plain names the hot path serves (letters, digits, dots and hyphens).
func canonicalHotHost(h []byte) (string, bool) {
	if i := bytes.LastIndexByte(h, ':'); i >= 0 {
		for _, c := range h[i+1:] {
			if c < '0' || c > '9' {
				return "", false
			}
		}
		h = h[:i]
	}
	if len(h) == 0 || len(h) > 253 {
		return "", false
	}
	out := make([]byte, len(h))
	for i, c := range h {
		switch {
		case c >= 'A' && c <= 'Z':
			out[i] = c + 'a' - 'A'
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '.', c == '-':
			out[i] = c
		default:
			return "", false
		}
	}
	return string(out), true
}

func isToken(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c <= ' ' || c >= 0x7f || bytes.IndexByte([]byte(`"(),/:;<=>?@[\]{}`), c) >= 0 {
			return false
		}
	}
	return true
}

// fieldValueOK refuses control characters other than tab (and so obs-fold's line breaks,
// which never reach here whole: a folded line has no colon-free name).
func fieldValueOK(v []byte) bool {
	for _, c := range v {
		if (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

func asciiEqualFold(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// handedConn is a connection given to net/http with the bytes the hot path read from it.
type handedConn struct {
	net.Conn
	pending    []byte
	closeAfter bool // from a trusted proxy, after answers on the hot path: close after this request
}

func (c *handedConn) Read(p []byte) (int, error) {
	if len(c.pending) > 0 {
		n := copy(p, c.pending)
		c.pending = c.pending[n:]
		return n, nil
	}
	return c.Conn.Read(p)
}

// HotHandoff wraps the server's handler: a request on a connection the hot path handed over
// from a trusted proxy is answered with Connection: close (see the package comment above).
func HotHandoff(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hc, ok := r.Context().Value(connKey{}).(*handedConn); ok && hc.closeAfter {
			w.Header().Set("Connection", "close")
		}
		h.ServeHTTP(w, r)
	})
}
