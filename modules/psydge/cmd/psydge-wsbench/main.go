// Command psydge-wsbench measures the live channel: N WebSocket clients subscribed to one
// symbol, ticks published through Redis, and the time from PUBLISH to each client's read; and
// the server's memory per idle connection. The hub runs in a child process (-serve) so its
// memory is measured apart from the clients'. Loopback only; everything ends after the run.
//
//	psydge-wsbench -clients 5000 -ticks 20
//
// Authentication is not part of this measurement (the child accepts ?u=<user id>); the
// module's handler authenticates before it calls the same live.Hub.Serve.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/alorig/alorig/modules/psydge/live"
	"github.com/alorig/alorig/shared/cache"
)

type stats struct {
	Clients    int    `json:"clients"`
	HeapInuse  uint64 `json:"heap_inuse"`
	StackInuse uint64 `json:"stack_inuse"`
	Goroutines int    `json:"goroutines"`
	Dropped    int64  `json:"dropped"`
}

func main() {
	serve := flag.Bool("serve", false, "run the hub (child process)")
	addr := flag.String("addr", "127.0.0.1:18913", "hub address (loopback)")
	redisURL := flag.String("redis", envOr("ALORIG_REDIS_URL", "redis://127.0.0.1:6379"), "Redis")
	prefix := flag.String("prefix", "", "key prefix (random when empty)")
	clients := flag.Int("clients", 5000, "WebSocket clients (at most 20000)")
	ticks := flag.Int("ticks", 20, "price ticks to publish")
	gap := flag.Duration("gap", 200*time.Millisecond, "time between ticks")
	cpuProfile := flag.String("cpuprofile", "", "write the clients' CPU profile while ticks flow to this file")
	flag.Parse()
	raiseFileLimit()
	if *prefix == "" {
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		*prefix = "psydge:wsbench" + hex.EncodeToString(b) + ":"
	}
	host, _, _ := net.SplitHostPort(*addr)
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		fail(errors.New("the hub address must be a loopback IP"))
	}
	kv, err := cache.Open(*redisURL, 2, *prefix, 16)
	if err != nil {
		fail(err)
	}
	if *serve {
		runHub(kv, *addr)
		return
	}
	if *clients <= 0 || *clients > 20000 || *ticks <= 0 || *ticks > 1000 {
		fail(errors.New("clients must be 1..20000 and ticks 1..1000"))
	}
	run(kv, *addr, *redisURL, *prefix, *clients, *ticks, *gap, *cpuProfile)
}

func runHub(kv *cache.Keyspace, addr string) {
	h := live.New(live.Config{KV: kv, SendBuffer: 64})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = h.Run(ctx) }()
	<-h.Ready()
	mux := http.NewServeMux()
	mux.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		u, _ := strconv.ParseInt(r.URL.Query().Get("u"), 10, 64)
		_ = h.Serve(w, r, live.Identity{User: u}, []string{r.URL.Query().Get("symbols")})
	})
	mux.HandleFunc("/stats", func(w http.ResponseWriter, r *http.Request) {
		runtime.GC()
		debug.FreeOSMemory()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		n, _, dropped := h.Stats()
		_ = json.NewEncoder(w).Encode(stats{Clients: n, HeapInuse: ms.HeapInuse, StackInuse: ms.StackInuse, Goroutines: runtime.NumGoroutine(), Dropped: dropped})
	})
	mux.Handle("/debug/pprof/", http.DefaultServeMux) // the child's CPU profile while ticks flow
	mux.HandleFunc("/quit", func(w http.ResponseWriter, r *http.Request) { cancel(); os.Exit(0) })
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fail(err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	fmt.Println("ready")
	if err := srv.Serve(ln); err != nil {
		fail(err)
	}
}

