package snapify

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/testkit"

	"github.com/stretchr/testify/require"
)

// A crawler walking thousands of pages does not push out the page a WhatsApp group is reading:
// the in-process layer drops the least recently served page, not everything at once.
func TestLocalPagesKeepTheHotPageWhenFull(t *testing.T) {
	t.Parallel()
	pc := newPageCache(nil)
	hot := cachedPage{ETag: `"hot"`}
	pc.local.Set(localKey{"ali-fabrics", "/hot"}, hot)
	for i := 0; i < 2*localMax; i++ {
		pc.local.Set(localKey{"crawled", "/" + strconv.Itoa(i)}, cachedPage{})
		if i%100 == 0 {
			_, ok := pc.local.Get(localKey{"ali-fabrics", "/hot"}) // still being served
			require.True(t, ok, "hot page lost after %d other pages", i)
		}
	}
	require.LessOrEqual(t, pc.local.Len(), localMax)
	pc.dropLocal("ali-fabrics")
	_, ok := pc.local.Get(localKey{"ali-fabrics", "/hot"})
	require.False(t, ok, "a store's invalidation drops its pages")
	require.Equal(t, localMax-1, pc.local.Len(), "and only its pages")
}

// A stored page reads back as it was written, and a value in the older one-body format reads
// as a miss (it is rendered and stored again) rather than as a page with a wrong body.
func TestStoredPageRoundTrips(t *testing.T) {
	t.Parallel()
	pc := newPageCache(nil)
	p := cachedPage{ETag: etagOf([]byte("<p>hi\n</p>")), ContentType: "text/html; charset=UTF-8", Meta: "1 2 product",
		Body: bytes.Repeat([]byte("<p>hi\n</p>"), 300)}
	require.NoError(t, pc.compress(context.Background(), &p))
	require.Less(t, len(p.Gzip.Body), len(p.Body))
	require.Less(t, len(p.Brotli.Body), len(p.Body))
	got, ok := decodePage(encodePage(p))
	require.True(t, ok)
	require.Equal(t, p, got)

	old := []byte(p.ETag + "\n" + p.ContentType + "\n" + p.Meta + "\n" + string(p.Body))
	_, ok = decodePage(old)
	require.False(t, ok, "a page stored by the older format is a miss")
	v := encodePage(p)
	_, ok = decodePage(v[:len(v)-1])
	require.False(t, ok, "a cut value is a miss")
}

// The in-process layer is bounded in bytes: no page over localPageMax is kept, so localMax
// pages hold at most localBytes.
func TestLocalPagesAreBoundedInBytes(t *testing.T) {
	t.Parallel()
	require.Equal(t, localBytes, localMax*localPageMax)
	pc := newPageCache(nil)
	small := cachedPage{Body: make([]byte, localPageMax/3), Gzip: encoded{ETag: `"g"`, Body: make([]byte, localPageMax/3)},
		Brotli: encoded{ETag: `"b"`, Body: make([]byte, localPageMax/3)}}
	pc.setLocal(localKey{"s", "/small"}, small)
	big := small
	big.Brotli.Body = make([]byte, localPageMax/3+3)
	pc.setLocal(localKey{"s", "/big"}, big)
	_, ok := pc.local.Get(localKey{"s", "/small"})
	require.True(t, ok)
	_, ok = pc.local.Get(localKey{"s", "/big"})
	require.False(t, ok, "a page over localPageMax is served from Redis only")
}

// Buyers arriving together for a page nobody has cached yet wait for one render and one
// compression, and all get the same stored bytes.
func TestConcurrentMissesFillOnce(t *testing.T) {
	t.Parallel()
	env := testkit.Start(t, map[string]platform.Constructor{"snapify": New}, testkit.WithEnv("ALORIG_SNAPIFY_MEDIA_DIR", t.TempDir()))
	m := env.Mounted("snapify").Module.(*Module)
	const n = 16
	var arrived, renders atomic.Int32
	release := make(chan struct{})
	go func() {
		for arrived.Load() < n {
			runtime.Gosched()
		}
		time.Sleep(50 * time.Millisecond) // let the last arrivals reach the wait
		close(release)
	}()
	body := bytes.Repeat([]byte("<p>a page worth compressing</p>\n"), 200)
	render := func(context.Context) (*rendered, error) {
		renders.Add(1)
		<-release
		return &rendered{status: 200, contentType: "text/html", body: body, cacheable: true}, nil
	}
	var wg sync.WaitGroup
	pages := make([]cachedPage, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			arrived.Add(1)
			p, status, err := m.fillPage(context.Background(), "s", "/p", time.Minute, render)
			if err == nil && status != 200 {
				err = fmt.Errorf("status %d", status)
			}
			pages[i], errs[i] = p, err
		})
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	require.Equal(t, int32(1), renders.Load(), "one render, so one compression")
	require.NotEmpty(t, pages[0].Brotli.Body)
	for _, p := range pages {
		require.Equal(t, pages[0].Brotli.ETag, p.Brotli.ETag)
		require.Equal(t, pages[0].Gzip.ETag, p.Gzip.ETag)
	}
	stored, ok := m.pages.getRedis(context.Background(), "s", "/p")
	require.True(t, ok)
	require.Equal(t, pages[0].Brotli.Body, stored.Brotli.Body)
}
