// Command psydge-load drives POST /api/v1/trades/check at a fixed request rate (open loop: a
// slow answer does not slow the sender, so queueing shows up in the percentiles, unlike a
// closed-loop tool such as wrk) and prints latency percentiles. It only talks to loopback
// addresses and stops after -duration.
//
//	psydge-load -url http://127.0.0.1:8080/api/v1/trades/check -token $TOKEN -rate 500 -duration 30s
//
// It shares the machine with the server, so it is built to cost little and to keep time:
//
//   - Latency counts from each request's scheduled time, so the sender's own lateness is
//     charged to the server. The sender keeps time on a locked OS thread with nanosleep and a
//     1 ns timer slack: Go's time.Sleep wakes through the runtime's poller at millisecond
//     granularity and, on a two-core VM, woke 0.55 ms late at the median and 1.1 ms at p99 —
//     more than the budget being measured. Its lateness is printed as well.
//   - Each request is written and its answer read by one goroutine on a kept-alive HTTP/1.1
//     connection taken from a pool, without net/http's Transport, whose two goroutines per
//     connection add two hand-offs (and, on an idle VM, two wake-ups) to every request.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"sync"
	"time"
)

func main() {
	target := flag.String("url", "http://127.0.0.1:8080/api/v1/trades/check", "endpoint (loopback only)")
	host := flag.String("host", "psydge.localhost", "Host header")
	token := flag.String("token", os.Getenv("TOKEN"), "Bearer token")
	method := flag.String("method", http.MethodPost, "request method")
	rate := flag.Int("rate", 500, "requests per second")
	duration := flag.Duration("duration", 30*time.Second, "how long to send (at most 5m)")
	warm := flag.Duration("warmup", 3*time.Second, "sent but not measured")
	body := flag.String("body", `{"symbol":"EURUSD","timeframe":"M5","direction":"buy","volume":0.10,"stop_loss":1.08300}`, "request body (POST)")
	flag.Parse()
	u, err := url.Parse(*target)
	if err != nil || u.Scheme != "http" {
		fail(fmt.Errorf("-url must be an http:// URL"))
	}
	ips, err := net.LookupIP(u.Hostname())
	if err != nil || len(ips) == 0 || !ips[0].IsLoopback() {
		fail(fmt.Errorf("refusing %s: psydge-load only targets loopback addresses", u.Host))
	}
	if *rate <= 0 || *rate > 5000 || *duration <= 0 || *duration > 5*time.Minute {
		fail(fmt.Errorf("rate must be 1..5000 and duration at most 5m"))
	}
	req := buildRequest(*method, u.RequestURI(), *host, *token, *body)
	pool := &connPool{addr: u.Host}

	var mu sync.Mutex
	var lat []time.Duration
	statuses := map[int]int{}
	errs := 0
	var firstErr error
	var wg sync.WaitGroup
	interval := time.Second / time.Duration(*rate)
	start := time.Now()
	measureFrom := start.Add(*warm)
	end := measureFrom.Add(*duration)
	pacer := newPacer()
	var lags []time.Duration
	for i := 0; ; i++ {
		at := start.Add(time.Duration(i) * interval)
		if at.After(end) {
			break
		}
		pacer.sleepUntil(at)
		if !at.Before(measureFrom) {
			lags = append(lags, time.Since(at))
		}
		wg.Add(1)
		go func(scheduled time.Time) {
			defer wg.Done()
			status, err := pool.do(req)
			d := time.Since(scheduled)
			if scheduled.Before(measureFrom) {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs++
				if firstErr == nil {
					firstErr = err
				}
				return
			}
			statuses[status]++
			lat = append(lat, d)
		}(at)
	}
	wg.Wait()
	slices.Sort(lat)
	if len(lat) == 0 {
		fail(fmt.Errorf("no answers (%d errors; first: %v)", errs, firstErr))
	}
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(float64(len(lat))*p))] }
	fmt.Printf("requests=%d rate=%d/s errors=%d statuses=%v\n", len(lat), *rate, errs, statuses)
	if firstErr != nil {
		fmt.Printf("first error: %v\n", firstErr)
	}
	fmt.Printf("p50=%v p90=%v p99=%v p99.9=%v max=%v\n", pct(0.50), pct(0.90), pct(0.99), pct(0.999), lat[len(lat)-1])
	slices.Sort(lags)
	fmt.Printf("sender lateness (included above): p50=%v p99=%v\n", lags[len(lags)/2], lags[len(lags)*99/100])
}

func buildRequest(method, uri, host, token, body string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: psydge-load\r\nAccept-Encoding: gzip\r\n", method, uri, host)
	if token != "" {
		fmt.Fprintf(&b, "Authorization: Bearer %s\r\n", token)
	}
	if method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch {
		fmt.Fprintf(&b, "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
	} else {
		b.WriteString("\r\n")
	}
	return b.Bytes()
}

// connPool keeps idle connections; a request takes one or dials a new one (at most 256).
type connPool struct {
	addr  string
	mu    sync.Mutex
	idle  []*conn
	count int
}

type conn struct {
	c  net.Conn
	br *bufio.Reader
}

func (p *connPool) do(req []byte) (int, error) {
	c, err := p.get()
	if err != nil {
		return 0, err
	}
	status, keep, err := c.roundTrip(req)
	if err != nil || !keep {
		c.c.Close()
		p.mu.Lock()
		p.count--
		p.mu.Unlock()
		return status, err
	}
	p.mu.Lock()
	p.idle = append(p.idle, c)
	p.mu.Unlock()
	return status, nil
}

func (p *connPool) get() (*conn, error) {
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return c, nil
	}
	if p.count >= 256 {
		p.mu.Unlock()
		return nil, errors.New("256 requests are outstanding: the server is not keeping up")
	}
	p.count++
	p.mu.Unlock()
	c, err := net.DialTimeout("tcp", p.addr, 5*time.Second)
	if err != nil {
		p.mu.Lock()
		p.count--
		p.mu.Unlock()
		return nil, err
	}
	return &conn{c: c, br: bufio.NewReaderSize(c, 8192)}, nil
}

// roundTrip writes one request and reads the whole answer (net/http's parser, body drained).
func (c *conn) roundTrip(req []byte) (status int, keepAlive bool, err error) {
	_ = c.c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.c.Write(req); err != nil {
		return 0, false, err
	}
	res, err := http.ReadResponse(c.br, nil)
	if err != nil {
		return 0, false, err
	}
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return res.StatusCode, false, err
	}
	res.Body.Close()
	if res.Close {
		return res.StatusCode, false, nil
	}
	if res.ContentLength < 0 && len(res.TransferEncoding) == 0 {
		return res.StatusCode, false, errors.New("answer without a length on a kept-alive connection: " + strconv.Itoa(res.StatusCode))
	}
	return res.StatusCode, true, nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "psydge-load:", err)
	os.Exit(1)
}
