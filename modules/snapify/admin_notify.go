package snapify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/alorig/alorig/modules/snapify/rules"
	"github.com/alorig/alorig/modules/snapify/whatsapp"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

// The seller is told on WhatsApp when an admin verifies, unverifies, suspends or reinstates
// their store. The message is a job queued in the action's transaction; its audit row says
// what became of it (queued, sent, failed), and without WhatsApp configured the row says
// not_sent with the reason at once: nobody is told, and the admin sees that.

// TemplateStoreStatus is the approved template for a store status message outside the
// 24-hour window: body {{1}} store name, {{2}} what happened, {{3}} the reason.
const TemplateStoreStatus = "snapify_store_status"

// NotifyStoreStatusArgs sends the seller the message of audit row AuditID.
type NotifyStoreStatusArgs struct {
	AuditID int64 `json:"audit_id"`
}

func (NotifyStoreStatusArgs) Kind() string { return "snapify.notify_store_status" }

type storeNoticeWorker struct {
	river.WorkerDefaults[NotifyStoreStatusArgs]
	m *Module
}

func (w *storeNoticeWorker) Work(ctx context.Context, j *river.Job[NotifyStoreStatusArgs]) error {
	err := w.m.sendStoreNotice(ctx, j.Args.AuditID)
	if err != nil && j.Attempt >= j.MaxAttempts {
		_ = setAuditNotice(ctx, w.m.d.DB, j.Args.AuditID, noticeFailed, err.Error())
	}
	return err
}

// queueStoreNotice writes audit row e and, when notify, the seller's message: queued as a job
// in tx, or recorded as not sent when WhatsApp is not configured.
func (m *Module) queueStoreNotice(ctx context.Context, tx bun.Tx, e *AuditEntry, s *Store, notify bool) error {
	switch {
	case !notify:
		e.Notice = noticeNone
	case !m.wa.Configured():
		e.Notice, e.NoticeDetail = noticeNotSent, "the seller was not told: "+whatsapp.ErrNotConfigured.Error()
	case s.WhatsAppPhone == "":
		e.Notice, e.NoticeDetail = noticeNotSent, "the seller was not told: the store has no WhatsApp number"
	default:
		e.Notice = noticeQueued
	}
	if err := insertAudit(ctx, tx, e); err != nil {
		return err
	}
	if e.Notice != noticeQueued {
		return nil
	}
	if _, err := m.d.Jobs.InsertTx(ctx, tx, NotifyStoreStatusArgs{AuditID: e.ID}, nil); err != nil {
		return fmt.Errorf("snapify: queue the notice of audit %d: %w", e.ID, err)
	}
	return nil
}

// storeNoticeText is what happened, in the store's language, for audit action.
func storeNoticeText(action, lang string) string {
	ur := lang == "ur"
	switch action {
	case auditVerify:
		if ur {
			return "اسنیپیفائی نے آپ کے اسٹور کی تصدیق کر دی ہے"
		}
		return "is now verified on Snapify"
	case auditUnverify:
		if ur {
			return "سے تصدیق کا نشان ہٹا دیا گیا ہے"
		}
		return "is no longer marked verified on Snapify"
	case auditSuspend:
		if ur {
			return "معطل کر دیا گیا ہے؛ خریدار اسے نہیں دیکھ سکتے"
		}
		return "has been suspended; buyers cannot see it"
	case auditUnsuspend:
		if ur {
			return "دوبارہ فعال ہے"
		}
		return "is live again"
	}
	return action
}

// sendStoreNotice sends the message of audit row id, once: a row no longer queued (sent, or
// recorded otherwise) is left alone.
func (m *Module) sendStoreNotice(ctx context.Context, id int64) error {
	e, err := auditByID(ctx, m.d.DB, id)
	if err != nil {
		return err
	}
	if e.Notice != noticeQueued || e.StoreID == nil {
		return nil
	}
	if !m.wa.Configured() {
		return setAuditNotice(ctx, m.d.DB, id, noticeNotSent, "the seller was not told: "+whatsapp.ErrNotConfigured.Error())
	}
	s, err := platformStore(ctx, m.d.DB, *e.StoreID)
	if err != nil {
		return err
	}
	phone, err := rules.ParsePhone(s.WhatsAppPhone)
	if err != nil {
		return setAuditNotice(ctx, m.d.DB, id, noticeFailed, "the store's WhatsApp number is not valid: "+err.Error())
	}
	what := storeNoticeText(e.Action, s.Lang)
	reason := e.Reason
	if reason == "" {
		reason = "—"
	}
	var lastInbound *time.Time
	err = m.d.DB.NewRaw("SELECT last_inbound_at FROM whatsapp_sessions WHERE wa_id = ?", phone.Digits()).Scan(ctx, &lastInbound)
	inside := err == nil && lastInbound != nil && m.d.Clock.Now().Sub(*lastInbound) < 24*time.Hour
	if inside {
		text := fmt.Sprintf("Snapify: %s %s.", s.Name, what)
		if e.Reason != "" {
			text += "\nReason: " + e.Reason
		}
		_, err = m.wa.SendText(ctx, phone.Digits(), text, false)
	}
	if !inside || errors.Is(err, whatsapp.ErrOutsideWindow) {
		lang := "en"
		if s.Lang == "ur" {
			lang = "ur"
		}
		_, err = m.wa.SendTemplate(ctx, phone.Digits(), whatsapp.Template{Name: TemplateStoreStatus, Language: lang,
			Components: []whatsapp.Component{{Type: "body", Parameters: []whatsapp.Parameter{
				{Text: oneLineText(s.Name)}, {Text: what}, {Text: oneLineText(reason)}}}}})
	}
	if err != nil {
		if errors.Is(err, whatsapp.ErrTemplate) || errors.Is(err, whatsapp.ErrInvalidMessage) {
			// Meta refused the message itself (a template or number problem): retrying cannot help.
			return setAuditNotice(ctx, m.d.DB, id, noticeFailed, err.Error())
		}
		return fmt.Errorf("snapify: store notice of audit %d: %w", id, err)
	}
	return setAuditNotice(ctx, m.d.DB, id, noticeSent, "")
}

// oneLineText collapses new lines and runs of spaces, which template parameters may not hold.
func oneLineText(s string) string { return strings.Join(strings.Fields(s), " ") }
