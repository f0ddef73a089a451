package snapify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/tenant"
	"github.com/uptrace/bun"
)

// Queries of the stores and subscriptions tables. The Store and Subscription models are in
// models.go; store_access.go holds the loads that grant a store's scope.

// storesOfOwner lists a seller's stores, oldest first.
func storesOfOwner(ctx context.Context, db bun.IDB, ownerID int64) ([]Store, error) {
	var out []Store
	if err := db.NewSelect().Model(&out).Where("owner_id = ?", ownerID).Order("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: stores of user: %w", err)
	}
	return out, nil
}

// lockOwnerStoreCount counts a seller's stores with the seller's row locked, so that parallel
// creates in other transactions wait and count each other.
func lockOwnerStoreCount(ctx context.Context, tx bun.IDB, ownerID int64) (int, error) {
	var n int
	if err := tx.NewRaw("SELECT count(*) FROM stores WHERE owner_id = (SELECT id FROM users WHERE id = ? FOR UPDATE)", ownerID).Scan(ctx, &n); err != nil {
		return 0, fmt.Errorf("snapify: stores of user %d: %w", ownerID, err)
	}
	return n, nil
}

// insertStore adds s and its Free subscription; a taken slug is *SlugTakenError.
func insertStore(ctx context.Context, tx bun.IDB, s *Store, now time.Time) error {
	if _, err := tx.NewInsert().Model(s).Returning("id").Exec(ctx); err != nil {
		if database.IsUniqueViolation(err, "stores_slug_key") {
			return &SlugTakenError{Slug: s.Slug}
		}
		return fmt.Errorf("snapify: create store: %w", err)
	}
	_, err := tx.NewInsert().Model(&Subscription{StoreID: s.ID, Plan: "free", Status: "active", StartedAt: now, CreatedAt: now, UpdatedAt: now}).Exec(ctx)
	return err
}

// updateStoreSettings writes the columns a seller may change.
func updateStoreSettings(ctx context.Context, tx bun.IDB, s *Store) error {
	if _, err := tx.NewUpdate().Model(s).ExcludeColumn("id", "owner_id", "slug", "tier", "verified", "suspended_at",
		"suspended_reason", "product_count", "order_seq", "created_at").WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("snapify: update store %d: %w", s.ID, err)
	}
	return nil
}

// subscriptionOf is a store's plan, or database.ErrNotFound.
func subscriptionOf(ctx context.Context, db bun.IDB, t storeScope) (*Subscription, error) {
	sub := new(Subscription)
	if err := tenant.Filter(db.NewSelect().Model(sub), t, "store_id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: subscription of store %d: %w", t.ID(), database.NoRows(err))
	}
	return sub, nil
}

// setStorePlan records plan on the store's subscription and tier (reading the row back into s);
// leaving Pro drops the store's domain claim, a Pro feature.
func setStorePlan(ctx context.Context, tx bun.IDB, s *Store, plan string, price int64, renews *time.Time, now time.Time) error {
	if _, err := tx.NewRaw(`UPDATE subscriptions SET plan = ?, status = 'active', price_paisa = ?, renews_at = ?,
		started_at = CASE WHEN plan = ? THEN started_at ELSE ? END, updated_at = ? WHERE store_id = ?`,
		plan, price, renews, plan, now, now, s.ID).Exec(ctx); err != nil {
		return fmt.Errorf("snapify: subscription of store %d: %w", s.ID, err)
	}
	q := tx.NewUpdate().Model(s).Set("tier = ?", plan).Set("updated_at = ?", now).WherePK()
	if plan != "pro" {
		q = q.Set("custom_domain = NULL, domain_token = '', domain_claimed_at = NULL, domain_verified_at = NULL")
	}
	if err := q.Returning("*").Scan(ctx); err != nil {
		return fmt.Errorf("snapify: plan of store %d: %w", s.ID, err)
	}
	return nil
}

// provenPhone is the WhatsApp number a user proved with a sign-in code, or "".
func provenPhone(ctx context.Context, db bun.IDB, uid int64) (string, error) {
	var phone *string
	if err := db.NewRaw("SELECT phone FROM users WHERE id = ?", uid).Scan(ctx, &phone); err != nil {
		return "", fmt.Errorf("snapify: phone of user %d: %w", uid, err)
	}
	if phone == nil {
		return "", nil
	}
	return *phone, nil
}

// storeByDomain finds the store a custom domain is active for (ActiveDomain): proven, Pro, live.
func storeByDomain(ctx context.Context, db bun.IDB, domain string) (*Store, error) {
	s := new(Store)
	if err := db.NewSelect().Model(s).Where("custom_domain = ?", domain).
		Where("domain_verified_at IS NOT NULL AND tier = 'pro' AND suspended_at IS NULL").Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: store at %q: %w", domain, database.NoRows(err))
	}
	return s, nil
}

