package web

import (
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"
)

func compressEcho(o CompressOptions, routes func(e *echo.Echo)) *echo.Echo {
	e := echo.New()
	e.Use(Compress(o))
	routes(e)
	return e
}

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	r, err := gzip.NewReader(strings.NewReader(string(b)))
	require.NoError(t, err)
	out, err := io.ReadAll(r)
	require.NoError(t, err)
	return string(out)
}

func TestCompress(t *testing.T) {
	big := strings.Repeat(`{"symbol":"EURUSD","bid":1.08512},`, 100)
	e := compressEcho(CompressOptions{Skip: func(c echo.Context) bool { return c.Path() == "/skip" }}, func(e *echo.Echo) {
		e.GET("/small", func(c echo.Context) error { return c.JSON(201, map[string]string{"ok": "yes"}) })
		e.GET("/big", func(c echo.Context) error {
			c.Response().Header().Set("ETag", `"abc"`)
			c.Response().Header().Set("Content-Length", "99999")
			return c.String(200, big)
		})
		e.GET("/png", func(c echo.Context) error { return c.Blob(200, "image/png", []byte(big)) })
		e.GET("/svg", func(c echo.Context) error { return c.Blob(200, "image/svg+xml", []byte(big)) })
		e.GET("/encoded", func(c echo.Context) error {
			c.Response().Header().Set("Content-Encoding", "br")
			return c.Blob(200, "text/plain", []byte(big))
		})
		e.GET("/nocontent", func(c echo.Context) error { return c.NoContent(204) })
		e.GET("/skip", func(c echo.Context) error { return c.String(200, big) })
		e.GET("/chunks", func(c echo.Context) error {
			c.Response().Header().Set("Content-Type", "text/plain")
			for range 100 {
				_, _ = c.Response().Write([]byte("0123456789abcdefghij"))
			}
			return nil
		})
		e.GET("/stream", func(c echo.Context) error {
			c.Response().Header().Set("Content-Type", "text/event-stream")
			_, _ = c.Response().Write([]byte("data: 1\n\n"))
			c.Response().Flush()
			_, _ = c.Response().Write([]byte("data: " + big + "\n\n"))
			return nil
		})
	})
	get := func(path, accept string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if accept != "" {
			req.Header.Set("Accept-Encoding", accept)
		}
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		return rec
	}

	t.Run("a small answer goes out plain with its status", func(t *testing.T) {
		rec := get("/small", "gzip")
		require.Equal(t, 201, rec.Code)
		require.Empty(t, rec.Header().Get("Content-Encoding"))
		require.JSONEq(t, `{"ok":"yes"}`, rec.Body.String())
		require.Equal(t, "Accept-Encoding", rec.Header().Get("Vary"))
	})
	t.Run("a large answer is gzipped, its length dropped and its strong ETag made weak", func(t *testing.T) {
		rec := get("/big", "br, gzip;q=0.8")
		require.Equal(t, 200, rec.Code)
		require.Equal(t, "gzip", rec.Header().Get("Content-Encoding"))
		require.Empty(t, rec.Header().Get("Content-Length"))
		require.Equal(t, `W/"abc"`, rec.Header().Get("ETag"))
		require.Less(t, rec.Body.Len(), len(big)/4)
		require.Equal(t, big, gunzip(t, rec.Body.Bytes()))
	})
	t.Run("many small writes that pass the threshold are compressed whole", func(t *testing.T) {
		rec := get("/chunks", "gzip")
		require.Equal(t, "gzip", rec.Header().Get("Content-Encoding"))
		require.Equal(t, strings.Repeat("0123456789abcdefghij", 100), gunzip(t, rec.Body.Bytes()))
	})
	for _, accept := range []string{"", "identity", "gzip;q=0", "deflate, gzip; q=0.000"} {
		t.Run("no gzip for Accept-Encoding "+accept, func(t *testing.T) {
			rec := get("/big", accept)
			require.Empty(t, rec.Header().Get("Content-Encoding"))
			require.Equal(t, `"abc"`, rec.Header().Get("ETag"))
			require.Equal(t, big, rec.Body.String())
			require.Equal(t, "Accept-Encoding", rec.Header().Get("Vary"))
		})
	}
	t.Run("star accepts gzip", func(t *testing.T) {
		require.Equal(t, "gzip", get("/big", "*").Header().Get("Content-Encoding"))
	})
	for _, path := range []string{"/png", "/encoded", "/skip"} {
		t.Run(path+" is left alone", func(t *testing.T) {
			rec := get(path, "gzip")
			require.NotEqual(t, "gzip", rec.Header().Get("Content-Encoding"))
			require.Equal(t, big, rec.Body.String())
		})
	}
	t.Run("SVG is text and is compressed", func(t *testing.T) {
		require.Equal(t, "gzip", get("/svg", "gzip").Header().Get("Content-Encoding"))
	})
	t.Run("204 stays empty", func(t *testing.T) {
		rec := get("/nocontent", "gzip")
		require.Equal(t, 204, rec.Code)
		require.Zero(t, rec.Body.Len())
	})
	t.Run("a stream that flushes early goes out plain and whole", func(t *testing.T) {
		rec := get("/stream", "gzip")
		require.Empty(t, rec.Header().Get("Content-Encoding"))
		require.Equal(t, "data: 1\n\ndata: "+big+"\n\n", rec.Body.String())
		require.True(t, rec.Flushed)
	})
	t.Run("an error after nothing was written gets the error handler's answer", func(t *testing.T) {
		e2 := compressEcho(CompressOptions{}, func(e *echo.Echo) {
			e.GET("/fail", func(c echo.Context) error { return echo.NewHTTPError(418, strings.Repeat("x", 4000)) })
		})
		req := httptest.NewRequest(http.MethodGet, "/fail", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := httptest.NewRecorder()
		e2.ServeHTTP(rec, req)
		require.Equal(t, 418, rec.Code)
		require.Contains(t, rec.Body.String(), "xxxx")
	})
}

// TestCompressSlotsBoundWriters: with Slots writers busy, the next large answer waits, and a
// small one does not.
func TestCompressSlotsBoundWriters(t *testing.T) {
	release := make(chan struct{})
	var inside atomic.Int32
	big := strings.Repeat("a", 4096)
	e := compressEcho(CompressOptions{Slots: 2}, func(e *echo.Echo) {
		e.GET("/hold", func(c echo.Context) error {
			_, _ = c.Response().Write([]byte(big))
			inside.Add(1)
			<-release
			return nil
		})
		e.GET("/small", func(c echo.Context) error { return c.String(200, "ok") })
	})
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := httptest.NewRequest(http.MethodGet, "/hold", nil)
			req.Header.Set("Accept-Encoding", "gzip")
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			require.Equal(t, big, gunzip(t, rec.Body.Bytes()))
		}()
	}
	require.Eventually(t, func() bool { return inside.Load() == 2 }, 5*time.Second, 5*time.Millisecond)
	time.Sleep(50 * time.Millisecond)
	require.EqualValues(t, 2, inside.Load(), "the third compression must wait for a slot")
	req := httptest.NewRequest(http.MethodGet, "/small", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	require.Equal(t, "ok", rec.Body.String())
	close(release)
	wg.Wait()
	require.EqualValues(t, 3, inside.Load())
}

