package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/alorig/alorig/shared/storage"
)

// Stored is what a caller keeps (in the product_images row) to find an image's files again.
// Keys are "{prefix}/{hash}/{width}.{ext}" and "{prefix}/{hash}/full.{ext}": the same upload
// always lands on the same keys, so a retried job rewrites identical objects, and the URLs can
// be cached for a year.
type Stored struct {
	Prefix string `json:"prefix"` // e.g. "snapify/s/42/p"
	Hash   string `json:"hash"`
	Ext    string `json:"ext"`
	Width  int    `json:"width"` // of the full copy
	Height int    `json:"height"`
	Widths []int  `json:"widths"` // variant widths, ascending, each < Width
}

// FullKey is the key of the cleaned full-size copy.
func (s Stored) FullKey() string { return s.Prefix + "/" + s.Hash + "/full." + s.Ext }

// VariantKey is the key of the variant w pixels wide.
func (s Stored) VariantKey(w int) string {
	return s.Prefix + "/" + s.Hash + "/" + strconv.Itoa(w) + "." + s.Ext
}

// Keys lists every object, for deletion.
func (s Stored) Keys() []string {
	keys := make([]string, 0, len(s.Widths)+1)
	for _, w := range s.Widths {
		keys = append(keys, s.VariantKey(w))
	}
	return append(keys, s.FullKey())
}

// Save writes every rendition of r under prefix. Variants are written before the full copy so
// that a Stored value is only returned once all of its keys exist.
func Save(ctx context.Context, st storage.Store, prefix string, r *Result) (Stored, error) {
	prefix = strings.Trim(prefix, "/")
	if err := storage.ValidateKey(prefix); err != nil {
		return Stored{}, fmt.Errorf("media: save: prefix: %w", err)
	}
	s := Stored{Prefix: prefix, Hash: r.Hash, Ext: r.Ext, Width: r.Full.Width, Height: r.Full.Height}
	for _, v := range r.Variants {
		if err := st.Put(ctx, s.VariantKey(v.Width), r.ContentType, bytes.NewReader(v.Data), int64(len(v.Data))); err != nil {
			return Stored{}, fmt.Errorf("media: save %d px variant: %w", v.Width, err)
		}
		s.Widths = append(s.Widths, v.Width)
	}
	if err := st.Put(ctx, s.FullKey(), r.ContentType, bytes.NewReader(r.Full.Data), int64(len(r.Full.Data))); err != nil {
		return Stored{}, fmt.Errorf("media: save full image: %w", err)
	}
	return s, nil
}

// Delete removes every object of s, trying all keys and reporting every failure.
func Delete(ctx context.Context, st storage.Store, s Stored) error {
	var errs []error
	for _, k := range s.Keys() {
		if err := st.Delete(ctx, k); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("media: delete %s: %w", s.Hash, err)
	}
	return nil
}
