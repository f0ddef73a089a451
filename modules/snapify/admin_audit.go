package snapify

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/alorig/alorig/shared/auth"
	"github.com/uptrace/bun"
)

// The audit log of admin actions (migration 20261215010000_admin_audit): every action an admin
// takes writes its row in the action's own transaction, so a change and its record commit or
// roll back together.

// Audit actions, target types and notice states (the table's CHECK constraints hold the same).
const (
	auditSignIn         = "sign_in"
	auditVerify         = "verify"
	auditUnverify       = "unverify"
	auditSuspend        = "suspend"
	auditUnsuspend      = "unsuspend"
	auditSetPlan        = "set_plan"
	auditApproveProduct = "approve_product"
	auditBlockProduct   = "block_product"

	// noticeNone: the action tells nobody. queued: a WhatsApp message to the seller waits for
	// the worker; sent / failed: what the worker got; not_sent: WhatsApp is not configured
	// (notice_detail says so), so the seller was not told.
	noticeNone    = "none"
	noticeQueued  = "queued"
	noticeSent    = "sent"
	noticeFailed  = "failed"
	noticeNotSent = "not_sent"
)

// AuditEntry is one admin action: who, what, to what, why, when, what came of it, and whether
// the seller was told.
type AuditEntry struct {
	bun.BaseModel `bun:"table:admin_audit"`
	ID            int64     `bun:"id,pk,autoincrement" json:"id"`
	ActorID       *int64    `bun:"actor_id" json:"actor_id" doc:"the admin's account; null once it is deleted"`
	Actor         string    `bun:"actor" json:"actor" doc:"the admin's email (or number) when they acted"`
	Action        string    `bun:"action" json:"action" enum:"sign_in,verify,unverify,suspend,unsuspend,set_plan,approve_product,block_product"`
	TargetType    string    `bun:"target_type" json:"target_type" enum:"account,store,product"`
	TargetID      int64     `bun:"target_id" json:"target_id"`
	TargetLabel   string    `bun:"target_label" json:"target_label" doc:"the store's address or the product's title at the time"`
	StoreID       *int64    `bun:"store_id" json:"store_id" doc:"the store acted on, or the product's store"`
	Reason        string    `bun:"reason" json:"reason"`
	Outcome       string    `bun:"outcome" json:"outcome" doc:"what the action changed, in words"`
	Notice        string    `bun:"notice" json:"notice" enum:"none,queued,sent,failed,not_sent" doc:"the WhatsApp message to the seller"`
	NoticeDetail  string    `bun:"notice_detail" json:"notice_detail" doc:"why a message failed or was not sent"`
	CreatedAt     time.Time `bun:"created_at" json:"created_at"`
}

// adminActor is the signed-in admin, as the audit records them.
type adminActor struct {
	ID   int64
	Name string
}

// actorOf names a user for the audit: email, else WhatsApp number, else display name.
func actorOf(u *auth.User, phone string) adminActor {
	name := strings.TrimSpace(u.DisplayName)
	switch {
	case u.Email != nil && *u.Email != "":
		name = *u.Email
	case phone != "":
		name = phone
	case name == "":
		name = fmt.Sprintf("user %d", u.ID)
	}
	return adminActor{ID: u.ID, Name: name}
}

func (a adminActor) entry(action, targetType string, targetID int64, label string, storeID *int64, reason, outcome string, now time.Time) *AuditEntry {
	id := a.ID
	return &AuditEntry{ActorID: &id, Actor: a.Name, Action: action, TargetType: targetType, TargetID: targetID, TargetLabel: label,
		StoreID: storeID, Reason: strings.TrimSpace(reason), Outcome: outcome, Notice: noticeNone, CreatedAt: now}
}

func insertAudit(ctx context.Context, db bun.IDB, e *AuditEntry) error {
	if _, err := db.NewInsert().Model(e).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("snapify: audit %s of %s %d: %w", e.Action, e.TargetType, e.TargetID, err)
	}
	return nil
}

// auditFilter narrows the audit log; zero values mean any.
type auditFilter struct {
	Action  string
	StoreID int64
}

// listAudit is one page of the audit log, newest first, and how many rows match.
func listAudit(ctx context.Context, db bun.IDB, f auditFilter, limit, offset int) ([]AuditEntry, int, error) {
	out := []AuditEntry{}
	q := db.NewSelect().Model(&out).Order("id DESC").Limit(limit).Offset(offset)
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.StoreID > 0 {
		q = q.Where("store_id = ?", f.StoreID)
	}
	total, err := q.ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("snapify: audit log: %w", err)
	}
	return out, total, nil
}

// auditByID reads one audit row.
func auditByID(ctx context.Context, db bun.IDB, id int64) (*AuditEntry, error) {
	e := new(AuditEntry)
	if err := db.NewSelect().Model(e).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("snapify: audit %d: %w", id, err)
	}
	return e, nil
}

// setAuditNotice records what became of the message to the seller.
func setAuditNotice(ctx context.Context, db bun.IDB, id int64, notice, detail string) error {
	if _, err := db.NewUpdate().Model((*AuditEntry)(nil)).Set("notice = ?", notice).Set("notice_detail = ?", detail).
		Where("id = ?", id).Exec(ctx); err != nil {
		return fmt.Errorf("snapify: audit %d notice: %w", id, err)
	}
	return nil
}
