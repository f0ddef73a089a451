package snapify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/alorig/alorig/modules/snapify/payments"
	"github.com/alorig/alorig/modules/snapify/rules"
	"github.com/alorig/alorig/modules/snapify/whatsapp"
	"github.com/alorig/alorig/shared/mail"
	"github.com/alorig/alorig/shared/money"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

// Receipts and plan notices. Each change of plan queues one job per channel in its own
// transaction (WhatsApp always, email when the store has an address), so a retry repeats only
// the channel that failed. Without WhatsApp or mail configured the job logs that nobody was
// told and ends: retrying cannot help.

// TemplatePlanNotice is the approved template for a plan message outside the 24-hour window:
// body {{1}} store name, {{2}} what happened.
const TemplatePlanNotice = "snapify_plan_notice"

// Notice kinds.
const (
	noticeReceipt = "receipt" // a payment made the store Pro until Until
	noticeGrace   = "grace"   // the period ended; Pro features continue until Until
	noticeLapsed  = "lapsed"  // the grace ended at Until; the store is on Free
)

// NotifyPlanArgs sends one plan notice on one channel ("email" or "whatsapp").
type NotifyPlanArgs struct {
	StoreID   int64     `json:"store_id"`
	PaymentID int64     `json:"payment_id,omitempty"`
	Notice    string    `json:"kind"`
	Channel   string    `json:"channel"`
	Until     time.Time `json:"until"`
}

func (NotifyPlanArgs) Kind() string { return "snapify.notify_plan" }

type planNoticeWorker struct {
	river.WorkerDefaults[NotifyPlanArgs]
	m *Module
}

func (w *planNoticeWorker) Work(ctx context.Context, j *river.Job[NotifyPlanArgs]) error {
	return w.m.sendPlanNotice(ctx, j.Args)
}

// queuePlanNotices queues notice kind for store s in tx.
func (m *Module) queuePlanNotices(ctx context.Context, tx bun.Tx, s *Store, kind string, paymentID int64, until time.Time) error {
	var channels []string
	if s.WhatsAppPhone != "" {
		channels = append(channels, "whatsapp")
	}
	if s.Email != "" {
		channels = append(channels, "email")
	}
	for _, ch := range channels {
		if _, err := m.d.Jobs.InsertTx(ctx, tx, NotifyPlanArgs{StoreID: s.ID, PaymentID: paymentID, Notice: kind, Channel: ch, Until: until}, nil); err != nil {
			return fmt.Errorf("snapify: queue the %s notice of store %d: %w", kind, s.ID, err)
		}
	}
	return nil
}

// planNotice is a notice's words: an email subject and body, and the one-line summary the
// WhatsApp message carries.
type planNotice struct {
	Subject, Text, Summary string
}

// pkDate writes t as a Pakistani reader expects the day: 20 January 2027.
func pkDate(t time.Time) string { return t.In(payments.Pakistan).Format("2 January 2006") }

func planNoticeText(kind string, s *Store, p *Payment, until time.Time, lang string) planNotice {
	day := pkDate(until)
	switch kind {
	case noticeReceipt:
		n := planNotice{Subject: "Snapify receipt: Pro for " + s.Name, Summary: "is on Pro until " + day}
		if lang == "ur" {
			n.Summary = "اب " + day + " تک Pro پر ہے"
		}
		var b strings.Builder
		fmt.Fprintf(&b, "Thank you. Your payment for Snapify Pro is received.\n\nStore: %s (snapify.pk/%s)\n", s.Name, s.Slug)
		if p != nil {
			gw := map[string]string{"jazzcash": "JazzCash", "easypaisa": "EasyPaisa"}[p.Gateway]
			fmt.Fprintf(&b, "Amount: %s\nPaid with: %s\nReference: %s\n", money.FormatPKR(p.AmountPaisa), gw, p.Ref)
			if p.GatewayTxn != "" {
				fmt.Fprintf(&b, "%s transaction: %s\n", gw, p.GatewayTxn)
			}
			if p.PaidAt != nil {
				fmt.Fprintf(&b, "Paid on: %s\n", pkDate(*p.PaidAt))
			}
		}
		fmt.Fprintf(&b, "Pro until: %s\n\nYour custom domain, city pages and unlimited products are on.\n", day)
		n.Text = b.String()
		return n
	case noticeGrace:
		n := planNotice{Subject: "Snapify Pro has ended for " + s.Name,
			Summary: "Pro period has ended; pay by " + day + " to keep your domain and city pages"}
		if lang == "ur" {
			n.Summary = "کا Pro ختم ہو گیا ہے؛ اپنا ڈومین اور شہر کے صفحات رکھنے کے لیے " + day + " تک ادائیگی کریں"
		}
		n.Text = fmt.Sprintf("The paid Pro period of %s has ended.\n\nPro features (your custom domain, city pages, unlimited products) "+
			"continue until %s. Renew in the Snapify seller app (Settings, Plan) with JazzCash or EasyPaisa to keep them.\n", s.Name, day)
		return n
	default: // noticeLapsed
		n := planNotice{Subject: s.Name + " is now on the Free plan",
			Summary: "is now on the Free plan; upgrade again in the seller app"}
		if lang == "ur" {
			n.Summary = "اب فری پلان پر ہے؛ سیلر ایپ میں دوبارہ اپ گریڈ کریں"
		}
		n.Text = fmt.Sprintf("%s was not renewed by %s and is now on the Free plan.\n\nYour custom domain and city pages are off; "+
			"products beyond the Free plan's %d stay listed but new ones cannot be added. Upgrade again any time in the seller app "+
			"(Settings, Plan). Your custom domain will need to be verified again.\n", s.Name, day, FreeProductLimit)
		return n
	}
}