// nextOrderSeq counts the store's next order number, locking the store row until the
// transaction ends so concurrent orders of one store are numbered one after the other.
func nextOrderSeq(ctx context.Context, tx bun.IDB, t storeScope) (int64, error) {
	var seq int64
	if err := tx.NewRaw("UPDATE stores SET order_seq = order_seq + 1 WHERE id = ? RETURNING order_seq", t.ID()).Scan(ctx, &seq); err != nil {
		return 0, fmt.Errorf("snapify: number order of store %d: %w", t.ID(), err)
	}
	return seq, nil
}

// lockStoreProductCount reads the store's tier and product count with the store row locked
// until the transaction ends, so concurrent product creates count each other.
func lockStoreProductCount(ctx context.Context, tx bun.IDB, t storeScope) (tier string, count int, err error) {
	if err := tx.NewRaw("SELECT tier, product_count FROM stores WHERE id = ? FOR UPDATE", t.ID()).Scan(ctx, &tier, &count); err != nil {
		return "", 0, fmt.Errorf("snapify: lock store %d: %w", t.ID(), err)
	}
	return tier, count, nil
}

// releaseProvenDomain takes domain d from every other store that proved it before (the domain
// changed hands), returning those stores' ids and slugs so their pages can be dropped. It spans
// stores, so it takes the keeping store's id rather than a scope (the periodic re-check loads
// stores without one).
func releaseProvenDomain(ctx context.Context, tx bun.IDB, keeperID int64, d string, now time.Time) ([]Store, error) {
	var losers []Store
	if err := tx.NewRaw(`UPDATE stores SET custom_domain = NULL, domain_token = '', domain_claimed_at = NULL,
			domain_verified_at = NULL, updated_at = ? WHERE custom_domain = ? AND id <> ? AND domain_verified_at IS NOT NULL
			RETURNING id, slug`, now, d, keeperID).Scan(ctx, &losers); err != nil && !errors.Is(database.NoRows(err), database.ErrNotFound) {
		return nil, fmt.Errorf("snapify: release %s from its former store: %w", d, err)
	}
	return losers, nil
}

// markDomainVerified records that s proved its claim on d with token, reading the row back into
// s. A claim that changed meanwhile (or a store no longer a live Pro store) is errClaimChanged;
// a domain another store holds proven is ErrDomainTaken.
func markDomainVerified(ctx context.Context, tx bun.IDB, s *Store, d, token string, now time.Time) error {
	if err := tx.NewRaw(`UPDATE stores SET domain_verified_at = ?, updated_at = ? WHERE id = ? AND custom_domain = ?
			AND domain_token = ? AND tier = 'pro' AND suspended_at IS NULL RETURNING *`, now, now, s.ID, d, token).Scan(ctx, s); err != nil {
		if errors.Is(database.NoRows(err), database.ErrNotFound) {
			return errClaimChanged
		}
		if database.IsUniqueViolation(err, "stores_verified_domain_key") {
			return ErrDomainTaken
		}
		return fmt.Errorf("snapify: verify domain of store %d: %w", s.ID, err)
	}
	return nil
}

// droppedClaim is a domain claim dropStaleDomainClaims took from a store.
type droppedClaim struct {
	Slug   string `bun:"slug"`
	Domain string `bun:"domain"`
}

// dropStaleDomainClaims drops the claims still unproven since before claimedBefore, and every
// claim left on a store that is no longer a live Pro store.
func dropStaleDomainClaims(ctx context.Context, db bun.IDB, claimedBefore, now time.Time) ([]droppedClaim, error) {
	var dropped []droppedClaim
	if err := db.NewRaw(`WITH old AS (
			SELECT id, custom_domain FROM stores WHERE custom_domain IS NOT NULL
			AND ((domain_verified_at IS NULL AND domain_claimed_at < ?) OR tier <> 'pro' OR suspended_at IS NOT NULL)
			FOR UPDATE)
		UPDATE stores s SET custom_domain = NULL, domain_token = '', domain_claimed_at = NULL, domain_verified_at = NULL,
			updated_at = ? FROM old WHERE s.id = old.id RETURNING s.slug, old.custom_domain AS domain`,
		claimedBefore, now).Scan(ctx, &dropped); err != nil && !errors.Is(database.NoRows(err), database.ErrNotFound) {
		return nil, fmt.Errorf("snapify: drop stale domain claims: %w", err)
	}
	return dropped, nil
}

// pendingDomainClaims lists up to limit unproven claims of live Pro stores, oldest claim first.
func pendingDomainClaims(ctx context.Context, db bun.IDB, limit int) ([]Store, error) {
	var pending []Store
	if err := db.NewSelect().Model(&pending).Where("custom_domain IS NOT NULL AND domain_verified_at IS NULL").
		Where("tier = 'pro' AND suspended_at IS NULL").Order("domain_claimed_at").Limit(limit).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: pending domain claims: %w", err)
	}
	return pending, nil
}
