package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
)

// Options configures the middleware every module's echo instance gets.
type Options struct {
	Module         string
	Production     bool
	BodyLimit      int64
	TrustedProxies []netip.Prefix
	Log            *slog.Logger
	Metrics        *Metrics
	// RequestTimeout is each request's deadline (default 15 s); UploadTimeout replaces it on
	// routes that raise their body cap with AllowBody (default 10 min). See Deadline.
	RequestTimeout time.Duration
	UploadTimeout  time.Duration
}

// NewEcho returns an echo instance with the platform's middleware, error handler and IP
// extraction. Modules add their routes to it.
func NewEcho(o Options) *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = ErrorHandler(o.Log)
	e.IPExtractor = IPExtractor(o.TrustedProxies)
	limit := o.BodyLimit
	if limit <= 0 {
		limit = 1 << 20
	}
	// Deadline sits inside AccessLog, so a request it cuts short is logged with its answer, and
	// before Compress, so it reaches the connection through echo's own response writer.
	e.Use(RequestID(), Recover(o.Log), AccessLog(o.Module, o.Log, o.Metrics), Deadline(o.RequestTimeout, o.UploadTimeout),
		SecurityHeaders(o.Production), BodyLimit(limit))
	skipGzip := func(c echo.Context) bool {
		p := c.Request().URL.Path
		return strings.HasPrefix(p, "/media/") || strings.HasSuffix(p, ".webp") || strings.HasSuffix(p, ".jpg") ||
			strings.HasSuffix(p, ".png") || c.Request().Header.Get("Upgrade") != ""
	}
	e.Use(Compress(CompressOptions{Skip: skipGzip}))
	return e
}

// IPExtractor trusts X-Forwarded-For only when the direct peer is a configured proxy; with no
// proxies configured the peer address is the client.
func IPExtractor(trusted []netip.Prefix) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range trusted {
		_, ipnet, err := parseCIDR(p.String())
		if err == nil {
			opts = append(opts, echo.TrustIPRange(ipnet))
		}
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// RequestID honours a sane incoming X-Request-ID or creates one, and echoes it back.
func RequestID() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			id := c.Request().Header.Get(echo.HeaderXRequestID)
			if !validRequestID(id) {
				id = newRequestID()
				c.Request().Header.Set(echo.HeaderXRequestID, id)
			}
			c.Response().Header().Set(echo.HeaderXRequestID, id)
			return next(c)
		}
	}
}

// requestIDs are this process's random prefix and a counter: unique across processes and
// restarts without a read of the random source per request.
var requestIDs = func() struct {
	prefix string
	n      *atomic.Uint64
} {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return struct {
		prefix string
		n      *atomic.Uint64
	}{hex.EncodeToString(b[:]), new(atomic.Uint64)}
}()

// newRequestID is 24 hexadecimal characters: 12 of the process's prefix, 12 of its counter.
func newRequestID() string {
	var b [24]byte
	copy(b[:], requestIDs.prefix)
	n := requestIDs.n.Add(1)
	const digits = "0123456789abcdef"
	for i := 23; i >= 12; i-- {
		b[i] = digits[n&15]
		n >>= 4
	}
	return string(b[:])
}

func validRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for _, r := range id {
		if !(r == '-' || r == '_' || r == '.' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')) {
			return false
		}
	}
	return true
}

// Recover turns a panic into a 500 problem and logs the stack with the request id.
func Recover(log *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) (err error) {
			defer func() {
				if r := recover(); r != nil {
					if r == http.ErrAbortHandler {
						panic(r)
					}
					log.Error("panic", "panic", fmt.Sprint(r), "request_id", c.Request().Header.Get(echo.HeaderXRequestID), "stack", string(debug.Stack()))
					err = fmt.Errorf("panic: %v", r)
				}
			}()
			return next(c)
		}
	}
}

// BodyLimit caps request bodies; reading past it yields a 413 problem. A route that accepts
// more (a photo upload) raises its own cap with AllowBody.
func BodyLimit(limit int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if r.Body != nil && r.Body != http.NoBody {
				r.Body = &limitedBody{rc: r.Body, limit: limit, declared: r.ContentLength}
			}
			return next(c)
		}
	}
}

// AllowBody raises the body cap for the routes it is attached to, and gives them the upload
// deadline instead of the ordinary one: a large body on a slow mobile network takes minutes.
func AllowBody(limit int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if lb, ok := c.Request().Body.(*limitedBody); ok {
				lb.limit = limit
			}
			if d, ok := c.Get(ctxDeadline).(*deadline); ok {
				d.lengthen()
			}
			return next(c)
		}
	}
}

const ctxDeadline = "web.deadline"

// errRequestTimeout is the cause of a request context ended by its deadline.
var errRequestTimeout = errors.New("request deadline exceeded")