func BenchmarkCompressSmallJSON(b *testing.B) {
	body := strings.Repeat(`{"gate":"B","passed":false,"code":"NO_GO_SIGNAL"},`, 24)
	e := compressEcho(CompressOptions{}, func(e *echo.Echo) {
		e.GET("/", func(c echo.Context) error { return c.String(200, body) })
	})
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	b.ReportAllocs()
	for b.Loop() {
		e.ServeHTTP(httptest.NewRecorder(), req)
	}
}

func TestPreferSmallerCompressesHarder(t *testing.T) {
	var page strings.Builder
	for i := range 300 {
		fmt.Fprintf(&page, `<li class="c"><a href="/store/product-%d"><img src="/media/%d.jpg" alt="Lawn suit %d"><span class="t">Lawn suit %d</span><b>Rs %d</b></a></li>`, i, i*7, i, i, 1000+i*13)
	}
	e := compressEcho(CompressOptions{}, func(e *echo.Echo) {
		e.GET("/api", func(c echo.Context) error { return c.HTML(200, page.String()) })
		e.GET("/page", func(c echo.Context) error { PreferSmaller(c); return c.HTML(200, page.String()) })
	})
	size := func(path string) int {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		require.Equal(t, page.String(), gunzip(t, rec.Body.Bytes()))
		return rec.Body.Len()
	}
	fast, small := size("/api"), size("/page")
	require.Less(t, small, fast)
	t.Logf("level 1: %d bytes, default level: %d bytes of %d", fast, small, page.Len())
}
