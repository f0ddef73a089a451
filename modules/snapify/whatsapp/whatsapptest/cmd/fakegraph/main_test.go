package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/alorig/alorig/modules/snapify/whatsapp"
	"github.com/stretchr/testify/require"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// The demo server still checks what the fake checks, and prints each accepted message once.
func TestDemoLogsAcceptedMessagesOnce(t *testing.T) {
	t.Parallel()
	var out lockedBuffer
	var h http.Handler
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(ts.Close)
	srv, handler := newDemo(&out, ts.URL)
	h = handler
	cfg := srv.Config()
	require.Equal(t, ts.URL, cfg.APIBase)

	c := whatsapp.New(cfg, ts.Client())
	_, err := c.SendText(context.Background(), "923001234567", "New order SN-1001", false)
	require.NoError(t, err)
	_, err = c.SendText(context.Background(), "923001234567", "Second", false)
	require.NoError(t, err)

	bad := cfg
	bad.Token = "wrong"
	_, err = whatsapp.New(bad, ts.Client()).SendText(context.Background(), "923001234567", "refused", false)
	require.Error(t, err, "the fake still checks the Bearer token")

	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 2)
	var first logged
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &first))
	require.Equal(t, "923001234567", first.To)
	require.Equal(t, "text", first.Type)
	require.Equal(t, "New order SN-1001", first.Text)
	require.Contains(t, lines[1], `"text":"Second"`)
	require.NotContains(t, out.String(), "refused")
}
