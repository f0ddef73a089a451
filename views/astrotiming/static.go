package astrotiming

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
)

// CountdownJS is the day page's countdown script, served by the binary at CountdownPath. The
// path carries a hash of the content, so it can be cached for good: a new version is a new name.
//
//go:embed static/countdown.js
var CountdownJS []byte

// CountdownPath is where the page loads CountdownJS from.
var CountdownPath = func() string {
	sum := sha256.Sum256(CountdownJS)
	return "/static/countdown." + hex.EncodeToString(sum[:4]) + ".js"
}()
