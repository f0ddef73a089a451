package storage_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/alorig/alorig/shared/storage"
)

func TestLocalRoundTrip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	l, err := storage.NewLocal(filepath.Join(dir, "media"), "/media/")
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	ctx := context.Background()

	require.NoError(t, l.Put(ctx, "s/1/p/ab/640.jpg", "image/jpeg", strings.NewReader("jpeg"), 4))
	rc, obj, err := l.Get(ctx, "s/1/p/ab/640.jpg")
	require.NoError(t, err)
	b, _ := io.ReadAll(rc)
	rc.Close()
	require.Equal(t, "jpeg", string(b))
	require.Equal(t, "image/jpeg", obj.ContentType)
	require.Equal(t, int64(4), obj.Size)
	require.Equal(t, "/media/s/1/p/ab/640.jpg", l.URL("s/1/p/ab/640.jpg"))

	require.ErrorIs(t, l.Put(ctx, "s/short.jpg", "image/jpeg", strings.NewReader("ab"), 4), storage.ErrSizeMismatch)
	entries, err := os.ReadDir(filepath.Join(dir, "media", "s"))
	require.NoError(t, err)
	require.Len(t, entries, 1, "a failed put leaves no file behind")

	require.NoError(t, l.Delete(ctx, "s/1/p/ab/640.jpg"))
	require.NoError(t, l.Delete(ctx, "s/1/p/ab/640.jpg"))
	_, _, err = l.Get(ctx, "s/1/p/ab/640.jpg")
	require.ErrorIs(t, err, storage.ErrNotFound)
	_, _, err = l.Get(ctx, "s/1")
	require.ErrorIs(t, err, storage.ErrNotFound, "directories are not objects")
}

func TestLocalRefusesEscapes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret.txt")
	require.NoError(t, os.WriteFile(secret, []byte("do not serve"), 0o600))
	l, err := storage.NewLocal(filepath.Join(dir, "media"), "/media")
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	ctx := context.Background()

	for _, key := range []string{"../secret.txt", "a/../../secret.txt", "/etc/passwd", `..\secret.txt`} {
		_, _, err := l.Get(ctx, key)
		require.ErrorIs(t, err, storage.ErrInvalidKey, key)
		require.ErrorIs(t, l.Put(ctx, key, "text/plain", strings.NewReader("x"), 1), storage.ErrInvalidKey, key)
	}
	// A symlink planted inside the root cannot be followed out of it.
	require.NoError(t, os.Symlink(dir, filepath.Join(dir, "media", "link")))
	_, _, err = l.Get(ctx, "link/secret.txt")
	require.Error(t, err)
	require.Error(t, l.Put(ctx, "link/evil.txt", "text/plain", strings.NewReader("x"), 1))
	_, statErr := os.Stat(filepath.Join(dir, "evil.txt"))
	require.True(t, os.IsNotExist(statErr))
}

func TestLocalHandler(t *testing.T) {
	t.Parallel()
	l, err := storage.NewLocal(t.TempDir(), "/media")
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	require.NoError(t, l.Put(context.Background(), "p/a.webp", "image/webp", strings.NewReader("RIFF"), 4))
	h := http.StripPrefix("/media", l.Handler())
	for _, tc := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/media/p/a.webp", 200},
		{"HEAD", "/media/p/a.webp", 200},
		{"GET", "/media/p/", 404},
		{"GET", "/media/p", 404},
		{"GET", "/media/p/../../etc/passwd", 404},
		{"GET", "/media/missing.jpg", 404},
		{"POST", "/media/p/a.webp", 405},
	} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(tc.method, "/", nil)
		req.URL.Path = tc.path
		h.ServeHTTP(rec, req)
		require.Equal(t, tc.status, rec.Code, "%s %s", tc.method, tc.path)
		if tc.status == 200 {
			require.Equal(t, "image/webp", rec.Header().Get("Content-Type"))
			require.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
		}
	}
}
