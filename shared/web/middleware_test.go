package web

import (
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"
)

// waitForCancel answers "finished" after a second, or the context's error when it ends first.
func waitForCancel(c echo.Context) error {
	select {
	case <-c.Request().Context().Done():
		return c.Request().Context().Err()
	case <-time.After(time.Second):
		return c.String(http.StatusOK, "finished")
	}
}

func TestDeadlineCutsSlowRequestsButNotUploadsOrWebSockets(t *testing.T) {
	t.Parallel()
	e := NewEcho(Options{Module: "test", Log: slog.New(slog.DiscardHandler), RequestTimeout: 50 * time.Millisecond, UploadTimeout: 5 * time.Second})
	e.GET("/slow", waitForCancel)
	e.POST("/upload", waitForCancel, AllowBody(8<<20))
	e.GET("/ws", waitForCancel)

	do := func(method, path string, header map[string]string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, nil)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		return rec
	}
	start := time.Now()
	rec := do(http.MethodGet, "/slow", nil)
	require.Less(t, time.Since(start), 900*time.Millisecond, "cut at the deadline")
	require.Equal(t, http.StatusServiceUnavailable, rec.Code)
	var p Problem
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
	require.Equal(t, "REQUEST_TIMEOUT", p.Code)
	require.NotEmpty(t, p.RequestID, "the problem names the request id")
	require.Equal(t, rec.Header().Get(echo.HeaderXRequestID), p.RequestID)

	rec = do(http.MethodPost, "/upload", nil)
	require.Equal(t, http.StatusOK, rec.Code, "an upload route gets the upload deadline")
	rec = do(http.MethodGet, "/ws", map[string]string{"Upgrade": "websocket", "Connection": "Upgrade"})
	require.Equal(t, http.StatusOK, rec.Code, "a WebSocket upgrade has no deadline")
}

// Every problem body carries the request id, the generic 500 included.
func TestProblemsCarryTheRequestID(t *testing.T) {
	t.Parallel()
	e := NewEcho(Options{Module: "test", Log: slog.New(slog.DiscardHandler)})
	e.GET("/boom", func(c echo.Context) error { return io.ErrUnexpectedEOF })
	req := httptest.NewRequest(http.MethodGet, "/boom", nil)
	req.Header.Set(echo.HeaderXRequestID, "req-123")
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	require.Contains(t, rec.Body.String(), `"request_id":"req-123"`)
}

// Over a real connection the deadline also bounds reading the body: a body that trickles in
// is cut on an ordinary route and accepted on an upload route, within its longer deadline.
func TestDeadlineBoundsBodyReadsOnTheConnection(t *testing.T) {
	t.Parallel()
	e := NewEcho(Options{Module: "test", Log: slog.New(slog.DiscardHandler), RequestTimeout: 300 * time.Millisecond, UploadTimeout: 5 * time.Second})
	read := func(c echo.Context) error {
		b, err := io.ReadAll(c.Request().Body)
		if err != nil {
			return err
		}
		return c.String(http.StatusOK, strings.ToUpper(string(b)))
	}
	e.POST("/form", read)
	e.POST("/upload", read, AllowBody(8<<20))
	srv := &http.Server{Handler: e, ReadHeaderTimeout: 10 * time.Second}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })

	trickle := func(path string) (int, string, error) {
		pr, pw := io.Pipe()
		go func() {
			for range 8 {
				time.Sleep(100 * time.Millisecond)
				if _, err := pw.Write([]byte("ab")); err != nil {
					return
				}
			}
			pw.Close()
		}()
		req, _ := http.NewRequest(http.MethodPost, "http://"+ln.Addr().String()+path, pr)
		req.ContentLength = 16
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b), nil
	}
	code, body, err := trickle("/upload")
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, code, body)
	require.Equal(t, strings.Repeat("AB", 8), body)

	code, body, err = trickle("/form")
	if err == nil {
		require.NotEqual(t, http.StatusOK, code, "an ordinary route does not wait 800 ms for its body: %s", body)
	}
}
