// Package observer is Observer OS: anonymous-first, encrypted AI journaling. This first
// version carries its accounts (anonymous, then email), its sealed journal table and its
// landing page; the journaling product follows in its own issue.
//
// Laid out as docs/platform.md's "The shape" says (modules/sitebuilder is the worked example):
// routes.go is the route table, <resource>_handlers.go the handlers, errors.go the answers to
// domain errors. Journal rows are owned by one user; their queries take the user's id.
package observer

import (
	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/secret"
)

// Module is Observer OS.
type Module struct{ d platform.Deps }

// New builds the module. It registers the web routes (routes.go) and its sealed columns for
// rotate-keys (platform.Sealer).
func New(d platform.Deps) (platform.Module, error) { return &Module{d: d}, nil }

func (m *Module) Name() string { return "observer" }

// SealedFields lists the encrypted columns for rotate-keys.
func (m *Module) SealedFields() []secret.Field {
	return []secret.Field{{Table: "journal_entries", Column: "text_sealed", IDColumn: "id"}}
}

var _ platform.Sealer = (*Module)(nil)
