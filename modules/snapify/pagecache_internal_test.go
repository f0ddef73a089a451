package snapify

import (
	"strconv"
	"testing"

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
