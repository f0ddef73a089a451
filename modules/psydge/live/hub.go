// Package live is Psydge's live channel: authenticated WebSocket connections that receive
// per-user events (positions, gate status, violations, AI messages) and prices for the symbols
// they subscribed to. Any process publishes through Redis pub/sub (PublishUser, PublishPrice);
// every process that serves connections runs one Hub, which holds one subscription and fans
// each message out to its local clients.
//
// A client whose send buffer is full is dropped (the server never waits for a slow reader);
// heartbeats are WebSocket pings from one hub-wide ticker, not a timer per connection, so an
// idle connection costs two parked goroutines and its buffers.
package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alorig/alorig/shared/cache"
	"github.com/coder/websocket"
)

// Channels on the module's keyspace ("psydge:live:user", "psydge:live:prices").
const (
	ChannelUser   = "live:user"
	ChannelPrices = "live:prices"
)

// Event is one frame sent to a client: {"type": "...", "data": {...}}.
type Event struct {
	Type string `json:"type"`
	Data any    `json:"data"`
}

// Encode marshals an event; an unencodable one becomes an error frame rather than a panic.
func Encode(typ string, data any) []byte {
	b, err := json.Marshal(Event{Type: typ, Data: data})
	if err != nil {
		b, _ = json.Marshal(Event{Type: "error", Data: err.Error()})
	}
	return b
}

// PublishUser sends an event to every connection of one user, in whichever process holds it.
func PublishUser(ctx context.Context, kv *cache.Keyspace, userID int64, typ string, data any) error {
	return kv.Publish(ctx, ChannelUser, strconv.FormatInt(userID, 10)+"\n"+string(Encode(typ, data)))
}

// PublishPrice sends a price event to every connection subscribed to symbol.
func PublishPrice(ctx context.Context, kv *cache.Keyspace, symbol string, data any) error {
	return kv.Publish(ctx, ChannelPrices, symbol+"\n"+string(Encode("price", data)))
}

// Config configures a Hub. The hub's times (frame rate buckets, stuck writers) are the wall clock on purpose: they pace
// sockets and goroutines against real tickers and decide no rule, so no injected clock reaches
// here.
type Config struct {
	KV  *cache.Keyspace
	Log *slog.Logger
	// Snapshot returns the frames a client gets first on every (re)connect.
	Snapshot func(ctx context.Context, userID int64, symbols []string) [][]byte
	// SendBuffer is how many frames may wait for one client before it is dropped (64).
	SendBuffer int
	// Heartbeat is the ping interval (25 s); a client that does not answer within
	// WriteTimeout is closed.
	Heartbeat    time.Duration
	WriteTimeout time.Duration
	// MaxSymbols bounds one connection's price subscriptions (32).
	MaxSymbols int
	// WriterLinger is how long a connection's writer goroutine waits for the next frame
	// before it exits (30 s): longer than the tick interval, shorter than an idle session.
	WriterLinger time.Duration
	// MaxPerUser bounds one user's connections in this process (5): Serve refuses another
	// with ErrTooManyConnections before the upgrade.
	MaxPerUser int
	// Each connection's frames (subscribe and the rest) pass a token bucket of FrameBurst
	// (5) refilled at FrameRate per second (1): a subscribe reads the gate state and prices, so
	// a client cannot make the server do that in a loop. A frame over the limit gets an error
	// frame; FrameStrikes (10) of them in a row close the connection (policy violation).
	FrameRate    float64
	FrameBurst   int
	FrameStrikes int
	// SessionsValid reports which of the sessions are still valid. With it, a connection
	// opened by a session ends when the session does: at once when SessionChannel announces a
	// change of that session or its user (read with ParseSessionChange), and at the latest at
	// the next SessionCheck (30 s), which checks every connection in one call.
	SessionsValid      func(ctx context.Context, ids []int64) (map[int64]bool, error)
	SessionChannel     string
	ParseSessionChange func(payload string) (sessions, users []int64)
	SessionCheck       time.Duration
}

// Identity is who a connection belongs to: the user, and the session that opened it (0 for
// none: such a connection is never checked against sessions).
type Identity struct {
	User    int64
	Session int64
}

// Hub holds this process's connections.
type Hub struct {
	cfg Config

	mu      sync.RWMutex
	users   map[int64]map[*client]struct{}
	symbols map[string]map[*client]struct{}
	closed  bool

	dropped   atomic.Int64
	delivered atomic.Int64
	// ctx bounds every connection's read loop; Close cancels it after the close frames.
	ctx    context.Context
	cancel context.CancelFunc
	// wctx is the current write deadline context, replaced every WriteTimeout/2 by Run, so
	// every write has between WriteTimeout/2 and WriteTimeout to finish.
	wmu       sync.RWMutex
	wctx      context.Context
	ready     chan struct{}
	readyOnce sync.Once
}

