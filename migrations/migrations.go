// Package migrations embeds every module's SQL migrations. Each module database receives the
// platform's migrations (accounts, sessions, API keys) and then its own, ordered by timestamp and
// tracked in that database's own alorig_migrations table.
package migrations

import (
	"embed"
	"fmt"
	"io/fs"
)

//go:embed platform/*.sql psydge/*.sql snapify/*.sql sitebuilder/*.sql observer/*.sql astrotiming/*.sql asms/*.sql
var files embed.FS

// For returns the folders of SQL files that make up a module's schema: the platform's first.
func For(module string) ([]fs.FS, error) {
	own, err := fs.Sub(files, module)
	if err != nil {
		return nil, err
	}
	if _, err := fs.ReadDir(own, "."); err != nil {
		return nil, fmt.Errorf("no migrations for module %q", module)
	}
	platform, err := fs.Sub(files, "platform")
	if err != nil {
		return nil, err
	}
	return []fs.FS{platform, own}, nil
}
