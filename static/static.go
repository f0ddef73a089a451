// Package static holds the built front-end bundles, embedded so that `go build` and the binary
// need no Node. They are built from web/ (`make web-build`) and committed; `make web-check`
// rebuilds them and fails when they differ from what is committed. docs/web.md explains it.
package static

import (
	"embed"
	"fmt"
	"io/fs"
)

//go:embed all:apps
var apps embed.FS

// App is the built bundle of one front end (its index.html at the root, hashed files under
// assets/), or an error naming the app when it was never built.
func App(name string) (fs.FS, error) {
	sub, err := fs.Sub(apps, "apps/"+name)
	if err != nil {
		return nil, err
	}
	if _, err := fs.Stat(sub, "index.html"); err != nil {
		return nil, fmt.Errorf("static: the %s front end is not built (web/apps/%s): run make web-build", name, name)
	}
	return sub, nil
}
