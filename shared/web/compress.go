package web

import (
	"bufio"
	"compress/gzip"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

// CompressOptions configures Compress.
type CompressOptions struct {
	// MinLength is the body size from which an answer is compressed (1024). Smaller answers
	// go out as they are: gzip saves little on them and its state would cost more than it saves.
	MinLength int
	// Level is the gzip level (gzip.BestSpeed). Level 1 is nginx's default for dynamic answers:
	// at higher levels every compressed answer begins by clearing 640 KB of match tables, which
	// costs more than the whole of a small API answer.
	Level int
	// Slots bounds the gzip writers in use at once (24): each holds several hundred KB, and on
	// two cores more compressions at once only queue for the CPU.
	Slots int
	// Skip leaves a request's answer alone (media, upgrades).
	Skip func(echo.Context) bool
}

// Compress gzips answers for clients that accept it. The answer is held back until it passes
// MinLength, so small answers never touch a compressor; the decision is then made once, with
// the handler's headers in hand: an answer that already has a Content-Encoding, or whose
// type is already compressed (images, video, archives), goes out untouched. A strong ETag
// becomes weak on a compressed answer, as nginx does, because the bytes differ from the
// representation it names. Vary: Accept-Encoding is set on every answer that could have been
// compressed, so shared caches keep the two apart.
func Compress(o CompressOptions) echo.MiddlewareFunc {
	if o.MinLength <= 0 {
		o.MinLength = 1024
	}
	if o.Level == 0 {
		o.Level = gzip.BestSpeed
	}
	if o.Slots <= 0 {
		o.Slots = 24
	}
	c := &compressor{opt: o, slots: make(chan struct{}, o.Slots), writers: map[int]*sync.Pool{}}
	for _, level := range []int{o.Level, smallerLevel} {
		if c.writers[level] != nil {
			continue
		}
		c.writers[level] = &sync.Pool{New: func() any {
			w, err := gzip.NewWriterLevel(nil, level)
			if err != nil { // only an invalid level fails, and that is a programming error
				panic(err)
			}
			return w
		}}
	}
	c.buffers.New = func() any { b := make([]byte, 0, o.MinLength); return &b }
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(ec echo.Context) error {
			if o.Skip != nil && o.Skip(ec) {
				return next(ec)
			}
			res := ec.Response()
			res.Header().Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
			if !acceptsGzip(ec.Request().Header.Get(echo.HeaderAcceptEncoding)) || ec.Request().Method == http.MethodHead {
				return next(ec)
			}
			w := &gzipWriter{c: c, rw: res.Writer, ctx: ec}
			res.Writer = w
			defer func() {
				w.finish()
				res.Writer = w.rw
			}()
			return next(ec)
		}
	}
}

type compressor struct {
	opt     CompressOptions
	slots   chan struct{}
	writers map[int]*sync.Pool // *gzip.Writer by level
	buffers sync.Pool          // *[]byte of cap MinLength
}

// smallerLevel is the level PreferSmaller asks for: gzip's default, whose answers are about
// 12% smaller than level 1's on our HTML for 17 us more per page.
const smallerLevel = gzip.DefaultCompression

const levelKey = "web.gzip.level"

// PreferSmaller asks Compress to spend CPU on fewer bytes for this answer: pages read over
// slow mobile networks (Snapify's store pages on 3G), where every kilobyte is tens of
// milliseconds for the buyer.
func PreferSmaller(c echo.Context) { c.Set(levelKey, smallerLevel) }