// deadline is one request's time limit: a timer that cancels the request's context (so
// PostgreSQL queries and outside calls stop) and the connection's read deadline (so a body
// that trickles in cannot hold the handler either). Both move together when lengthened.
type deadline struct {
	timer  *time.Timer
	rc     *http.ResponseController
	start  time.Time
	upload time.Duration
}

func (d *deadline) lengthen() {
	if d.timer.Stop() { // not fired yet: the longer limit counts from the request's start
		d.timer.Reset(time.Until(d.start.Add(d.upload)))
		_ = d.rc.SetReadDeadline(d.start.Add(d.upload))
	}
}

// Deadline bounds every request: after timeout its context is cancelled and its body reads
// fail, and the answer is a 503 problem with code REQUEST_TIMEOUT (unless the handler had
// already answered). The server itself has no whole-request ReadTimeout (see
// platform.NewServer), so this is what ends a slow request. Routes with AllowBody get upload
// instead; WebSocket upgrades get no deadline, since the connection is meant to stay open.
func Deadline(timeout, upload time.Duration) echo.MiddlewareFunc {
	if timeout <= 0 {
		timeout = 15 * time.Second
	}
	if upload <= 0 {
		upload = 10 * time.Minute
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
				return next(c)
			}
			ctx, cancel := context.WithCancelCause(r.Context())
			defer cancel(nil)
			d := &deadline{rc: http.NewResponseController(c.Response()), start: time.Now(), upload: max(upload, timeout)}
			d.timer = time.AfterFunc(timeout, func() { cancel(errRequestTimeout) })
			defer d.timer.Stop()
			// Not supported by test recorders; a real connection always takes it.
			_ = d.rc.SetReadDeadline(d.start.Add(timeout))
			c.Set(ctxDeadline, d)
			c.SetRequest(r.WithContext(ctx))
			err := next(c)
			if context.Cause(ctx) == errRequestTimeout && !c.Response().Committed {
				return NewProblem(http.StatusServiceUnavailable, "the request took longer than this server allows; try again").
					WithCode("REQUEST_TIMEOUT")
			}
			return err
		}
	}
}

// limitedBody fails with *http.MaxBytesError once more than limit bytes are read, or at the
// first read when the declared Content-Length is already over it. Unlike http.MaxBytesReader
// its limit can still be raised by route middleware before the handler reads.
type limitedBody struct {
	rc       io.ReadCloser
	limit    int64
	declared int64
	read     int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.declared > b.limit || b.read > b.limit {
		return 0, &http.MaxBytesError{Limit: b.limit}
	}
	if room := b.limit - b.read + 1; int64(len(p)) > room {
		p = p[:room]
	}
	n, err := b.rc.Read(p)
	b.read += int64(n)
	if b.read > b.limit {
		return n - int(b.read-b.limit), &http.MaxBytesError{Limit: b.limit}
	}
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }

// contentSecurityPolicy is every answer's policy unless a handler sets its own.
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self' wss: ws:; frame-ancestors 'none'; base-uri 'self'"

// SecurityHeaders sets the headers every answer carries. HSTS only in production, where TLS
// is guaranteed by Caddy.
func SecurityHeaders(production bool) echo.MiddlewareFunc {
	headers := securityHeaders(production)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			for _, sh := range headers {
				h[sh.Name] = []string{sh.Value}
			}
			return next(c)
		}
	}
}

// AccessLog writes one JSON line per request and feeds the metrics.
func AccessLog(module string, log *slog.Logger, m *Metrics) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil {
				c.Error(err)
			}
			status := c.Response().Status
			route := c.Path()
			if route == "" {
				route = "unmatched"
			}
			d := time.Since(start)
			if m != nil {
				m.observe(module, route, status, d)
			}
			log.LogAttrs(c.Request().Context(), slog.LevelInfo, "request",
				slog.String("method", c.Request().Method),
				slog.String("route", route),
				slog.String("path", c.Request().URL.Path),
				slog.Int("status", status),
				slog.Duration("duration", d),
				slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)),
				slog.String("ip", c.RealIP()),
			)
			return nil
		}
	}
}

// Metrics are the request counters and latency histograms of every module.
type Metrics struct {
	Registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// NewMetrics registers the HTTP collectors on reg.
func NewMetrics(reg *prometheus.Registry) *Metrics {
	m := &Metrics{
		Registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "alorig_http_requests_total", Help: "HTTP requests by module, route and status.",
		}, []string{"module", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "alorig_http_request_duration_seconds", Help: "HTTP request latency by module and route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"module", "route"}),
	}
	reg.MustRegister(m.requests, m.latency)
	return m
}

func (m *Metrics) observe(module, route string, status int, d time.Duration) {
	m.requests.WithLabelValues(module, route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(module, route).Observe(d.Seconds())
}
