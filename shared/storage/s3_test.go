package storage_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/alorig/alorig/shared/clock"
	"github.com/alorig/alorig/shared/storage"
	"github.com/alorig/alorig/shared/storage/s3test"
)

var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func s3Pair(t *testing.T, pathStyle bool, mutate func(*storage.S3Config)) (*storage.S3, *s3test.Server) {
	t.Helper()
	fake := s3test.Start(s3test.Options{Clock: clock.NewFake(now)})
	t.Cleanup(fake.Close)
	cfg := storage.S3Config{
		Endpoint: fake.URL, Region: fake.Opts.Region, Bucket: fake.Opts.Bucket,
		AccessKey: fake.Opts.AccessKey, SecretKey: fake.Opts.SecretKey, PathStyle: pathStyle,
	}
	if mutate != nil {
		mutate(&cfg)
	}
	s, err := storage.NewS3(cfg, clock.NewFake(now), fake.HTTPClient())
	require.NoError(t, err)
	return s, fake
}

func TestS3RoundTrip(t *testing.T) {
	t.Parallel()
	for _, pathStyle := range []bool{true, false} {
		s, fake := s3Pair(t, pathStyle, func(c *storage.S3Config) { c.CacheControl = "public, max-age=31536000, immutable" })
		ctx := context.Background()
		key := "snapify/store 7/p/ü$+=@,;/640.jpg"
		data := []byte("jpeg bytes here")

		require.NoError(t, s.Put(ctx, key, "image/jpeg", bytes.NewReader(data), int64(len(data))), "path style %v", pathStyle)
		obj, ok := fake.Object(key)
		require.True(t, ok)
		require.Equal(t, data, obj.Data)
		require.Equal(t, "image/jpeg", obj.ContentType)
		require.Equal(t, "public, max-age=31536000, immutable", obj.CacheControl)
		require.Empty(t, obj.ACL)

		rc, info, err := s.Get(ctx, key)
		require.NoError(t, err)
		got, err := io.ReadAll(rc)
		require.NoError(t, rc.Close())
		require.NoError(t, err)
		require.Equal(t, data, got)
		require.Equal(t, "image/jpeg", info.ContentType)
		require.Equal(t, int64(len(data)), info.Size)

		// A reader that cannot seek is buffered and hashed, and still signs correctly.
		require.NoError(t, s.Put(ctx, "b.txt", "text/plain", iotest.OneByteReader(strings.NewReader("hello")), 5))
		require.Equal(t, 2, fake.Len())

		require.NoError(t, s.Delete(ctx, key))
		require.NoError(t, s.Delete(ctx, key), "deleting twice is fine")
		_, _, err = s.Get(ctx, key)
		require.ErrorIs(t, err, storage.ErrNotFound)
	}
}

func TestS3PublicRead(t *testing.T) {
	t.Parallel()
	for _, public := range []bool{true, false} {
		s, fake := s3Pair(t, true, func(c *storage.S3Config) { c.PublicRead = public })
		require.NoError(t, s.Put(context.Background(), "p/1.png", "image/png", strings.NewReader("png"), 3))
		obj, _ := fake.Object("p/1.png")
		resp, err := http.Get(s.URL("p/1.png"))
		require.NoError(t, err)
		resp.Body.Close()
		if public {
			require.Equal(t, "public-read", obj.ACL)
			require.Equal(t, http.StatusOK, resp.StatusCode)
		} else {
			require.Equal(t, http.StatusForbidden, resp.StatusCode)
		}
	}
}

