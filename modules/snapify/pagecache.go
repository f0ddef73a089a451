package snapify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
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
	kv *cache.Keyspace

	mu    sync.RWMutex
	local map[string]localPage
}

type localPage struct {
	page  cachedPage
	until time.Time
}

// localTTL and localMax bound the in-process layer. Its expiry is wall-clock time on purpose:
// it is a cache timer, not a business rule, and must run even under a test's fake clock.
var localTTL = time.Second

const localMax = 4096

func localKey(slug, field string) string { return slug + "\x00" + field }

func (pc *pageCache) getLocal(key string) (cachedPage, bool) {
	pc.mu.RLock()
	e, ok := pc.local[key]
	pc.mu.RUnlock()
	if !ok || time.Now().After(e.until) {
		return cachedPage{}, false
	}
	return e.page, true
}

func (pc *pageCache) putLocal(key string, p cachedPage) {
	pc.mu.Lock()
	if pc.local == nil || len(pc.local) >= localMax {
		pc.local = make(map[string]localPage, 256)
	}
	pc.local[key] = localPage{page: p, until: time.Now().Add(localTTL)}
	pc.mu.Unlock()
}

func (pc *pageCache) dropLocal(slug string) {
	prefix := slug + "\x00"
	pc.mu.Lock()
	for k := range pc.local {
		if strings.HasPrefix(k, prefix) {
			delete(pc.local, k)
		}
	}
	pc.mu.Unlock()
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
	lk := localKey(slug, field)
	if p, ok := pc.getLocal(lk); ok {
		return p, true
	}
	p, ok := pc.getRedis(ctx, slug, field)
	if ok {
		pc.putLocal(lk, p)
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
	pc.putLocal(localKey(slug, field), p)
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
