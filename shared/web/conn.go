package web

import (
	"context"
	"net"
	"net/http"
)

type connKey struct{}

// ConnContext is http.Server's ConnContext hook: it keeps each request's connection in its
// context, so WriteWhole can reach the socket without hijacking it.
func ConnContext(ctx context.Context, c net.Conn) context.Context {
	return context.WithValue(ctx, connKey{}, c)
}

// connBuffer is the size of net/http's buffer in front of each connection: it writes to the
// socket whenever that fills, and once more when the handler returns.
const connBuffer = 4 << 10

// WriteWhole sends status, w's headers and body so they leave in one packet. Through
// net/http alone, an answer larger than its 4 KB connection buffer (a 5 KB gzipped page and
// its headers) goes out as a full 4 KB write and then the rest, and the network stack on
// both ends handles each packet; at hundreds of cached pages a second that second packet was
// about a sixth of the CPU. On a TCP connection of a server with ConnContext, an answer that
// does not fit the buffer is written with the socket corked (TCP_CORK), flushed, and
// uncorked, so the kernel sends it at once as one. Anywhere else (a test recorder, a small
// answer, systems without TCP_CORK) it is an ordinary WriteHeader and Write. The caller sets
// Content-Length, so nothing is chunked.
func WriteWhole(w http.ResponseWriter, r *http.Request, status int, body []byte) error {
	c, _ := r.Context().Value(connKey{}).(net.Conn)
	if hc, handed := c.(*handedConn); handed {
		c = hc.Conn
	}
	tc, ok := c.(*net.TCPConn)
	if !ok || len(body)+headerBytes(w.Header()) <= connBuffer {
		w.WriteHeader(status)
		_, err := w.Write(body)
		return err
	}
	uncork := cork(tc)
	defer uncork()
	w.WriteHeader(status)
	if _, err := w.Write(body); err != nil {
		return err
	}
	return http.NewResponseController(w).Flush()
}

// headerBytes is about how many bytes h takes on the wire, with the status line and the Date
// header net/http adds.
func headerBytes(h http.Header) int {
	n := len("HTTP/1.1 200 OK\r\nDate: Mon, 02 Jan 2006 15:04:05 GMT\r\n\r\n")
	for k, vs := range h {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}