// sendPlanNotice sends one notice.
func (m *Module) sendPlanNotice(ctx context.Context, a NotifyPlanArgs) error {
	s, err := platformStore(ctx, m.d.DB, a.StoreID)
	if err != nil {
		return err
	}
	var p *Payment
	if a.PaymentID != 0 {
		p = new(Payment)
		if err := m.d.DB.NewSelect().Model(p).Where("id = ? AND store_id = ?", a.PaymentID, a.StoreID).Scan(ctx); err != nil {
			return fmt.Errorf("snapify: payment %d of store %d: %w", a.PaymentID, a.StoreID, err)
		}
	}
	n := planNoticeText(a.Notice, s, p, a.Until, s.Lang)
	log := m.d.Log.With("store", s.Slug, "notice", a.Notice, "channel", a.Channel)
	switch a.Channel {
	case "email":
		if s.Email == "" || m.d.Mailer == nil {
			log.Info("snapify: plan notice not emailed: the store has no email address")
			return nil
		}
		err := m.d.Mailer.Send(ctx, mail.Message{To: s.Email, Subject: n.Subject, Text: n.Text})
		if errors.Is(err, mail.ErrNotConfigured) {
			log.Warn("snapify: plan notice not emailed: " + err.Error())
			return nil
		}
		return err
	case "whatsapp":
		if !m.wa.Configured() {
			log.Warn("snapify: plan notice not sent on WhatsApp: " + whatsapp.ErrNotConfigured.Error())
			return nil
		}
		phone, err := rules.ParsePhone(s.WhatsAppPhone)
		if err != nil {
			log.Warn("snapify: plan notice not sent: the store's WhatsApp number is not valid", "error", err)
			return nil
		}
		var lastInbound *time.Time
		err = m.d.DB.NewRaw("SELECT last_inbound_at FROM whatsapp_sessions WHERE wa_id = ?", phone.Digits()).Scan(ctx, &lastInbound)
		inside := err == nil && lastInbound != nil && m.d.Clock.Now().Sub(*lastInbound) < 24*time.Hour
		if inside {
			_, err = m.wa.SendText(ctx, phone.Digits(), "Snapify: "+s.Name+" "+n.Summary+".", false)
		}
		if !inside || errors.Is(err, whatsapp.ErrOutsideWindow) {
			lang := "en"
			if s.Lang == "ur" {
				lang = "ur"
			}
			_, err = m.wa.SendTemplate(ctx, phone.Digits(), whatsapp.Template{Name: TemplatePlanNotice, Language: lang,
				Components: []whatsapp.Component{{Type: "body", Parameters: []whatsapp.Parameter{{Text: oneLineText(s.Name)}, {Text: n.Summary}}}}})
		}
		if errors.Is(err, whatsapp.ErrTemplate) || errors.Is(err, whatsapp.ErrInvalidMessage) {
			log.Warn("snapify: plan notice refused by WhatsApp", "error", err) // retrying cannot help
			return nil
		}
		return err
	}
	return fmt.Errorf("snapify: plan notice on unknown channel %q", a.Channel)
}
