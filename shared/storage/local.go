package storage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"strings"
)

// Local is a Store on a directory, the offline stand-in used when no bucket is configured.
// All file access goes through an os.Root, so neither a crafted key nor a symlink planted in
// the directory can reach files outside it.
type Local struct {
	dir     string
	root    *os.Root
	baseURL string
}

var _ Store = (*Local)(nil)

// NewLocal opens (creating if needed) dir; baseURL is where Handler is mounted, e.g. "/media"
// or "https://snapify.localhost/media".
func NewLocal(dir, baseURL string) (*Local, error) {
	if dir == "" {
		return nil, errors.New("storage: local storage needs a directory")
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("storage: create %s: %w", dir, err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", dir, err)
	}
	return &Local{dir: dir, root: root, baseURL: strings.TrimRight(baseURL, "/")}, nil
}

// Close releases the directory handle.
func (l *Local) Close() error { return l.root.Close() }

// URL returns baseURL + "/" + key, escaped for use in HTML attributes and srcset.
func (l *Local) URL(key string) string { return l.baseURL + "/" + uriEncode(key, false) }

// Put writes to a temporary file beside the target and renames it into place, so a reader
// never sees half an image.
func (l *Local) Put(ctx context.Context, key, contentType string, body io.Reader, size int64) error {
	if err := ValidateKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if dir := path.Dir(key); dir != "." {
		if err := l.root.MkdirAll(dir, 0o750); err != nil {
			return fmt.Errorf("storage: put %s: %w", key, err)
		}
	}
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	tmp := key + ".tmp-" + hex.EncodeToString(rnd[:])
	f, err := l.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	n, err := io.Copy(f, io.LimitReader(body, size+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n != size {
		err = fmt.Errorf("wrote %d of %d bytes: %w", n, size, ErrSizeMismatch)
	}
	if err == nil {
		err = l.root.Rename(tmp, key)
	}
	if err != nil {
		_ = l.root.Remove(tmp)
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	return nil
}

// Get opens key. The content type comes from the key's extension, which this package's
// callers always set from the sniffed type.
func (l *Local) Get(ctx context.Context, key string) (io.ReadCloser, Object, error) {
	if err := ValidateKey(key); err != nil {
		return nil, Object{}, err
	}
	if err := ctx.Err(); err != nil {
		return nil, Object{}, err
	}
	f, err := l.root.Open(key)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, Object{}, fmt.Errorf("storage: get %s: %w", key, ErrNotFound)
	}
	if err != nil {
		return nil, Object{}, fmt.Errorf("storage: get %s: %w", key, err)
	}
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		f.Close()
		return nil, Object{}, fmt.Errorf("storage: get %s: %w", key, ErrNotFound)
	}
	return f, Object{Key: key, ContentType: contentTypeOf(key), Size: st.Size()}, nil
}

// Delete removes key; a missing key is not an error.
func (l *Local) Delete(ctx context.Context, key string) error {
	if err := ValidateKey(key); err != nil {
		return err
	}
	if err := l.root.Remove(key); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("storage: delete %s: %w", key, err)
	}
	return nil
}

// Handler serves stored files under the base URL's path (mount it with that prefix stripped).
// Directory listings and temporary files are not served.
func (l *Local) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		key := strings.TrimPrefix(r.URL.Path, "/")
		if ValidateKey(key) != nil || strings.Contains(path.Base(key), ".tmp-") {
			http.NotFound(w, r)
			return
		}
		rc, obj, err := l.Get(r.Context(), key)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		defer rc.Close()
		w.Header().Set("Content-Type", obj.ContentType)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if f, ok := rc.(*os.File); ok {
			if st, err := f.Stat(); err == nil {
				http.ServeContent(w, r, "", st.ModTime(), f)
				return
			}
		}
		_, _ = io.Copy(w, rc)
	})
}

func contentTypeOf(key string) string {
	if t := mime.TypeByExtension(path.Ext(key)); t != "" {
		return t
	}
	return "application/octet-stream"
}
