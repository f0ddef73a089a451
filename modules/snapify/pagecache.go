package snapify

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/alorig/alorig/shared/cache"
	"github.com/andybalholm/brotli"
	"golang.org/x/sync/singleflight"
)

// pageCache keeps rendered pages in Redis, one hash per store: a page is one HGET, and
// dropping every page of a store (any product or setting changed) is one DEL.
//
// A page is stored three times: as rendered, gzipped and Brotli-compressed, each at its best
// level, compressed once when the page is filled. A hit then only picks the bytes the buyer's
// browser accepts and writes them, as nginx does with gzip_static; compressing on every hit
// cost about four fifths of the CPU of a cached page.
//
// In front of Redis each process keeps what it served in the last second. A product shared in
// a busy WhatsApp group is asked for thousands of times a second; one Redis read a second
// serves them all, and a change shows at most a second later than Redis has it (the process
// that runs the invalidation job drops its copies at once).
type pageCache struct {
	kv    *cache.Keyspace
	local *cache.Local[localKey, cachedPage]
	// fills makes concurrent misses of one page wait for one render and one compression.
	fills singleflight.Group
	// squeeze bounds compressions running at once: Brotli's best level takes tens of
	// milliseconds and several megabytes of state a page, and a crawler walking uncached
	// pages must not take every core and that memory many times over.
	squeeze chan struct{}
}

// The in-process layer is bounded in bytes: localBytes at most, as localMax pages of at most
// localPageMax bytes each (the three encodings together; a larger page is served from Redis
// only). A product page costs about 28 KB (18 KB as rendered, 5 KB gzipped, 4.5 KB Brotli),
// so the bound holds every page a busy process serves within the second.
//
// Its expiry is wall-clock time on purpose (cache.Local with a nil clock): it is a cache timer,
// not a business rule, and must run even under a test's fake clock. When full, the least
// recently served page makes room, so a hot product page stays while a crawler walks the rest.
const (
	localTTL     = time.Second
	localBytes   = 32 << 20
	localPageMax = 128 << 10
	localMax     = localBytes / localPageMax
)

// compressSlots is how many pages are compressed at once, one a core of the 2-core servers
// Snapify runs on.
const compressSlots = 2

func newPageCache(kv *cache.Keyspace) *pageCache {
	return &pageCache{kv: kv, local: cache.NewLocal[localKey, cachedPage](localMax, localTTL, nil),
		squeeze: make(chan struct{}, compressSlots)}
}

// localKey names one page in the in-process layer: the store's hash and the page's field.
type localKey struct{ slug, field string }

func (pc *pageCache) dropLocal(slug string) {
	pc.local.DeleteFunc(func(k localKey) bool { return k.slug == slug })
}

func (pc *pageCache) setLocal(k localKey, p cachedPage) {
	if p.size() <= localPageMax {
		pc.local.Set(k, p)
	}
}

// pageTTL bounds how long a page survives if an invalidation is ever lost.
const pageTTL = 6 * time.Hour

// platformPages is the hash of pages that are not one store's (home, hubs, sitemaps).
const platformPages = "_platform"

// cachedPage is a page with its validators. Body is the page as rendered; Gzip and Brotli are
// the same page compressed, set only on pages that went through the cache.
type cachedPage struct {
	ETag        string
	ContentType string
	Meta        string // what analytics needs on a hit: "storeID productID kind"
	Body        []byte
	Gzip        encoded
	Brotli      encoded
}

// encoded is one compressed form of a page. Its ETag is the hash of its own bytes: a strong
// validator names exactly one sequence of bytes (RFC 9110 §8.8.1), and the gzipped and
// rendered pages are different representations of the same URL, so each needs its own tag.
// A tag derived from the rendered page's hash would not do: two builds of the compressor may
// write different bytes for the same page.
type encoded struct {
	ETag string
	Body []byte
}

func (p cachedPage) size() int { return len(p.Body) + len(p.Gzip.Body) + len(p.Brotli.Body) }

// compress fills in the page's gzip (level 9) and Brotli (quality 11) forms.
func (pc *pageCache) compress(ctx context.Context, p *cachedPage) error {
	select {
	case pc.squeeze <- struct{}{}:
		defer func() { <-pc.squeeze }()
	case <-ctx.Done():
		return ctx.Err()
	}
	var gz bytes.Buffer
	gz.Grow(len(p.Body) / 3)
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return fmt.Errorf("snapify: gzip page: %w", err)
	}
	if _, err := zw.Write(p.Body); err != nil {
		return fmt.Errorf("snapify: gzip page: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("snapify: gzip page: %w", err)
	}
	var br bytes.Buffer
	br.Grow(len(p.Body) / 4)
	bw := brotli.NewWriterLevel(&br, brotli.BestCompression)
	if _, err := bw.Write(p.Body); err != nil {
		return fmt.Errorf("snapify: brotli page: %w", err)
	}
	if err := bw.Close(); err != nil {
		return fmt.Errorf("snapify: brotli page: %w", err)
	}
	p.Gzip = encoded{ETag: etagOf(gz.Bytes()), Body: gz.Bytes()}
	p.Brotli = encoded{ETag: etagOf(br.Bytes()), Body: br.Bytes()}
	return nil
}

func pagesKey(slug string) string { return "pages:" + slug }

func (pc *pageCache) get(ctx context.Context, slug, field string) (cachedPage, bool) {
	lk := localKey{slug, field}
	if p, ok := pc.local.Get(lk); ok {
		return p, true
	}
	p, ok := pc.getRedis(ctx, slug, field)
	if ok {
		pc.setLocal(lk, p)
	}
	return p, ok
}