func TestS3FakeRejectsBadSignatures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	code := func(err error) string {
		var e *storage.S3Error
		require.True(t, errors.As(err, &e), "%v", err)
		return e.Code
	}

	s, _ := s3Pair(t, true, func(c *storage.S3Config) { c.SecretKey = "wrong" })
	require.Equal(t, "SignatureDoesNotMatch", code(s.Put(ctx, "a", "text/plain", strings.NewReader("x"), 1)))

	s, _ = s3Pair(t, true, func(c *storage.S3Config) { c.AccessKey = "NOPE" })
	require.Equal(t, "InvalidAccessKeyId", code(s.Put(ctx, "a", "text/plain", strings.NewReader("x"), 1)))

	s, _ = s3Pair(t, true, func(c *storage.S3Config) { c.Region = "nyc3" })
	require.Equal(t, "AuthorizationHeaderMalformed", code(s.Put(ctx, "a", "text/plain", strings.NewReader("x"), 1)))

	fake := s3test.Start(s3test.Options{Clock: clock.NewFake(now.Add(20 * time.Minute))})
	t.Cleanup(fake.Close)
	late, err := storage.NewS3(storage.S3Config{Endpoint: fake.URL, Region: fake.Opts.Region, Bucket: fake.Opts.Bucket,
		AccessKey: fake.Opts.AccessKey, SecretKey: fake.Opts.SecretKey, PathStyle: true}, clock.NewFake(now), nil)
	require.NoError(t, err)
	require.Equal(t, "RequestTimeTooSkewed", code(late.Put(ctx, "a", "text/plain", strings.NewReader("x"), 1)))

	// A proxy that changes a signed header after signing is caught.
	s, fake = s3Pair(t, true, nil)
	tampering := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		r.Header.Set("Content-Type", "text/html")
		return fake.HTTPClient().Transport.RoundTrip(r)
	})}
	s2, err := storage.NewS3(storage.S3Config{Endpoint: fake.URL, Region: fake.Opts.Region, Bucket: fake.Opts.Bucket,
		AccessKey: fake.Opts.AccessKey, SecretKey: fake.Opts.SecretKey, PathStyle: true}, clock.NewFake(now), tampering)
	require.NoError(t, err)
	require.Equal(t, "SignatureDoesNotMatch", code(s2.Put(ctx, "a", "text/plain", strings.NewReader("x"), 1)))
	require.Equal(t, 0, fake.Len())
	require.NoError(t, s.Put(ctx, "a", "text/plain", strings.NewReader("x"), 1))
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestS3InputChecks(t *testing.T) {
	t.Parallel()
	s, fake := s3Pair(t, true, nil)
	ctx := context.Background()
	require.ErrorIs(t, s.Put(ctx, "../x", "text/plain", strings.NewReader("x"), 1), storage.ErrInvalidKey)
	require.ErrorIs(t, s.Put(ctx, "a", "text/plain", strings.NewReader("short"), 10), storage.ErrSizeMismatch)
	require.ErrorIs(t, s.Put(ctx, "a", "text/plain", iotest.OneByteReader(strings.NewReader("short")), 10), storage.ErrSizeMismatch)
	require.Equal(t, 0, fake.Len())

	_, err := storage.NewS3(storage.S3Config{Endpoint: "ftp://x", Bucket: "b", AccessKey: "a", SecretKey: "s"}, nil, nil)
	require.Error(t, err)
	_, err = storage.NewS3(storage.S3Config{Endpoint: "https://sgp1.digitaloceanspaces.com", Bucket: "my.bucket", AccessKey: "a", SecretKey: "s"}, nil, nil)
	require.Error(t, err)
}

func TestS3URL(t *testing.T) {
	t.Parallel()
	mk := func(c storage.S3Config) *storage.S3 {
		c.Bucket, c.AccessKey, c.SecretKey = "snapify-media", "a", "s"
		s, err := storage.NewS3(c, nil, nil)
		require.NoError(t, err)
		return s
	}
	require.Equal(t, "https://snapify-media.sgp1.digitaloceanspaces.com/p/a%20b.jpg",
		mk(storage.S3Config{Endpoint: "https://sgp1.digitaloceanspaces.com", Region: "sgp1"}).URL("p/a b.jpg"))
	require.Equal(t, "https://sgp1.digitaloceanspaces.com/snapify-media/p/1.jpg",
		mk(storage.S3Config{Endpoint: "https://sgp1.digitaloceanspaces.com", Region: "sgp1", PathStyle: true}).URL("p/1.jpg"))
	require.Equal(t, "https://cdn.snapify.pk/p/1.jpg",
		mk(storage.S3Config{Endpoint: "https://sgp1.digitaloceanspaces.com", PublicBaseURL: "https://cdn.snapify.pk/"}).URL("p/1.jpg"))
}
