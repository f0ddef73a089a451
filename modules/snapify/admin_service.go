package snapify

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/database"
	"github.com/uptrace/bun"
)

// The admin use cases: sign in, list and look at stores, verify, suspend, set plans, moderate
// products, count, and read the audit log. Callers hold snapify:admin (adminPolicy), so stores
// are reached by id. Every action writes its audit row (admin_audit.go) in its own
// transaction, and verification and suspension queue the seller's WhatsApp notice there too
// (admin_notify.go).

const permAdmin auth.Permission = "snapify:admin"

// adminPolicy: only users.role = 'admin' reach the admin API.
var adminPolicy = auth.Policy{"admin": {permAdmin}}

// Page sizes of the admin lists.
const (
	adminStorePage = 50
	adminQueuePage = 50
	adminAuditPage = 50
)

// ErrNotAdmin refuses the admin sign-in of an account without the admin role. It reads like a
// wrong password, so the form does not tell which emails belong to sellers.
var ErrNotAdmin = auth.ErrInvalidCredentials

// PlatformMetrics are the admin dashboard's numbers: headline counts, and stores, orders and
// GMV by day and by city over the last Days days.
type PlatformMetrics struct {
	Stores          int           `json:"stores"`
	ProStores       int           `json:"pro_stores"`
	VerifiedStores  int           `json:"verified_stores"`
	SuspendedStores int           `json:"suspended_stores"`
	Products        int           `json:"products"`
	BlockedProducts int           `json:"blocked_products"`
	Orders30d       int           `json:"orders_30d"`
	GMV30dPaisa     int64         `json:"gmv_30d_paisa"`
	Views7d         int           `json:"views_7d"`
	Days            int           `json:"days" doc:"the period of by_day and by_city"`
	ByDay           []MetricsDay  `json:"by_day" doc:"oldest first, one entry a day (Asia/Karachi), today last"`
	ByCity          []MetricsCity `json:"by_city" doc:"at most 20 cities, most GMV first"`
}

// AdminSignIn checks an admin's email and password with the platform's accounts (per-address
// limit and lock-out included) and records the sign-in. An account without the admin role is
// refused like a wrong password, and the session the check opened is ended at once.
func (m *Module) AdminSignIn(ctx context.Context, email, password, ip, userAgent string) (*auth.User, auth.Issued, error) {
	u, iss, err := m.d.Accounts.Login(ctx, email, password, ip, userAgent)
	if err != nil {
		return nil, auth.Issued{}, err
	}
	if !adminPolicy.Can(u.Role, permAdmin) {
		if err := m.d.Accounts.Revoke(ctx, u.ID, iss.SessionID); err != nil {
			return nil, auth.Issued{}, fmt.Errorf("snapify: end a non-admin's session: %w", err)
		}
		return nil, auth.Issued{}, ErrNotAdmin
	}
	e := actorOf(u, "").entry(auditSignIn, "account", u.ID, actorOf(u, "").Name, nil, "", "signed in from "+ip, m.d.Clock.Now())
	if err := insertAudit(ctx, m.d.DB, e); err != nil {
		return nil, auth.Issued{}, err
	}
	return u, iss, nil
}

// adminStorePageAnswer is one page of the admin's store list.
type adminStorePageAnswer struct {
	Page   int     `json:"page"`
	Stores []Store `json:"stores"`
	Total  int     `json:"total"`
}

// AdminStores is one page (1-based) of stores matching f, newest first.
func (m *Module) AdminStores(ctx context.Context, f storeFilter, page int) (*adminStorePageAnswer, error) {
	out, total, err := allStores(ctx, m.d.DB, f, adminStorePage, (page-1)*adminStorePage)
	if err != nil {
		return nil, err
	}
	return &adminStorePageAnswer{Page: page, Stores: out, Total: total}, nil
}

// adminStoreDetail is one store as the admin sees it: the store, its seller, its sales and
// blocked products, and the last admin actions on it.
type adminStoreDetail struct {
	Audit           []AuditEntry `json:"audit" doc:"the last 20 admin actions on the store, newest first"`
	BlockedProducts int          `json:"blocked_products"`
	GMV30dPaisa     int64        `json:"gmv_30d_paisa"`
	Orders30d       int          `json:"orders_30d"`
	Owner           *storeOwner  `json:"owner"`
	Store           *Store       `json:"store"`
}

// AdminStore is store id with its seller, sales and recent admin actions.
func (m *Module) AdminStore(ctx context.Context, id int64) (*adminStoreDetail, error) {
	s, err := platformStore(ctx, m.d.DB, id)
	if errors.Is(err, database.ErrNotFound) {
		return nil, ErrNoStore
	}
	if err != nil {
		return nil, err
	}
	out := &adminStoreDetail{Store: s}
	if out.Owner, err = ownerOf(ctx, m.d.DB, s.OwnerID); err != nil {
		return nil, err
	}
	if out.Orders30d, out.GMV30dPaisa, err = storeSales(ctx, m.d.DB, s.ID, m.d.Clock.Now().AddDate(0, 0, -30)); err != nil {
		return nil, err
	}
	if err := m.d.DB.NewRaw("SELECT count(*) FROM products WHERE store_id = ? AND status = 'blocked'", s.ID).Scan(ctx, &out.BlockedProducts); err != nil {
		return nil, fmt.Errorf("snapify: blocked products of store %d: %w", s.ID, err)
	}
	if out.Audit, _, err = listAudit(ctx, m.d.DB, auditFilter{StoreID: s.ID}, 20, 0); err != nil {
		return nil, err
	}
	return out, nil
}