// pageFormat begins every stored page, and its hash field: "p2 " + the page's field. Builds
// that stored the rendered page only used the bare field, so while old and new processes run
// side by side (a rolling deploy) neither reads the other's values (an old process would send
// this format's header lines and all three bodies as one page); one DEL still drops both.
const pageFormat = "p2"

func hashField(field string) string { return pageFormat + " " + field }

// A stored page is seven lines (format, ETag, Content-Type, meta, gzip ETag, Brotli ETag, the
// three body lengths) followed by the three bodies: rendered, gzip, Brotli.
const pageHeadLines = 7

func (pc *pageCache) getRedis(ctx context.Context, slug, field string) (cachedPage, bool) {
	v, err := pc.kv.HGet(ctx, pagesKey(slug), hashField(field))
	if err != nil {
		return cachedPage{}, false
	}
	return decodePage([]byte(v))
}

func decodePage(b []byte) (cachedPage, bool) {
	var head [pageHeadLines]string
	for i := range head {
		j := bytes.IndexByte(b, '\n')
		if j < 0 {
			return cachedPage{}, false
		}
		head[i], b = string(b[:j]), b[j+1:]
	}
	if head[0] != pageFormat {
		return cachedPage{}, false
	}
	var n [3]int
	for i, f := range strings.Fields(head[6]) {
		if i >= len(n) {
			return cachedPage{}, false
		}
		x, err := strconv.Atoi(f)
		if err != nil || x < 0 {
			return cachedPage{}, false
		}
		n[i] = x
	}
	if n[0]+n[1]+n[2] != len(b) {
		return cachedPage{}, false
	}
	return cachedPage{ETag: head[1], ContentType: head[2], Meta: head[3],
		Body:   b[:n[0]:n[0]],
		Gzip:   encoded{ETag: head[4], Body: b[n[0] : n[0]+n[1] : n[0]+n[1]]},
		Brotli: encoded{ETag: head[5], Body: b[n[0]+n[1]:]}}, true
}

func encodePage(p cachedPage) []byte {
	lens := fmt.Sprintf("%d %d %d", len(p.Body), len(p.Gzip.Body), len(p.Brotli.Body))
	v := make([]byte, 0, 64+len(p.ETag)+len(p.ContentType)+len(p.Meta)+len(p.Gzip.ETag)+len(p.Brotli.ETag)+p.size())
	for _, h := range []string{pageFormat, p.ETag, p.ContentType, p.Meta, p.Gzip.ETag, p.Brotli.ETag, lens} {
		v = append(append(v, h...), '\n')
	}
	v = append(v, p.Body...)
	v = append(v, p.Gzip.Body...)
	return append(v, p.Brotli.Body...)
}

func (pc *pageCache) put(ctx context.Context, slug, field string, p cachedPage, ttl time.Duration) error {
	v := encodePage(p)
	err := pc.kv.Pipelined(ctx, func(pp *cache.Pipe) {
		pp.HSet(ctx, pagesKey(slug), hashField(field), v)
		pp.Expire(ctx, pagesKey(slug), ttl)
	})
	if err != nil {
		return fmt.Errorf("snapify: cache page %s%s: %w", slug, field, err)
	}
	pc.setLocal(localKey{slug, field}, p)
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

// acceptedCodings reads Accept-Encoding (RFC 9110 §12.5.3) for the two codings pages are
// stored in. A coding is accepted when it, or "*" when it is not named, has a q-value above
// zero; "br;q=0" refuses Brotli even when "*" is accepted. No header at all is read as no
// preference, and answered with the page as rendered, which every client can read.
func acceptedCodings(h string) (br, gz bool) {
	qBr, qGz, qAny := -1.0, -1.0, -1.0
	for part := range strings.SplitSeq(h, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		q := 1.0
		for p := range strings.SplitSeq(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				// A weight that does not parse counts as 1, as the compress middleware
				// reads it: the two must agree, or it would gzip a page sent as rendered.
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		switch name {
		case "br":
			qBr = q
		case "gzip", "x-gzip":
			qGz = max(qGz, q)
		case "*":
			qAny = q
		}
	}
	if qBr < 0 {
		qBr = qAny
	}
	if qGz < 0 {
		qGz = qAny
	}
	return qBr > 0, qGz > 0
}

// variant is the form of p to send for a request's Accept-Encoding: Brotli when accepted (it
// is the smallest), then gzip, else the page as rendered. A page without compressed forms (not
// from the cache) is sent as rendered and left to the compress middleware.
func (p cachedPage) variant(br, gz bool) (body []byte, etag, coding string) {
	switch {
	case br && p.Brotli.ETag != "":
		return p.Brotli.Body, p.Brotli.ETag, "br"
	case gz && p.Gzip.ETag != "":
		return p.Gzip.Body, p.Gzip.ETag, "gzip"
	}
	return p.Body, p.ETag, ""
}

// matchingTag is the ETag in If-None-Match that names a form of p the client accepts, or "".
// A cache holding the gzip form revalidates with that form's tag even when this request would
// be answered with Brotli; its copy is still current, so it gets 304 with the tag it holds
// (RFC 9111 §4.3.4 picks the stored answer to refresh by it).
// The form this request would get comes first, so "*" answers with its tag.
func (p cachedPage) matchingTag(inm string, br, gz bool) string {
	_, chosen, _ := p.variant(br, gz)
	tags := [4]string{chosen, p.ETag} // the rendered page is acceptable to everyone
	if br {
		tags[2] = p.Brotli.ETag
	}
	if gz {
		tags[3] = p.Gzip.ETag
	}
	for _, t := range tags {
		if t != "" && etagMatches(inm, t) {
			return t
		}
	}
	return ""
}
