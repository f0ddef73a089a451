package cache

import (
	"container/list"
	"sync"
	"time"
)

// Local is a bounded in-process cache with a time to live: the platform's one local cache
// type. It never holds more than its capacity, so keys chosen by outsiders (Host headers, TLS
// names, client addresses) cannot grow memory without end; when full, the least recently used
// entry makes room. Time comes from the injected now, so tests move it by hand.
//
// Use it for answers that are cheap to lose: a miss just means asking the source again. It is
// safe for concurrent use.
type Local[K comparable, V any] struct {
	mu       sync.Mutex
	capacity int
	ttl      time.Duration
	now      func() time.Time
	items    map[K]*list.Element
	order    *list.List // front: most recently used
}

type localEntry[K comparable, V any] struct {
	key     K
	value   V
	expires time.Time
}

// NewLocal returns a cache of at most capacity entries, each living ttl after it was set.
// capacity below 1 is taken as 1; now nil means time.Now.
func NewLocal[K comparable, V any](capacity int, ttl time.Duration, now func() time.Time) *Local[K, V] {
	if capacity < 1 {
		capacity = 1
	}
	if now == nil {
		now = time.Now
	}
	return &Local[K, V]{capacity: capacity, ttl: ttl, now: now, items: map[K]*list.Element{}, order: list.New()}
}

// Get returns the live value for key.
func (c *Local[K, V]) Get(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.live(key, c.now())
	if !ok {
		var zero V
		return zero, false
	}
	return e.value, true
}

// Set stores value under key for the cache's ttl.
func (c *Local[K, V]) Set(key K, value V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.put(key, value, c.now())
}

// Update replaces key's value with fn(old, found) in one step, so concurrent counters do not
// lose increments. A value that is new or was expired starts a fresh ttl; an update of a live
// value keeps its expiry (a fixed window for rate counters). It returns the stored value.
func (c *Local[K, V]) Update(key K, fn func(old V, found bool) V) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if e, ok := c.live(key, now); ok {
		e.value = fn(e.value, true)
		return e.value
	}
	var zero V
	v := fn(zero, false)
	c.put(key, v, now)
	return v
}

// Delete drops key.
func (c *Local[K, V]) Delete(key K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.remove(el)
	}
}

// DeleteFunc drops every entry whose key match accepts, for dropping a group of keys at once
// (all the pages of one store). It visits every entry, so it suits small caches and rare calls.
func (c *Local[K, V]) DeleteFunc(match func(K) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, el := range c.items {
		if match(k) {
			c.remove(el)
		}
	}
}

// Len is the number of entries held, expired ones not yet reclaimed included.
func (c *Local[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

// live finds key's entry, dropping it when expired, and marks it recently used.
func (c *Local[K, V]) live(key K, now time.Time) (*localEntry[K, V], bool) {
	el, ok := c.items[key]
	if !ok {
		return nil, false
	}
	e := el.Value.(*localEntry[K, V])
	if !now.Before(e.expires) {
		c.remove(el)
		return nil, false
	}
	c.order.MoveToFront(el)
	return e, true
}

func (c *Local[K, V]) put(key K, value V, now time.Time) {
	if el, ok := c.items[key]; ok {
		e := el.Value.(*localEntry[K, V])
		e.value, e.expires = value, now.Add(c.ttl)
		c.order.MoveToFront(el)
		return
	}
	for len(c.items) >= c.capacity {
		c.remove(c.order.Back())
	}
	c.items[key] = c.order.PushFront(&localEntry[K, V]{key: key, value: value, expires: now.Add(c.ttl)})
}

func (c *Local[K, V]) remove(el *list.Element) {
	c.order.Remove(el)
	delete(c.items, el.Value.(*localEntry[K, V]).key)
}