type client struct {
	hub     *Hub
	user    int64
	session int64
	conn    *websocket.Conn
	send    chan []byte
	done    chan struct{}
	once    sync.Once
	writing atomic.Bool
	// writeSince is when the current write began (Unix ns), 0 between writes.
	writeSince atomic.Int64
	symbols    []string // guarded by hub.mu
	// The frame bucket, touched only by the read loop.
	tokens  float64
	refill  time.Time
	strikes int
}

// pingFrame in a send queue asks the writer for a WebSocket ping.
var pingFrame = []byte{}

// New builds a hub; Run connects it to Redis.
func New(cfg Config) *Hub {
	if cfg.SendBuffer <= 0 {
		cfg.SendBuffer = 64
	}
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = 25 * time.Second
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = 10 * time.Second
	}
	if cfg.MaxSymbols <= 0 {
		cfg.MaxSymbols = 32
	}
	if cfg.WriterLinger <= 0 {
		cfg.WriterLinger = 30 * time.Second
	}
	if cfg.MaxPerUser <= 0 {
		cfg.MaxPerUser = 5
	}
	if cfg.FrameRate <= 0 {
		cfg.FrameRate = 1
	}
	if cfg.FrameBurst <= 0 {
		cfg.FrameBurst = 5
	}
	if cfg.FrameStrikes <= 0 {
		cfg.FrameStrikes = 10
	}
	if cfg.SessionCheck <= 0 {
		cfg.SessionCheck = 30 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &Hub{cfg: cfg, users: map[int64]map[*client]struct{}{}, symbols: map[string]map[*client]struct{}{}, ready: make(chan struct{}), ctx: ctx, cancel: cancel}
	return h
}

// Ready is closed once the Redis subscription is confirmed.
func (h *Hub) Ready() <-chan struct{} { return h.ready }

