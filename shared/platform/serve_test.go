package platform_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"

	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

// An in-flight request finishes after SIGTERM, and Run returns cleanly.
func TestInFlightRequestFinishesAfterSIGTERM(t *testing.T) {
	env := testkit.Start(t, nil)
	started := make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(500 * time.Millisecond)
		_, _ = io.WriteString(w, "finished")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- env.Runtime.Run(ctx, map[net.Listener]*http.Server{ln: platform.NewServer(slow)}) }()

	type answer struct {
		body string
		err  error
	}
	got := make(chan answer, 1)
	go func() {
		res, err := http.Get("http://" + ln.Addr().String() + "/")
		if err != nil {
			got <- answer{err: err}
			return
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		got <- answer{body: string(b)}
	}()
	<-started
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGTERM))
	a := <-got
	require.NoError(t, a.err)
	require.Equal(t, "finished", a.body)
	require.NoError(t, <-done)

	_, err = net.DialTimeout("tcp", ln.Addr().String(), 200*time.Millisecond)
	require.Error(t, err, "the listener is closed after shutdown")
}

func TestListenNamesPortInUse(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	_, err = platform.Listen(ln.Addr().String(), "--addr")
	require.ErrorContains(t, err, "already in use")
}