// storeAction answers an admin's change to a store: the store as it now is and the audit row
// that records the change (with whether the seller is told).
type storeAction struct {
	Audit *AuditEntry `json:"audit"`
	Store *Store      `json:"store"`
}

// storeChange is one admin change to a store: the columns it sets, and from the store as it was
// the audit action and outcome (notify: the seller is told on WhatsApp).
type storeChange struct {
	set    func(q *bun.UpdateQuery) *bun.UpdateQuery
	audit  func(old *Store) (action, outcome string, notify bool)
	reason string
}

// changeStore applies c to store id under its row lock, records the audit row, queues the
// seller's notice and drops the store's cached pages, all in one transaction; a domain it had
// is looked up again by the dispatcher. A missing store is ErrNoStore.
func (m *Module) changeStore(ctx context.Context, a adminActor, id int64, c storeChange) (*storeAction, error) {
	var s *Store
	var e *AuditEntry
	var oldDomain *string
	now := m.d.Clock.Now()
	err := m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		old, err := lockStore(ctx, tx, id)
		if err != nil {
			return err
		}
		oldDomain = old.CustomDomain
		if s, err = updateStoreColumns(ctx, tx, id, now, c.set); err != nil {
			return err
		}
		action, outcome, notify := c.audit(old)
		e = a.entry(action, "store", s.ID, s.Slug, &s.ID, c.reason, outcome, now)
		if err := m.queueStoreNotice(ctx, tx, e, s, notify); err != nil {
			return err
		}
		return m.invalidateTx(ctx, tx, s)
	})
	if errors.Is(err, database.ErrNotFound) {
		return nil, ErrNoStore
	}
	if err != nil {
		return nil, err
	}
	if oldDomain != nil {
		_ = m.forgetDomain(ctx, *oldDomain)
	}
	return &storeAction{Audit: e, Store: s}, nil
}

// SetVerified sets or clears a store's verified badge; the seller is told either way, with the
// reason.
func (m *Module) SetVerified(ctx context.Context, a adminActor, id int64, verified bool, reason string) (*storeAction, error) {
	return m.changeStore(ctx, a, id, storeChange{reason: reason,
		set: func(q *bun.UpdateQuery) *bun.UpdateQuery { return q.Set("verified = ?", verified) },
		audit: func(old *Store) (string, string, bool) {
			switch {
			case verified && old.Verified:
				return auditVerify, "already verified", false
			case verified:
				return auditVerify, "verified badge set", true
			case !old.Verified:
				return auditUnverify, "already unverified", false
			}
			return auditUnverify, "verified badge removed", true
		}})
}

// Suspend takes a store off the air; the seller is shown reason and told it on WhatsApp. Its
// domain claim is released, not just hidden: the domain stops being served and certified at
// once, and its owner can point it elsewhere.
func (m *Module) Suspend(ctx context.Context, a adminActor, id int64, reason string) (*storeAction, error) {
	now := m.d.Clock.Now()
	return m.changeStore(ctx, a, id, storeChange{reason: reason,
		set: func(q *bun.UpdateQuery) *bun.UpdateQuery {
			return q.Set("suspended_at = coalesce(suspended_at, ?)", now).Set("suspended_reason = ?", strings.TrimSpace(reason)).
				Set("custom_domain = NULL, domain_token = '', domain_claimed_at = NULL, domain_verified_at = NULL")
		},
		audit: func(old *Store) (string, string, bool) {
			outcome := "suspended: its pages answer 404"
			if !old.Live() {
				outcome = "already suspended; the reason shown to the seller is replaced"
			}
			if old.CustomDomain != nil {
				outcome += "; its custom domain claim released"
			}
			return auditSuspend, outcome, true
		}})
}

// Unsuspend lifts a suspension; the seller is told.
func (m *Module) Unsuspend(ctx context.Context, a adminActor, id int64, reason string) (*storeAction, error) {
	return m.changeStore(ctx, a, id, storeChange{reason: reason,
		set: func(q *bun.UpdateQuery) *bun.UpdateQuery {
			return q.Set("suspended_at = NULL").Set("suspended_reason = ''")
		},
		audit: func(old *Store) (string, string, bool) {
			if old.Live() {
				return auditUnsuspend, "was not suspended", false
			}
			return auditUnsuspend, "live again", true
		}})
}