// Run subscribes to the live channels and delivers until ctx ends, re-subscribing after a
// Redis failure. Connections stay open while Redis is away; they just hear nothing.
func (h *Hub) Run(ctx context.Context) error {
	hb := time.NewTicker(h.cfg.Heartbeat)
	defer hb.Stop()
	watch := time.NewTicker(h.cfg.WriteTimeout / 2)
	defer watch.Stop()
	var sessions <-chan time.Time // nil without SessionsValid: never fires
	if h.cfg.SessionsValid != nil {
		st := time.NewTicker(h.cfg.SessionCheck)
		defer st.Stop()
		sessions = st.C
	}
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-hb.C:
				h.pingAll()
			case <-watch.C:
				h.dropStuckWriters(time.Now())
			case <-sessions:
				h.checkSessions(ctx, func(*client) bool { return true })
			}
		}
	}()
	for ctx.Err() == nil {
		err := h.listen(ctx)
		if ctx.Err() != nil {
			break
		}
		h.cfg.Log.Warn("live channel lost Redis; re-subscribing", "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
	return ctx.Err()
}

func (h *Hub) listen(ctx context.Context) error {
	channels := []string{ChannelUser, ChannelPrices}
	if h.cfg.SessionsValid != nil && h.cfg.SessionChannel != "" && h.cfg.ParseSessionChange != nil {
		channels = append(channels, h.cfg.SessionChannel)
	}
	sub := h.cfg.KV.Subscribe(ctx, channels...)
	defer sub.Close()
	// Receive does not return on ctx alone while the channel is quiet; closing does.
	stop := context.AfterFunc(ctx, func() { _ = sub.Close() })
	defer stop()
	if err := sub.Ready(ctx); err != nil {
		return err
	}
	h.readyOnce.Do(func() { close(h.ready) })
	for {
		msg, err := sub.Receive(ctx)
		if err != nil {
			return err
		}
		if msg.Channel == h.cfg.SessionChannel && msg.Channel != "" {
			h.sessionChanged(ctx, msg.Payload)
			continue
		}
		target, payload, ok := strings.Cut(msg.Payload, "\n")
		if !ok {
			continue
		}
		frame := []byte(payload)
		switch msg.Channel {
		case ChannelUser:
			id, err := strconv.ParseInt(target, 10, 64)
			if err == nil {
				h.deliver(h.users, id, frame)
			}
		case ChannelPrices:
			h.deliverSymbol(target, frame)
		}
	}
}

func (h *Hub) deliver(idx map[int64]map[*client]struct{}, id int64, frame []byte) {
	h.mu.RLock()
	set := idx[id]
	targets := make([]*client, 0, len(set))
	for c := range set {
		targets = append(targets, c)
	}
	h.mu.RUnlock()
	for _, c := range targets {
		c.enqueue(frame)
	}
}

func (h *Hub) deliverSymbol(symbol string, frame []byte) {
	h.mu.RLock()
	set := h.symbols[symbol]
	targets := make([]*client, 0, len(set))
	for c := range set {
		targets = append(targets, c)
	}
	h.mu.RUnlock()
	for _, c := range targets {
		c.enqueue(frame)
	}
}

// enqueue never blocks: a full queue means the client cannot keep up, and it is dropped.
func (c *client) enqueue(frame []byte) {
	select {
	case <-c.done:
		return
	default:
	}
	select {
	case c.send <- frame:
		c.hub.delivered.Add(1)
	default:
		c.hub.dropped.Add(1)
		c.hub.cfg.Log.Info("live: dropping slow client", "user", c.user)
		c.stop()
		_ = c.conn.CloseNow()
		return
	}
	if c.writing.CompareAndSwap(false, true) {
		go c.writeLoop()
	}
}

func (c *client) stop() { c.once.Do(func() { close(c.done) }) }

func (h *Hub) pingAll() {
	h.mu.RLock()
	var all []*client
	for _, set := range h.users {
		for c := range set {
			all = append(all, c)
		}
	}
	h.mu.RUnlock()
	for _, c := range all {
		c.enqueue(pingFrame)
	}
}

// Stats reports connected clients, frames queued and clients dropped as slow.
func (h *Hub) Stats() (clients int, delivered, dropped int64) {
	h.mu.RLock()
	for _, set := range h.users {
		clients += len(set)
	}
	h.mu.RUnlock()
	return clients, h.delivered.Load(), h.dropped.Load()
}

// ErrClosed is returned by Serve once the hub is shutting down.
var ErrClosed = errors.New("live: hub is closed")

// ErrTooManyConnections is returned by Serve, before the upgrade and without writing an
// answer, when the user already holds MaxPerUser connections here.
var ErrTooManyConnections = errors.New("live: too many connections for this user")

// sessionChanged checks, off the fan-out loop, the connections a session-channel message
// names: a revoked session, or any session of a changed user.
func (h *Hub) sessionChanged(ctx context.Context, payload string) {
	if strings.HasPrefix(payload, "~hb:") {
		return
	}
	sessions, users := h.cfg.ParseSessionChange(payload)
	if len(sessions) == 0 && len(users) == 0 {
		return
	}
	go h.checkSessions(ctx, func(c *client) bool {
		return slices.Contains(sessions, c.session) || slices.Contains(users, c.user)
	})
}

// checkSessions closes the matching connections whose session has ended. When the sessions
// cannot be read it keeps them (the next check tries again): they only receive.
func (h *Hub) checkSessions(ctx context.Context, match func(*client) bool) {
	h.mu.RLock()
	var cs []*client
	seen := map[int64]bool{}
	var ids []int64
	for _, set := range h.users {
		for c := range set {
			if c.session == 0 || !match(c) {
				continue
			}
			cs = append(cs, c)
			if !seen[c.session] {
				seen[c.session] = true
				ids = append(ids, c.session)
			}
		}
	}
	h.mu.RUnlock()
	if len(ids) == 0 {
		return
	}
	live, err := h.cfg.SessionsValid(ctx, ids)
	if err != nil {
		h.cfg.Log.Warn("live: sessions could not be checked", "err", err)
		return
	}
	for _, c := range cs {
		if !live[c.session] {
			h.cfg.Log.Info("live: closing a connection whose session ended", "user", c.user, "session", c.session)
			c.stop()
			go func() { _ = c.conn.Close(websocket.StatusPolicyViolation, "session ended: sign in again") }()
		}
	}
}

// count is how many connections the user holds here.
func (h *Hub) count(user int64) int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.users[user])
}

