package psydge

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/require"
)

// liveServer serves the module's handler on a real listener with the hub running.
func (h *harness) liveServer(ctx context.Context) string {
	h.t.Helper()
	go h.m.hub.Run(ctx)
	<-h.m.hub.Ready()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Host = host
		h.env.Handler.ServeHTTP(w, r)
	}))
	h.t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws"
}

func bearer(token string) *websocket.DialOptions {
	return &websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + token}}}
}

func (h *harness) wsTicket(token string) string {
	h.t.Helper()
	st, body, _ := h.do("POST", "/api/v1/ws/ticket", token, "")
	require.Equal(h.t, 201, st, body)
	var out struct {
		Ticket string `json:"ticket"`
	}
	require.NoError(h.t, jsonUnmarshal(body, &out))
	return out.Ticket
}

// readUntilClosed reads frames until the connection ends and returns how it ended.
func readUntilClosed(ctx context.Context, c *websocket.Conn) error {
	for {
		if _, _, err := c.Read(ctx); err != nil {
			return err
		}
	}
}

func TestLiveConnectionsPerUserAreCapped(t *testing.T) {
	h := start(t)
	token, _ := h.signUp("cap@example.com")
	other, _ := h.signUp("cap2@example.com")
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	url := h.liveServer(ctx)
	for i := range 5 {
		c, _, err := websocket.Dial(ctx, url, bearer(token))
		require.NoError(t, err, "connection %d", i+1)
		defer c.CloseNow()
	}
	_, res, err := websocket.Dial(ctx, url, bearer(token))
	require.Error(t, err)
	require.Equal(t, 429, res.StatusCode)
	// Another user is not affected.
	c, _, err := websocket.Dial(ctx, url, bearer(other))
	require.NoError(t, err)
	c.CloseNow()
}

func TestLiveTicketIsSingleUse(t *testing.T) {
	h := start(t)
	token, _ := h.signUp("once@example.com")
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	url := h.liveServer(ctx)
	tk := h.wsTicket(token)
	c, _, err := websocket.Dial(ctx, url+"?ticket="+tk, nil)
	require.NoError(t, err)
	defer c.CloseNow()
	_, res, err := websocket.Dial(ctx, url+"?ticket="+tk, nil)
	require.Error(t, err)
	require.Equal(t, 401, res.StatusCode)
}

// Logging out ends the sockets the session opened, by Bearer or by ticket; a revoked
// session's unused ticket opens nothing.
func TestLogoutClosesLiveSockets(t *testing.T) {
	h := start(t)
	token, _ := h.signUp("bye@example.com")
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	url := h.liveServer(ctx)
	byBearer, _, err := websocket.Dial(ctx, url, bearer(token))
	require.NoError(t, err)
	defer byBearer.CloseNow()
	byTicket, _, err := websocket.Dial(ctx, url+"?ticket="+h.wsTicket(token), nil)
	require.NoError(t, err)
	defer byTicket.CloseNow()
	spare := h.wsTicket(token)
	// A second session of the same user keeps its socket.
	st, body, _ := h.do("POST", "/api/v1/auth/login", "", `{"email":"bye@example.com","password":"correct horse battery"}`)
	require.Equal(t, 200, st, body)
	second := decode[map[string]any](t, body)["token"].(string)
	kept, _, err := websocket.Dial(ctx, url, bearer(second))
	require.NoError(t, err)
	defer kept.CloseNow()

	st, body, _ = h.do("POST", "/api/v1/auth/logout", token, "")
	require.Equal(t, 204, st, body)
	for _, c := range []*websocket.Conn{byBearer, byTicket} {
		err := readUntilClosed(ctx, c)
		require.Equal(t, websocket.StatusPolicyViolation, websocket.CloseStatus(err), fmt.Sprint(err))
	}
	_, res, err := websocket.Dial(ctx, url+"?ticket="+spare, nil)
	require.Error(t, err)
	require.Equal(t, 401, res.StatusCode)

	// The other session's socket is still served.
	rctx, rcancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer rcancel()
	_, _, err = kept.Read(rctx)
	if err != nil {
		require.ErrorIs(t, err, context.DeadlineExceeded)
	}
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