// AdminSetPlan grants or removes Pro. Until billing exists this is the only way to Pro.
func (m *Module) AdminSetPlan(ctx context.Context, a adminActor, id int64, plan, reason string) (*storeAction, error) {
	s, err := platformStore(ctx, m.d.DB, id)
	if errors.Is(err, database.ErrNotFound) {
		return nil, ErrNoStore
	}
	if err != nil {
		return nil, err
	}
	was := s.Tier
	var e *AuditEntry
	err = m.setPlan(ctx, s, plan, func(ctx context.Context, tx bun.Tx) error {
		e = a.entry(auditSetPlan, "store", s.ID, s.Slug, &s.ID, reason, "plan "+was+" → "+plan, m.d.Clock.Now())
		return insertAudit(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return &storeAction{Audit: e, Store: s}, nil
}

// productAction answers a moderation: the product as it now is and its audit row.
type productAction struct {
	Audit   AuditEntry `json:"audit"`
	Product Product    `json:"product"`
}

// Moderate blocks a product (gone from pages and search; the seller cannot re-activate it and
// is shown note) or approves it (status "active": a blocked product is restored, any other is
// marked looked at and leaves the queue). A missing product is ErrNoListedProduct.
func (m *Module) Moderate(ctx context.Context, a adminActor, productID int64, status, note string) (*productAction, error) {
	var p *Product
	var e *AuditEntry
	now := m.d.Clock.Now()
	err := m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		old, err := lockAnyProduct(ctx, tx, productID)
		if err != nil {
			return err
		}
		s, err := platformStore(ctx, tx, old.StoreID)
		if err != nil {
			return err
		}
		next, action, outcome := "blocked", auditBlockProduct, "blocked: gone from the store's pages and search"
		if status == "active" {
			next, action, outcome = old.Status, auditApproveProduct, "approved; stays "+old.Status
			if old.Status == "blocked" {
				next, outcome = "active", "unblocked: listed again"
			}
		}
		if status == "active" && old.Status != "blocked" {
			note = "" // an approval of a listed product clears no note and sets none
		}
		if p, err = moderateProduct(ctx, tx, s.Scope(), productID, next, strings.TrimSpace(note), now); err != nil {
			return err
		}
		e = a.entry(action, "product", p.ID, p.Title, &s.ID, note, outcome, now)
		if err := insertAudit(ctx, tx, e); err != nil {
			return err
		}
		return m.invalidateTx(ctx, tx, s)
	})
	if errors.Is(err, database.ErrNotFound) {
		return nil, ErrNoListedProduct
	}
	if err != nil {
		return nil, err
	}
	return &productAction{Audit: *e, Product: *p}, nil
}

// queuedProduct is a product in the moderation queue with the store that lists it.
type queuedProduct struct {
	Product Product  `json:"product"`
	Store   storeRef `json:"store"`
}

// storeRef names a store in another resource's answer.
type storeRef struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Slug     string `json:"slug"`
	Verified bool   `json:"verified"`
}

// moderationPage is one page of the moderation queue.
type moderationPage struct {
	Items []queuedProduct `json:"items"`
	Page  int             `json:"page"`
	Queue string          `json:"queue" enum:"pending,blocked"`
	Total int             `json:"total"`
}

// ModerationQueue is one page (1-based) of queue "pending" or "blocked".
func (m *Module) ModerationQueue(ctx context.Context, queue string, page int) (*moderationPage, error) {
	list, total, err := moderationQueue(ctx, m.d.DB, queue, adminQueuePage, (page-1)*adminQueuePage)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(list))
	for _, p := range list {
		ids = append(ids, p.StoreID)
	}
	stores, err := storesByID(ctx, m.d.DB, ids)
	if err != nil {
		return nil, err
	}
	out := &moderationPage{Items: make([]queuedProduct, 0, len(list)), Page: page, Queue: queue, Total: total}
	for i := range list {
		st := storeRef{ID: list[i].StoreID}
		if s := stores[list[i].StoreID]; s != nil {
			st = storeRef{ID: s.ID, Name: s.Name, Slug: s.Slug, Verified: s.Verified}
		}
		out.Items = append(out.Items, queuedProduct{Product: list[i], Store: st})
	}
	return out, nil
}

// auditPage is one page of the audit log.
type auditPage struct {
	Entries []AuditEntry `json:"entries"`
	Page    int          `json:"page"`
	Total   int          `json:"total"`
}

// AuditLog is one page (1-based) of the admin actions matching f, newest first.
func (m *Module) AuditLog(ctx context.Context, f auditFilter, page int) (*auditPage, error) {
	list, total, err := listAudit(ctx, m.d.DB, f, adminAuditPage, (page-1)*adminAuditPage)
	if err != nil {
		return nil, err
	}
	return &auditPage{Entries: list, Page: page, Total: total}, nil
}

// Metrics are the platform's numbers as of now, with the series over the last days days.
func (m *Module) Metrics(ctx context.Context, days int) (*PlatformMetrics, error) {
	now := m.d.Clock.Now()
	out, err := platformMetrics(ctx, m.d.DB, now)
	if err != nil {
		return nil, err
	}
	out.Days = days
	if out.ByDay, err = metricsByDay(ctx, m.d.DB, now, days); err != nil {
		return nil, err
	}
	if out.ByCity, err = metricsByCity(ctx, m.d.DB, now.AddDate(0, 0, -days)); err != nil {
		return nil, err
	}
	return out, nil
}
