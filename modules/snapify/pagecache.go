package snapify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/alorig/alorig/shared/cache"
)

// pageCache keeps rendered pages in Redis, one hash per store: a page is one HGET, and
// dropping every page of a store (any product or setting changed) is one DEL.
//
// In front of Redis each process keeps what it served in the last second. A product shared in
// a busy WhatsApp group is asked for thousands of times a second; one Redis read a second
// serves them all, and a change shows at most a second later than Redis has it (the process
// that runs the invalidation job drops its copies at once).
type pageCache struct {
	kv    *cache.Keyspace
	local *cache.Local[localKey, cachedPage]
}

// localTTL and localMax bound the in-process layer. Its expiry is wall-clock time on purpose
// (cache.Local with a nil clock): it is a cache timer, not a business rule, and must run even
// under a test's fake clock. When full, the least recently served page makes room, so a hot
// product page stays while a crawler walks the rest.
const (
	localTTL = time.Second
	localMax = 4096
)

func newPageCache(kv *cache.Keyspace) *pageCache {
	return &pageCache{kv: kv, local: cache.NewLocal[localKey, cachedPage](localMax, localTTL, nil)}
}

// localKey names one page in the in-process layer: the store's hash and the page's field.
type localKey struct{ slug, field string }

func (pc *pageCache) dropLocal(slug string) {
	pc.local.DeleteFunc(func(k localKey) bool { return k.slug == slug })
}

// pageTTL bounds how long a page survives if an invalidation is ever lost.
const pageTTL = 6 * time.Hour

// platformPages is the hash of pages that are not one store's (home, hubs, sitemaps).
const platformPages = "_platform"

type cachedPage struct {
	ETag        string
	ContentType string
	Meta        string // what analytics needs on a hit: "storeID productID kind"
	Body        []byte
}

func pagesKey(slug string) string { return "pages:" + slug }

func (pc *pageCache) get(ctx context.Context, slug, field string) (cachedPage, bool) {
	lk := localKey{slug, field}
	if p, ok := pc.local.Get(lk); ok {
		return p, true
	}
	p, ok := pc.getRedis(ctx, slug, field)
	if ok {
		pc.local.Set(lk, p)
	}
	return p, ok
}

func (pc *pageCache) getRedis(ctx context.Context, slug, field string) (cachedPage, bool) {
	v, err := pc.kv.HGet(ctx, pagesKey(slug), field)
	if err != nil {
		return cachedPage{}, false
	}
	b := []byte(v)
	var head [3][]byte
	for i := range head {
		j := bytes.IndexByte(b, '\n')
		if j < 0 {
			return cachedPage{}, false
		}
		head[i], b = b[:j], b[j+1:]
	}
	return cachedPage{ETag: string(head[0]), ContentType: string(head[1]), Meta: string(head[2]), Body: b}, true
}

func (pc *pageCache) put(ctx context.Context, slug, field string, p cachedPage, ttl time.Duration) error {
	v := make([]byte, 0, len(p.ETag)+len(p.ContentType)+len(p.Meta)+len(p.Body)+3)
	for _, h := range []string{p.ETag, p.ContentType, p.Meta} {
		v = append(append(v, h...), '\n')
	}
	v = append(v, p.Body...)
	err := pc.kv.Pipelined(ctx, func(pp *cache.Pipe) {
		pp.HSet(ctx, pagesKey(slug), field, v)
		pp.Expire(ctx, pagesKey(slug), ttl)
	})
	if err != nil {
		return fmt.Errorf("snapify: cache page %s%s: %w", slug, field, err)
	}
	pc.local.Set(localKey{slug, field}, p)
	return nil
}

// invalidate drops every cached page of a store, and its custom-domain lookup.
func (pc *pageCache) invalidate(ctx context.Context, slug, domain string) error {
	pc.dropLocal(slug)
	keys := []string{pagesKey(slug)}
	if domain != "" {
		keys = append(keys, "domain:"+domain)
	}
	if _, err := pc.kv.Del(ctx, keys...); err != nil && !errors.Is(err, cache.Nil) {
		return fmt.Errorf("snapify: invalidate pages of %s: %w", slug, err)
	}
	return nil
}

func etagOf(body []byte) string {
	h := sha256.Sum256(body)
	return `"` + hex.EncodeToString(h[:12]) + `"`
}