// Serve upgrades the request of an authenticated user and hands the connection to the hub,
// which runs it until the client leaves, is dropped, or the hub closes.
// Subscriptions can be changed with {"type":"subscribe","symbols":[...]} and
// {"type":"unsubscribe","symbols":[...]}.
func (h *Hub) Serve(w http.ResponseWriter, r *http.Request, id Identity, symbols []string) error {
	userID := id.User
	h.mu.RLock()
	closed := h.closed
	h.mu.RUnlock()
	if closed {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return ErrClosed
	}
	if h.count(userID) >= h.cfg.MaxPerUser {
		return ErrTooManyConnections
	}
	// Only Bearer tokens and tickets authenticate here (never cookies), so any origin may
	// connect: a foreign page cannot ride a cookie into a socket.
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true, CompressionMode: websocket.CompressionDisabled})
	if err != nil {
		return err
	}
	conn.SetReadLimit(4096)
	c := &client{hub: h, user: userID, session: id.Session, conn: conn, send: make(chan []byte, h.cfg.SendBuffer), done: make(chan struct{}),
		tokens: float64(h.cfg.FrameBurst), refill: time.Now()}
	switch err := h.register(c); {
	case errors.Is(err, ErrTooManyConnections):
		// Two upgrades raced past the check above; the later one ends here.
		conn.Close(websocket.StatusPolicyViolation, fmt.Sprintf("at most %d live connections per user", h.cfg.MaxPerUser))
		return err
	case err != nil:
		conn.Close(websocket.StatusGoingAway, "server shutting down")
		return err
	}
	h.subscribe(c, symbols)
	if h.cfg.Snapshot != nil {
		for _, f := range h.cfg.Snapshot(r.Context(), userID, c.currentSymbols()) {
			c.enqueue(f)
		}
	}
	// The read loop runs on a fresh goroutine and the handler returns: the handler's stack
	// grew through the HTTP and middleware layers, and an idle connection should not keep it.
	go func() {
		defer h.unregister(c)
		c.readLoop(h.ctx)
	}()
	return nil
}

func (c *client) currentSymbols() []string {
	c.hub.mu.RLock()
	defer c.hub.mu.RUnlock()
	return append([]string(nil), c.symbols...)
}

// writeLoop drains the queue and lingers for WriterLinger before it exits, so a connection
// that receives a stream of ticks keeps one writer (and its grown stack) while an idle
// connection has none (enqueue starts one when a frame arrives). It ends quietly when the
// client is stopped: whoever stopped it (a slow-client drop, the read loop ending, or Close
// sending its going-away frame) owns closing the connection.
func (c *client) writeLoop() {
	var idle *time.Timer
	defer func() {
		if idle != nil {
			idle.Stop()
		}
	}()
	for {
		select {
		case <-c.done:
			return
		case f := <-c.send:
			if !c.send1(f) {
				return
			}
			continue
		default:
		}
		if idle == nil {
			idle = time.NewTimer(c.hub.cfg.WriterLinger)
		} else {
			idle.Reset(c.hub.cfg.WriterLinger)
		}
		select {
		case <-c.done:
			return
		case f := <-c.send:
			if !c.send1(f) {
				return
			}
		case <-idle.C:
			c.writing.Store(false)
			// A frame queued between the empty check and the flag reset would have found the
			// flag set and started no writer: look once more.
			if len(c.send) == 0 || !c.writing.CompareAndSwap(false, true) {
				return
			}
		}
	}
}

// send1 writes one queued frame (an empty one is a ping); false means the connection failed.
func (c *client) send1(f []byte) bool {
	var err error
	if len(f) == 0 {
		ctx, cancel := context.WithTimeout(context.Background(), c.hub.cfg.WriteTimeout)
		err = c.conn.Ping(ctx)
		cancel()
	} else {
		err = c.write(f)
	}
	if err != nil {
		c.stop()
		_ = c.conn.CloseNow()
		return false
	}
	return true
}

// write sends one frame. It passes no deadline to the connection: a context with one costs a
// registration per write (on a shared context, 5,000 writers contend for its lock), which
// dominated a tick's fan-out. A stuck write is ended instead by dropStuckWriters, which
// closes connections whose current write is older than WriteTimeout, and a reader that falls
// behind is dropped when its queue fills.
func (c *client) write(f []byte) error {
	c.writeSince.Store(time.Now().UnixNano())
	err := c.conn.Write(context.Background(), websocket.MessageText, f)
	c.writeSince.Store(0)
	return err
}

func (h *Hub) dropStuckWriters(now time.Time) {
	limit := now.Add(-h.cfg.WriteTimeout).UnixNano()
	h.mu.RLock()
	var stuck []*client
	for _, set := range h.users {
		for c := range set {
			if ws := c.writeSince.Load(); ws != 0 && ws < limit {
				stuck = append(stuck, c)
			}
		}
	}
	h.mu.RUnlock()
	for _, c := range stuck {
		h.dropped.Add(1)
		h.cfg.Log.Info("live: dropping client whose write is stuck", "user", c.user)
		c.stop()
		_ = c.conn.CloseNow()
	}
}

