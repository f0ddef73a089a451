// Command psydge-load drives POST /api/v1/trades/check at a fixed request rate (open loop: a
// slow answer does not slow the sender, so queueing shows up in the percentiles, unlike a
// closed-loop tool) and prints latency percentiles. It only talks to loopback addresses and
// stops after -duration.
//
//	psydge-load -url http://127.0.0.1:8080/api/v1/trades/check -token $TOKEN -rate 500 -duration 30s
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sync"
	"time"
)

func main() {
	target := flag.String("url", "http://127.0.0.1:8080/api/v1/trades/check", "endpoint (loopback only)")
	host := flag.String("host", "psydge.localhost", "Host header")
	token := flag.String("token", os.Getenv("TOKEN"), "Bearer token")
	rate := flag.Int("rate", 500, "requests per second")
	duration := flag.Duration("duration", 30*time.Second, "how long to send (at most 5m)")
	warm := flag.Duration("warmup", 3*time.Second, "sent but not measured")
	body := flag.String("body", `{"symbol":"EURUSD","timeframe":"M5","direction":"buy","volume":0.10,"stop_loss":1.08300}`, "request body")
	flag.Parse()
	u, err := url.Parse(*target)
	if err != nil {
		fail(err)
	}
	ips, err := net.LookupIP(u.Hostname())
	if err != nil || len(ips) == 0 || !ips[0].IsLoopback() {
		fail(fmt.Errorf("refusing %s: psydge-load only targets loopback addresses", u.Host))
	}
	if *rate <= 0 || *rate > 5000 || *duration <= 0 || *duration > 5*time.Minute {
		fail(fmt.Errorf("rate must be 1..5000 and duration at most 5m"))
	}
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}}
	var mu sync.Mutex
	var lat []time.Duration
	statuses := map[int]int{}
	errs := 0
	var wg sync.WaitGroup
	interval := time.Second / time.Duration(*rate)
	start := time.Now()
	measureFrom := start.Add(*warm)
	end := measureFrom.Add(*duration)
	for i := 0; ; i++ {
		at := start.Add(time.Duration(i) * interval)
		if at.After(end) {
			break
		}
		time.Sleep(time.Until(at))
		wg.Add(1)
		go func(scheduled time.Time) {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, *target, bytes.NewReader([]byte(*body)))
			req.Host = *host
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+*token)
			res, err := client.Do(req)
			// Latency counts from the scheduled send time, so a sender that fell behind is
			// charged to the server, not hidden (no coordinated omission).
			d := time.Since(scheduled)
			if err == nil {
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
			if scheduled.Before(measureFrom) {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs++
				return
			}
			statuses[res.StatusCode]++
			lat = append(lat, d)
		}(at)
	}
	wg.Wait()
	slices.Sort(lat)
	if len(lat) == 0 {
		fail(fmt.Errorf("no answers (%d errors)", errs))
	}
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(float64(len(lat))*p))] }
	fmt.Printf("requests=%d rate=%d/s errors=%d statuses=%v\n", len(lat), *rate, errs, statuses)
	fmt.Printf("p50=%v p90=%v p99=%v p99.9=%v max=%v\n", pct(0.50), pct(0.90), pct(0.99), pct(0.999), lat[len(lat)-1])
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "psydge-load:", err)
	os.Exit(1)
}