// acceptsGzip reads Accept-Encoding as RFC 9110 §12.5.3 says: "gzip" or "*" with a q-value
// above zero.
func acceptsGzip(h string) bool {
	if h == "" {
		return false
	}
	for part := range strings.SplitSeq(h, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.TrimSpace(name)
		if !strings.EqualFold(name, "gzip") && !strings.EqualFold(name, "x-gzip") && name != "*" {
			continue
		}
		q := 1.0
		for p := range strings.SplitSeq(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		return q > 0
	}
	return false
}

// gzipWriter holds the answer back until it knows whether to compress: pending until
// MinLength bytes arrive (or the handler flushes or finishes), then plain or gzipped.
type gzipWriter struct {
	c      *compressor
	rw     http.ResponseWriter
	ctx    echo.Context
	status int
	buf    *[]byte
	gz     *gzip.Writer
	level  int
	slot   bool
	state  int // gzPending, gzPlain, gzCompressed
}

const (
	gzPending = iota
	gzPlain
	gzCompressed
)

func (w *gzipWriter) Header() http.Header { return w.rw.Header() }

func (w *gzipWriter) WriteHeader(code int) {
	if w.state != gzPending {
		w.rw.WriteHeader(code)
		return
	}
	if w.status == 0 {
		w.status = code
	}
	// Informational answers (103 Early Hints) go through at once and do not end the wait.
	if code >= 100 && code < 200 {
		w.status = 0
		w.rw.WriteHeader(code)
	}
}

func (w *gzipWriter) Write(p []byte) (int, error) {
	switch w.state {
	case gzPlain:
		return w.rw.Write(p)
	case gzCompressed:
		return w.gz.Write(p)
	}
	if w.buf == nil {
		w.buf = w.c.buffers.Get().(*[]byte)
	}
	if len(*w.buf)+len(p) < w.c.opt.MinLength {
		*w.buf = append(*w.buf, p...)
		return len(p), nil
	}
	if err := w.decide(true); err != nil {
		return 0, err
	}
	return w.Write(p)
}

// decide commits to plain or compressed and sends the header and what was held back.
func (w *gzipWriter) decide(large bool) error {
	h := w.rw.Header()
	status := w.status
	if status == 0 {
		status = http.StatusOK
	}
	compress := large && h.Get(echo.HeaderContentEncoding) == "" && compressible(h.Get(echo.HeaderContentType)) &&
		status != http.StatusNoContent && status != http.StatusNotModified && status != http.StatusPartialContent
	if compress {
		select {
		case w.c.slots <- struct{}{}:
			w.slot = true
		case <-w.ctx.Request().Context().Done():
			return w.ctx.Request().Context().Err()
		}
		w.level = w.c.opt.Level
		if l, ok := w.ctx.Get(levelKey).(int); ok && w.c.writers[l] != nil {
			w.level = l
		}
		w.gz = w.c.writers[w.level].Get().(*gzip.Writer)
		w.gz.Reset(w.rw)
		h.Set(echo.HeaderContentEncoding, "gzip")
		h.Del(echo.HeaderContentLength)
		if et := h.Get("ETag"); et != "" && !strings.HasPrefix(et, "W/") {
			h.Set("ETag", "W/"+et)
		}
		w.state = gzCompressed
	} else {
		w.state = gzPlain
	}
	w.rw.WriteHeader(status)
	if w.buf != nil && len(*w.buf) > 0 {
		var err error
		if w.state == gzCompressed {
			_, err = w.gz.Write(*w.buf)
		} else {
			_, err = w.rw.Write(*w.buf)
		}
		if err != nil {
			return err
		}
	}
	w.release()
	return nil
}

func (w *gzipWriter) release() {
	if w.buf != nil {
		*w.buf = (*w.buf)[:0]
		w.c.buffers.Put(w.buf)
		w.buf = nil
	}
}

// Flush sends what is held: a handler that flushes is streaming, so an undecided answer goes
// out plain from here on, and a compressed one flushes its deflate block.
func (w *gzipWriter) Flush() {
	switch w.state {
	case gzPending:
		if w.decide(false) != nil {
			return
		}
	case gzCompressed:
		if w.gz.Flush() != nil {
			return
		}
	}
	_ = http.NewResponseController(w.rw).Flush()
}

// finish ends the answer: a pending one goes out plain (it is below MinLength, or empty and
// headers only), a compressed one writes its trailer and gives its writer back.
func (w *gzipWriter) finish() {
	if w.state == gzPending {
		if w.status != 0 || (w.buf != nil && len(*w.buf) > 0) {
			_ = w.decide(false)
		}
		w.release()
		return
	}
	if w.gz != nil {
		_ = w.gz.Close()
		w.c.writers[w.level].Put(w.gz)
		w.gz = nil
	}
	if w.slot {
		<-w.c.slots
		w.slot = false
	}
}

// Unwrap lets http.ResponseController reach the connection (deadlines, hijacking).
func (w *gzipWriter) Unwrap() http.ResponseWriter { return w.rw }

// Hijack hands the connection over; nothing may have been written yet.
func (w *gzipWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	w.state = gzPlain
	w.release()
	return http.NewResponseController(w.rw).Hijack()
}

// compressible is false for types that are compressed already.
func compressible(ct string) bool {
	ct = strings.ToLower(ct)
	switch {
	case ct == "":
		return true
	case strings.HasPrefix(ct, "image/") && !strings.HasPrefix(ct, "image/svg"):
		return false
	case strings.HasPrefix(ct, "video/"), strings.HasPrefix(ct, "audio/"), strings.HasPrefix(ct, "font/woff"):
		return false
	case strings.Contains(ct, "zip"), strings.Contains(ct, "compressed"), strings.HasPrefix(ct, "application/octet-stream"):
		return false
	}
	return true
}
