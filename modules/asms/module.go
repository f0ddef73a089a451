// Package asms is the school management system for the 74-school pilot: Head Office → Branch →
// School tenancy with ten roles. This first version carries the tenancy tables, the role policy,
// accounts and the landing page; the school modules follow in their own issue.
//
// Laid out as docs/platform.md's "The shape" says (modules/sitebuilder is the worked example):
// routes.go is the route table, <resource>_handlers.go the handlers, errors.go the answers to
// domain errors, seed.go the demo data, roles.go the role table. School-owned queries take a
// tenant.Scope[school] (shared/tenant), granted only by the check that proves the caller's reach.
package asms

import "github.com/alorig/alorig/shared/platform"

// Module is ASMS.
type Module struct{ d platform.Deps }

// New builds the module. It registers the web routes (routes.go) and seeds the pilot's
// tenancy (platform.Seeder).
func New(d platform.Deps) (platform.Module, error) { return &Module{d: d}, nil }

func (m *Module) Name() string { return "asms" }

var _ platform.Seeder = (*Module)(nil)