func getStats(base string) stats {
	var s stats
	res, err := http.Get(base + "/stats")
	if err != nil {
		fail(err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(&s); err != nil {
		fail(err)
	}
	return s
}

func run(kv *cache.Keyspace, addr, redisURL, prefix string, n, ticks int, gap time.Duration, cpuProfile string) {
	self, err := os.Executable()
	if err != nil {
		fail(err)
	}
	child := exec.Command(self, "-serve", "-addr", addr, "-redis", redisURL, "-prefix", prefix)
	child.Stderr = os.Stderr
	out, _ := child.StdoutPipe()
	if err := child.Start(); err != nil {
		fail(err)
	}
	defer func() { _, _ = http.Get("http://" + addr + "/quit"); _ = child.Wait() }()
	buf := make([]byte, 6)
	if _, err := out.Read(buf); err != nil {
		fail(fmt.Errorf("hub did not start: %w", err))
	}
	base := "http://" + addr
	before := getStats(base)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	var lat []time.Duration
	var mu sync.Mutex
	var received atomic.Int64
	conns := make([]*wsClient, n)
	sem := make(chan struct{}, 64)
	var wg sync.WaitGroup
	dialStart := time.Now()
	for i := range n {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			c, err := dialWS(addr, fmt.Sprintf("/ws?u=%d&symbols=EURUSD", i+1))
			if err != nil {
				fail(fmt.Errorf("client %d: %w", i, err))
			}
			conns[i] = c
		}()
	}
	wg.Wait()
	for waited := 0; getStats(base).Clients < n; waited++ {
		if waited > 100 {
			fail(errors.New("not every client registered"))
		}
		time.Sleep(100 * time.Millisecond)
	}
	idle := getStats(base)
	fmt.Printf("dialled %d clients in %v\n", n, time.Since(dialStart).Round(time.Millisecond))
	perConn := float64(int64(idle.HeapInuse+idle.StackInuse)-int64(before.HeapInuse+before.StackInuse)) / float64(n)
	fmt.Printf("server memory per idle connection: %.1f KB (heap %.1f MB, stacks %.1f MB, %d goroutines)\n",
		perConn/1024, float64(idle.HeapInuse)/(1<<20), float64(idle.StackInuse)/(1<<20), idle.Goroutines)

	for _, c := range conns {
		go func() {
			for {
				b, err := c.readText()
				if err != nil {
					return
				}
				now := time.Now()
				// A byte scan instead of json.Unmarshal: the clients share the CPU with the hub,
				// and their parsing would be charged to the hub's latency.
				if i := bytes.Index(b, []byte(`"t":`)); i >= 0 {
					j := i + 4
					for j < len(b) && b[j] >= '0' && b[j] <= '9' {
						j++
					}
					t, _ := strconv.ParseInt(string(b[i+4:j]), 10, 64)
					d := now.Sub(time.Unix(0, t))
					mu.Lock()
					lat = append(lat, d)
					mu.Unlock()
					received.Add(1)
				}
			}
		}()
	}
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			fail(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fail(err)
		}
		defer pprof.StopCPUProfile()
	}
	for range ticks {
		if err := live.PublishPrice(ctx, kv, "EURUSD", map[string]int64{"t": time.Now().UnixNano()}); err != nil {
			fail(err)
		}
		time.Sleep(gap)
	}
	want := int64(n * ticks)
	deadline := time.Now().Add(30 * time.Second)
	for received.Load() < want && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	end := getStats(base)
	mu.Lock()
	slices.Sort(lat)
	got := len(lat)
	mu.Unlock()
	if got == 0 {
		fail(errors.New("no tick arrived"))
	}
	pct := func(p float64) time.Duration { return lat[min(got-1, int(float64(got)*p))] }
	fmt.Printf("ticks: %d published, %d of %d deliveries, %d clients dropped\n", ticks, got, want, end.Dropped)
	fmt.Printf("publish→read latency: p50=%v p90=%v p99=%v max=%v\n", pct(0.5), pct(0.9), pct(0.99), lat[got-1])
	for _, c := range conns {
		_ = c.Close()
	}
}

func raiseFileLimit() {
	var l syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l) == nil && l.Cur < l.Max {
		l.Cur = l.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
	}
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "psydge-wsbench:", err)
	os.Exit(1)
}
