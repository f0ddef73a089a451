package snapify

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseSrcsetKeepsCommasInsideURLs(t *testing.T) {
	t.Parallel()
	got := parseSrcset("https://c.test/c_fill,w_160/a.jpg 160w,https://c.test/c_fill,w_320/a.jpg 320w ,  b.jpg 2x, c.jpg")
	require.Equal(t, []srcCandidate{
		{url: "https://c.test/c_fill,w_160/a.jpg", desc: "160w", width: 160},
		{url: "https://c.test/c_fill,w_320/a.jpg", desc: "320w", width: 320},
		{url: "b.jpg", desc: "2x"},
		{url: "c.jpg"},
	}, got)
	require.Empty(t, parseSrcset(" , "))
}

func TestCapSrcset(t *testing.T) {
	t.Parallel()
	ladder := "a,160.jpg 160w, a,320.jpg 320w, a,720.jpg 720w"
	require.Equal(t, "a,160.jpg 160w, a,320.jpg 320w", capSrcset(ladder, 320))
	require.Equal(t, "a,160.jpg 160w, a,320.jpg 320w", capSrcset(ladder, 719))
	require.Equal(t, ladder, capSrcset(ladder, 0), "no cap")
	require.Equal(t, "a,160.jpg 160w", capSrcset(ladder, 100), "the narrowest stays when all are too wide")
	require.Equal(t, "x.jpg 1x, y.jpg 2x", capSrcset("x.jpg 1x, y.jpg 2x", 100), "density candidates are left alone")
}

func TestCardsNeverAskForWideImages(t *testing.T) {
	t.Parallel()
	for _, th := range Themes() {
		p := renderPage(t, StoreHome(sampleHome(SampleStore(th, English, Pro))))
		for _, img := range p.all(tag("img")) {
			srcset, _ := attr(img, "srcset")
			for _, c := range parseSrcset(srcset) {
				require.LessOrEqual(t, c.width, specFor(th).card.maxW, "%s: %s", th, c.url)
			}
		}
	}
}
