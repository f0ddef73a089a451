package snapify

import (
	"context"
	"fmt"

	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/tenant"
	"github.com/uptrace/bun"
)

// This file is the Snapify tenancy check. A store is a tenant: its products, categories,
// orders, city pages and analytics are read and written through a tenant.Scope[Store], and
// the only calls of tenant.Grant[Store] are in this file (a test fails when one appears
// elsewhere). A store row loaded any other way, or a Store built by hand, carries the zero
// scope, which matches nothing.
//
// There are three ways to be allowed into a store:
//   - sellerStore: the signed-in seller owns it (the seller API, every /api/v1/stores/{store}).
//   - publicStore: a buyer reads a live store's pages; a live store's catalogue is public, so a
//     suspended store is returned without a scope.
//   - platformStore: code acting for the platform (jobs whose arguments were written by scoped
//     code, admins holding snapify:admin, the seed) reaches a store by id.

// storeScope is a store as a tenant.
type storeScope = tenant.Scope[Store]

// Scope is the store's tenant scope if the store came through one of this file's checks, and
// the zero (match-nothing) scope otherwise.
func (s *Store) Scope() tenant.Scope[Store] { return s.scope }

// sellerStore is the seller API's only way to a store: another seller's store is not found,
// never forbidden, so store addresses cannot be probed.
func sellerStore(ctx context.Context, db bun.IDB, ownerID int64, slug string) (*Store, error) {
	s := new(Store)
	if err := db.NewSelect().Model(s).Where("slug = ?", slug).Where("owner_id = ?", ownerID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: store %q of user %d: %w", slug, ownerID, database.NoRows(err))
	}
	s.scope = tenant.Grant[Store](s.ID) // the caller owns the row just read
	return s, nil
}

// publicStore loads the store at a buyer-facing address, suspended or not (callers answer a
// suspended store with its own page). Only a live store gets a scope.
func publicStore(ctx context.Context, db bun.IDB, slug string) (*Store, error) {
	s := new(Store)
	if err := db.NewSelect().Model(s).Where("slug = ?", slug).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: store %q: %w", slug, database.NoRows(err))
	}
	if s.Live() {
		s.scope = tenant.Grant[Store](s.ID)
	}
	return s, nil
}

// platformStore loads a store by id for the platform's own code: jobs, the admin API and the
// seed. Never call it with an id taken from a seller's or buyer's request.
func platformStore(ctx context.Context, db bun.IDB, id int64) (*Store, error) {
	s := new(Store)
	if err := db.NewSelect().Model(s).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: store %d: %w", id, database.NoRows(err))
	}
	s.scope = tenant.Grant[Store](s.ID)
	return s, nil
}

// grantCreated gives a store the seller has just created (in the same transaction) its scope.
func grantCreated(s *Store) { s.scope = tenant.Grant[Store](s.ID) }

// StoreBySlug loads a store by its address, suspended or not, with its scope: for the
// platform's own code and tests, never for a request's input.
func (m *Module) StoreBySlug(ctx context.Context, slug string) (*Store, error) {
	s := new(Store)
	if err := m.d.DB.NewSelect().Model(s).Where("slug = ?", slug).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: store %q: %w", slug, database.NoRows(err))
	}
	s.scope = tenant.Grant[Store](s.ID)
	return s, nil
}
