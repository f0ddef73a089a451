package media

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Sizes for the two layouts store pages use; they must match the CSS, or browsers fetch the
// wrong width.
const (
	SizesProductGrid = "(min-width: 960px) 240px, (min-width: 600px) 33vw, 50vw"
	SizesProductPage = "(min-width: 960px) 640px, 100vw"
)

// Picture is what an <img> needs: src for old browsers, srcset and sizes for the rest, and the
// intrinsic size so the page does not jump while images load on a slow connection.
type Picture struct {
	Src    string
	SrcSet string
	Sizes  string
	Width  int
	Height int
}

// Candidate is one srcset entry.
type Candidate struct {
	URL   string
	Width int
}

// SrcSet joins candidates as "url 160w, url 320w". URLs must already be escaped; any stray
// whitespace is percent-encoded because srcset splits on it.
func SrcSet(cands []Candidate) string {
	var b strings.Builder
	for i, c := range cands {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strings.NewReplacer(" ", "%20", "\t", "%09", "\n", "%0A").Replace(c.URL))
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(c.Width))
		b.WriteByte('w')
	}
	return b.String()
}

// fallbackWidth is the src for browsers without srcset: the smallest candidate of at least
// 480 px, which looks right on a phone without costing a desktop-sized download.
const fallbackWidth = 480

func pick(cands []Candidate) string {
	for _, c := range cands {
		if c.Width >= fallbackWidth {
			return c.URL
		}
	}
	if len(cands) == 0 {
		return ""
	}
	return cands[len(cands)-1].URL
}

// Cloudinary builds delivery URLs on Cloudinary's CDN, which picks WebP/AVIF per browser
// (f_auto) and tunes quality (q_auto). With Fetch, Cloudinary pulls the original from our own
// public storage URL, so nothing has to be uploaded to Cloudinary first; without it, the image
// must have been uploaded under the public id.
type Cloudinary struct {
	Cloud string
	Fetch bool
}

// URL is the upload-type delivery URL of publicID at width w.
func (c Cloudinary) URL(publicID string, w int) string {
	segs := strings.Split(strings.Trim(publicID, "/"), "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return fmt.Sprintf("https://res.cloudinary.com/%s/image/upload/f_auto,q_auto,w_%d/%s", url.PathEscape(c.Cloud), w, strings.Join(segs, "/"))
}

// FetchURL is the fetch-type delivery URL of a remote image at width w.
func (c Cloudinary) FetchURL(remote string, w int) string {
	return fmt.Sprintf("https://res.cloudinary.com/%s/image/fetch/f_auto,q_auto,w_%d/%s", url.PathEscape(c.Cloud), w, url.PathEscape(remote))
}

// Delivery turns a Stored image into a Picture: from our own storage, or through Cloudinary
// when a cloud name is configured.
type Delivery struct {
	URL        func(key string) string // storage.Store.URL
	Cloudinary *Cloudinary
}

// Picture builds the img attributes for s.
func (d Delivery) Picture(s Stored, sizes string) Picture {
	widths := append(append([]int(nil), s.Widths...), s.Width)
	cands := make([]Candidate, 0, len(widths))
	cl := d.Cloudinary
	if cl != nil && cl.Cloud != "" && cl.Fetch {
		if u := d.URL(s.FullKey()); !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
			cl = nil // Cloudinary cannot fetch a relative (local-disk) URL
		}
	}
	for i, w := range widths {
		var u string
		switch {
		case cl != nil && cl.Cloud != "" && cl.Fetch:
			u = cl.FetchURL(d.URL(s.FullKey()), w)
		case cl != nil && cl.Cloud != "":
			u = cl.URL(s.Prefix+"/"+s.Hash, w)
		case i == len(widths)-1:
			u = d.URL(s.FullKey())
		default:
			u = d.URL(s.VariantKey(w))
		}
		cands = append(cands, Candidate{URL: u, Width: w})
	}
	return Picture{Src: pick(cands), SrcSet: SrcSet(cands), Sizes: sizes, Width: s.Width, Height: s.Height}
}
