// Package storage keeps uploaded files (product photos, site assets) in object storage: an
// S3-compatible bucket (DigitalOcean Spaces in production) or, when none is configured, a
// local directory served by the app itself. Keys are slash-separated relative paths such as
// "snapify/store-12/p/ab12cd/640.jpg"; both backends refuse keys that could escape their root.
package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"unicode"

	"github.com/alorig/alorig/shared/clock"
)

// Store is what callers use; both backends implement it.
type Store interface {
	// Put stores size bytes from body under key, replacing any object already there.
	Put(ctx context.Context, key, contentType string, body io.Reader, size int64) error
	// Get opens an object. The caller closes the reader. A missing key is ErrNotFound.
	Get(ctx context.Context, key string) (io.ReadCloser, Object, error)
	// Delete removes an object; deleting a missing key is not an error (as in S3).
	Delete(ctx context.Context, key string) error
	// URL is the public address browsers fetch the object from.
	URL(key string) string
}

// Object describes a stored object.
type Object struct {
	Key         string
	ContentType string
	Size        int64
}

// Errors shared by the backends.
var (
	ErrNotFound     = errors.New("storage: object not found")
	ErrInvalidKey   = errors.New("storage: invalid key")
	ErrSizeMismatch = errors.New("storage: body length differs from the declared size")
)

// MaxKeyLength is S3's limit on key length in bytes.
const MaxKeyLength = 1024

// ValidateKey accepts relative, slash-separated keys of printable characters with no empty,
// "." or ".." segments and no backslashes, so a key means the same thing on disk and in S3 and
// can never climb out of the store's root.
func ValidateKey(key string) error {
	switch {
	case key == "":
		return fmt.Errorf("%w: empty", ErrInvalidKey)
	case len(key) > MaxKeyLength:
		return fmt.Errorf("%w: %d bytes, limit %d", ErrInvalidKey, len(key), MaxKeyLength)
	case strings.HasPrefix(key, "/"):
		return fmt.Errorf("%w: %q starts with a slash", ErrInvalidKey, key)
	case strings.ContainsRune(key, '\\'):
		return fmt.Errorf("%w: %q contains a backslash", ErrInvalidKey, key)
	}
	for _, r := range key {
		if !unicode.IsPrint(r) || r == unicode.ReplacementChar {
			return fmt.Errorf("%w: %q contains a control or invalid character", ErrInvalidKey, key)
		}
	}
	for seg := range strings.SplitSeq(key, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return fmt.Errorf("%w: %q has an empty, . or .. segment", ErrInvalidKey, key)
		}
	}
	return nil
}

// Config chooses and configures a backend. S3 is used when Bucket, AccessKey and SecretKey are
// all set; otherwise files go to LocalDir.
type Config struct {
	S3 S3Config

	LocalDir     string // e.g. /var/lib/alorig/media
	LocalBaseURL string // where the app serves LocalDir, e.g. /media
}

// Open returns the configured backend and logs which one it is, so a deployment that forgot
// its Spaces keys says so rather than silently filling a container's disk.
func Open(cfg Config, clk clock.Clock, log *slog.Logger) (Store, error) {
	if log == nil {
		log = slog.Default()
	}
	if cfg.S3.Bucket != "" && cfg.S3.AccessKey != "" && cfg.S3.SecretKey != "" {
		s, err := NewS3(cfg.S3, clk, nil)
		if err != nil {
			return nil, err
		}
		log.Info("storage: using S3-compatible bucket", "endpoint", cfg.S3.Endpoint, "bucket", cfg.S3.Bucket)
		return s, nil
	}
	l, err := NewLocal(cfg.LocalDir, cfg.LocalBaseURL)
	if err != nil {
		return nil, err
	}
	log.Warn("storage: no S3 bucket configured; using local disk", "dir", cfg.LocalDir, "url", cfg.LocalBaseURL)
	return l, nil
}
