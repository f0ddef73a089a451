package cache

import "time"

// Silence makes the cache believe its channel has been quiet for a minute.
func (n *Near[K, V]) Silence() { n.heardNano.Store(time.Now().Add(-time.Minute).UnixNano()) }
