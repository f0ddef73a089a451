package web

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

func corked(t *testing.T, r *http.Request) bool {
	tc := r.Context().Value(connKey{}).(*net.TCPConn)
	raw, err := tc.SyscallConn()
	require.NoError(t, err)
	var v int
	var gerr error
	require.NoError(t, raw.Control(func(fd uintptr) {
		v, gerr = syscall.GetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_CORK)
	}))
	require.NoError(t, gerr)
	return v != 0
}

// corkSpy records whether the socket was corked while the answer's body was written.
type corkSpy struct {
	http.ResponseWriter
	t      *testing.T
	r      *http.Request
	during []bool
}

func (s *corkSpy) Write(p []byte) (int, error) {
	s.during = append(s.during, corked(s.t, s.r))
	return s.ResponseWriter.Write(p)
}

func (s *corkSpy) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func TestWriteWholeCorksLargeAnswers(t *testing.T) {
	for _, tc := range []struct {
		name string
		size int
		cork bool
	}{
		{"a 5 KB page is corked", 5199, true},
		{"a page that fits net/http's buffer is not", 2000, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := []byte(strings.Repeat("x", tc.size))
			var spy *corkSpy
			var after bool
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				spy = &corkSpy{ResponseWriter: w, t: t, r: r}
				w.Header().Set("Content-Length", strconv.Itoa(len(body)))
				w.Header().Set("Content-Type", "text/html; charset=UTF-8")
				require.NoError(t, WriteWhole(spy, r, http.StatusOK, body))
				after = corked(t, r)
			}))
			srv.Config.ConnContext = ConnContext
			srv.Start()
			defer srv.Close()
			res, err := http.Get(srv.URL)
			require.NoError(t, err)
			got, err := io.ReadAll(res.Body)
			require.NoError(t, err)
			require.NoError(t, res.Body.Close())
			require.Equal(t, http.StatusOK, res.StatusCode)
			require.Equal(t, body, got)
			require.Empty(t, res.TransferEncoding, "sent with its Content-Length, not chunked")
			require.Equal(t, []bool{tc.cork}, spy.during)
			require.False(t, after, "the socket is uncorked once the answer is out")
		})
	}
}

func TestWriteWholeWithoutAConnection(t *testing.T) {
	rec := httptest.NewRecorder()
	require.NoError(t, WriteWhole(rec, httptest.NewRequest("GET", "/", nil), http.StatusCreated, []byte(strings.Repeat("y", 9000))))
	require.Equal(t, http.StatusCreated, rec.Code)
	require.Equal(t, 9000, rec.Body.Len())
}