type command struct {
	Type    string   `json:"type"`
	Symbols []string `json:"symbols"`
}

func (c *client) readLoop(ctx context.Context) {
	defer c.stop()
	for {
		_, b, err := c.conn.Read(ctx)
		if err != nil {
			return
		}
		if !c.allowFrame(time.Now()) {
			c.strikes++
			if c.strikes >= c.hub.cfg.FrameStrikes {
				c.hub.cfg.Log.Info("live: closing a connection that keeps sending too many frames", "user", c.user)
				c.stop()
				_ = c.conn.Close(websocket.StatusPolicyViolation, "too many frames")
				return
			}
			c.enqueue(Encode("error", map[string]string{"code": "RATE_LIMITED",
				"message": fmt.Sprintf("at most %g frames per second (bursts of %d); this one was ignored, and the connection closes if it goes on", c.hub.cfg.FrameRate, c.hub.cfg.FrameBurst)}))
			continue
		}
		c.strikes = 0
		var cmd command
		if json.Unmarshal(b, &cmd) != nil {
			c.enqueue(Encode("error", "frames must be JSON commands: subscribe or unsubscribe"))
			continue
		}
		switch cmd.Type {
		case "subscribe":
			c.hub.subscribe(c, cmd.Symbols)
			if c.hub.cfg.Snapshot != nil {
				for _, f := range c.hub.cfg.Snapshot(ctx, c.user, cmd.Symbols) {
					c.enqueue(f)
				}
			}
		case "unsubscribe":
			c.hub.unsubscribe(c, cmd.Symbols)
		default:
			c.enqueue(Encode("error", "unknown command "+strconv.Quote(cmd.Type)))
		}
	}
}

// allowFrame takes a token from the connection's frame bucket.
func (c *client) allowFrame(now time.Time) bool {
	cfg := &c.hub.cfg
	c.tokens = min(float64(cfg.FrameBurst), c.tokens+now.Sub(c.refill).Seconds()*cfg.FrameRate)
	c.refill = now
	if c.tokens < 1 {
		return false
	}
	c.tokens--
	return true
}

func (h *Hub) register(c *client) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return ErrClosed
	}
	if len(h.users[c.user]) >= h.cfg.MaxPerUser {
		return ErrTooManyConnections
	}
	set := h.users[c.user]
	if set == nil {
		set = map[*client]struct{}{}
		h.users[c.user] = set
	}
	set[c] = struct{}{}
	return nil
}

func (h *Hub) unregister(c *client) {
	c.stop()
	h.mu.Lock()
	if set := h.users[c.user]; set != nil {
		delete(set, c)
		if len(set) == 0 {
			delete(h.users, c.user)
		}
	}
	for _, s := range c.symbols {
		if set := h.symbols[s]; set != nil {
			delete(set, c)
			if len(set) == 0 {
				delete(h.symbols, s)
			}
		}
	}
	c.symbols = nil
	h.mu.Unlock()
}

func (h *Hub) subscribe(c *client, symbols []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, s := range symbols {
		s = strings.ToUpper(strings.TrimSpace(s))
		if s == "" || len(s) > 16 || len(c.symbols) >= h.cfg.MaxSymbols {
			continue
		}
		set := h.symbols[s]
		if set == nil {
			set = map[*client]struct{}{}
			h.symbols[s] = set
		}
		if _, ok := set[c]; ok {
			continue
		}
		set[c] = struct{}{}
		c.symbols = append(c.symbols, s)
	}
}

func (h *Hub) unsubscribe(c *client, symbols []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, s := range symbols {
		s = strings.ToUpper(strings.TrimSpace(s))
		if set := h.symbols[s]; set != nil {
			delete(set, c)
		}
		for i, have := range c.symbols {
			if have == s {
				c.symbols = append(c.symbols[:i], c.symbols[i+1:]...)
				break
			}
		}
	}
}

// Close sends every client a going-away close frame, within ctx, and refuses new ones.
func (h *Hub) Close(ctx context.Context) error {
	h.mu.Lock()
	h.closed = true
	var all []*client
	for _, set := range h.users {
		for c := range set {
			all = append(all, c)
		}
	}
	h.mu.Unlock()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	for _, c := range all {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			c.stop()
			done := make(chan struct{})
			go func() { _ = c.conn.Close(websocket.StatusGoingAway, "server shutting down"); close(done) }()
			select {
			case <-done:
			case <-ctx.Done():
				_ = c.conn.CloseNow()
			}
		}()
	}
	wg.Wait()
	h.cancel()
	return nil
}
