package snapify

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/alorig/alorig/modules/snapify/bot"
	"github.com/alorig/alorig/modules/snapify/whatsapp"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

// ProcessWhatsAppWebhookArgs handles one stored webhook delivery (wa_webhook.go).
type ProcessWhatsAppWebhookArgs struct {
	DeliveryID int64 `json:"delivery_id"`
}

func (ProcessWhatsAppWebhookArgs) Kind() string { return "snapify.process_whatsapp_webhook" }

// SendWhatsAppRepliesArgs sends the bot's queued replies to one number, oldest first.
type SendWhatsAppRepliesArgs struct {
	WaID string `json:"wa_id"`
}

func (SendWhatsAppRepliesArgs) Kind() string { return "snapify.send_whatsapp_replies" }

type waProcessWorker struct {
	river.WorkerDefaults[ProcessWhatsAppWebhookArgs]
	m *Module
}

func (w *waProcessWorker) Work(ctx context.Context, j *river.Job[ProcessWhatsAppWebhookArgs]) error {
	return w.m.processWhatsAppDelivery(ctx, j.Args.DeliveryID)
}

type waSendWorker struct {
	river.WorkerDefaults[SendWhatsAppRepliesArgs]
	m *Module
}

func (w *waSendWorker) Work(ctx context.Context, j *river.Job[SendWhatsAppRepliesArgs]) error {
	return w.m.sendWhatsAppReplies(ctx, j.Args.WaID)
}

// registerWhatsAppWorkers is called from registerWorkers (jobs.go).
func (m *Module) registerWhatsAppWorkers() {
	river.AddWorker(m.d.Workers, &waProcessWorker{m: m})
	river.AddWorker(m.d.Workers, &waSendWorker{m: m})
}

// waBot is the conversation over this module's services (wa_shop.go).
func (m *Module) waBot() *bot.Bot {
	return &bot.Bot{Shop: waShop{m}, Media: waMedia{m.wa}, Voice: m.waTranscriber()}
}

// processWhatsAppDelivery handles every message of a delivery, each once, and records the
// delivery receipts of the bot's own replies. A failure returns an error and River runs the job
// again; messages already handled are skipped then.
func (m *Module) processWhatsAppDelivery(ctx context.Context, id int64) error {
	var body []byte
	var processed *time.Time
	err := m.d.DB.NewRaw("SELECT body, processed_at FROM whatsapp_deliveries WHERE id = ?", id).Scan(ctx, &body, &processed)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && processed != nil) {
		return nil
	}
	if err != nil {
		return err
	}
	w, err := decodeDelivery(body)
	if err != nil {
		return fmt.Errorf("snapify: whatsapp delivery %d: %w", id, err)
	}
	ours := m.d.Config.Snapify.WhatsAppPhoneNumberID
	for _, e := range w.Entry {
		for _, ch := range e.Changes {
			v := ch.Value
			if ch.Field != "messages" || (ours != "" && v.Metadata.PhoneNumberID != "" && v.Metadata.PhoneNumberID != ours) {
				continue // another number of the same Meta app
			}
			for _, st := range v.Statuses {
				if err := m.recordWhatsAppStatus(ctx, st); err != nil {
					return err
				}
			}
			profiles := map[string]string{}
			for _, c := range v.Contacts {
				profiles[c.WaID] = c.Profile.Name
			}
			for _, msg := range v.Messages {
				if err := m.handleWhatsAppMessage(ctx, id, msg, profiles[msg.From]); err != nil {
					return fmt.Errorf("snapify: whatsapp message %s: %w", msg.ID, err)
				}
			}
		}
	}
	_, err = m.d.DB.NewRaw("UPDATE whatsapp_deliveries SET processed_at = ? WHERE id = ?", m.d.Clock.Now(), id).Exec(ctx)
	return err
}

// recordWhatsAppStatus keeps Meta's receipt (sent, delivered, read, failed) on the reply it is
// about; receipts of other messages (sign-in codes, order notices) are ignored.
func (m *Module) recordWhatsAppStatus(ctx context.Context, st whatsapp.Status) error {
	if st.ID == "" || st.Status == "" {
		return nil
	}
	failure := ""
	if err := st.Err(); err != nil {
		failure = err.Error()
	}
	_, err := m.d.DB.NewRaw(`UPDATE whatsapp_outbox SET status = ?, error = CASE WHEN ? <> '' THEN ? ELSE error END WHERE wamid = ?`,
		truncateText(st.Status, 20), failure, failure, st.ID).Exec(ctx)
	return err
}

// waInput reduces a Cloud API message to what the bot reads.
func waInput(msg whatsapp.InboundMessage, profile string) bot.Input {
	in := bot.Input{Kind: bot.KindOther, Profile: profile}
	switch {
	case msg.Type == "text" && msg.Text != nil:
		in.Kind, in.Text = bot.KindText, msg.Text.Body
	case msg.Type == "interactive" && msg.Interactive != nil && msg.Interactive.ButtonReply != nil:
		in.Kind, in.Choice, in.Text = bot.KindChoice, msg.Interactive.ButtonReply.ID, msg.Interactive.ButtonReply.Title
	case msg.Type == "interactive" && msg.Interactive != nil && msg.Interactive.ListReply != nil:
		in.Kind, in.Choice, in.Text = bot.KindChoice, msg.Interactive.ListReply.ID, msg.Interactive.ListReply.Title
	case msg.Type == "button" && msg.Button != nil: // a template's quick reply
		in.Kind, in.Choice, in.Text = bot.KindChoice, msg.Button.Payload, msg.Button.Text
	case msg.Type == "image" && msg.Image != nil:
		in.Kind, in.MediaID, in.MIME, in.Text = bot.KindImage, msg.Image.ID, msg.Image.MimeType, msg.Image.Caption
	case msg.Type == "audio" && msg.Audio != nil:
		in.Kind, in.MediaID, in.MIME = bot.KindAudio, msg.Audio.ID, msg.Audio.MimeType
	}
	return in
}

// handleWhatsAppMessage runs one message through the bot in one transaction: the message id is
// claimed first (a duplicate, even one handled at this moment by another worker, finds it and
// stops), the session row is locked (one seller's messages go through one at a time), and the
// new state, the handled id and the replies commit together. Replies leave from the outbox
// afterwards, so a retried message is never answered twice.
//
// The store changes a message makes (a store opened, a product added, a price set) go through
// the seller API's services, each in its own transaction; they are idempotent for a retry of the
// same message (the seller's existing store is reused, a photo already listed is that product,
// a price or stock is set rather than changed by an amount, an order already in the asked
// status is answered as done).
func (m *Module) handleWhatsAppMessage(ctx context.Context, deliveryID int64, msg whatsapp.InboundMessage, profile string) error {
	if msg.ID == "" || msg.From == "" {
		return nil
	}
	now := m.d.Clock.Now()
	in := waInput(msg, profile)
	err := m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewRaw(`INSERT INTO whatsapp_messages (message_id, wa_id, delivery_id, kind, state_before, state_after, handled_at)
			VALUES (?, ?, ?, ?, '', '', ?) ON CONFLICT (message_id) DO NOTHING`, msg.ID, msg.From, deliveryID, in.Kind, now).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // handled before
		}
		if _, err := tx.NewRaw(`INSERT INTO whatsapp_sessions (wa_id, state, context, created_at, updated_at) VALUES (?, ?, '{}', ?, ?)
			ON CONFLICT (wa_id) DO NOTHING`, msg.From, bot.StateIdle, now, now).Exec(ctx); err != nil {
			return err
		}
		var state string
		var raw []byte
		if err := tx.NewRaw("SELECT state, context FROM whatsapp_sessions WHERE wa_id = ? FOR UPDATE", msg.From).Scan(ctx, &state, &raw); err != nil {
			return err
		}
		s := bot.Session{WaID: msg.From, State: bot.State(state)}
		if err := json.Unmarshal(raw, &s.Ctx); err != nil {
			// A context this version cannot read starts the conversation again rather than
			// leaving the seller stuck.
			s.State, s.Ctx = bot.StateIdle, bot.Context{}
		}
		replies, err := m.waBot().Handle(ctx, &s, in)
		if err != nil {
			return err
		}
		ctxJSON, err := json.Marshal(s.Ctx)
		if err != nil {
			return err
		}
		if _, err := tx.NewRaw(`UPDATE whatsapp_sessions SET state = ?, context = ?, last_inbound_at = ?, updated_at = ?,
				user_id = (SELECT id FROM users WHERE phone = ?),
				store_id = (SELECT s.id FROM stores s JOIN users u ON u.id = s.owner_id WHERE u.phone = ? AND s.slug = ?)
			WHERE wa_id = ?`, string(s.State), string(ctxJSON), now, now, "+"+msg.From, "+"+msg.From, s.Ctx.Store, msg.From).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewRaw("UPDATE whatsapp_messages SET state_before = ?, state_after = ? WHERE message_id = ?",
			state, string(s.State), msg.ID).Exec(ctx); err != nil {
			return err
		}
		for _, r := range replies {
			b, err := json.Marshal(r)
			if err != nil {
				return err
			}
			if _, err := tx.NewRaw("INSERT INTO whatsapp_outbox (wa_id, message_id, reply, created_at) VALUES (?, ?, ?, ?)",
				msg.From, msg.ID, string(b), now).Exec(ctx); err != nil {
				return err
			}
		}
		if len(replies) > 0 {
			if _, err := m.d.Jobs.InsertTx(ctx, tx, SendWhatsAppRepliesArgs{WaID: msg.From}, nil); err != nil {
				return err
			}
		}
		return nil
	})
	return err
}

// sendWhatsAppReplies sends the number's queued replies in order until none is left.
func (m *Module) sendWhatsAppReplies(ctx context.Context, waID string) error {
	for {
		more, err := m.sendNextReply(ctx, waID)
		if err != nil || !more {
			return err
		}
	}
}

// sendNextReply sends the number's oldest queued reply. Its row stays locked while it is sent,
// so a second sender for the same number waits, then finds it sent and stops: replies leave
// in order, each once. A reply Meta will never take (WhatsApp not configured, a refused
// message, the 24-hour window closed) keeps the reason and the queue moves on; a passing
// failure (rate limit, network) is returned for River to retry.
func (m *Module) sendNextReply(ctx context.Context, waID string) (bool, error) {
	more := false
	err := m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var id int64
		var raw []byte
		err := tx.NewRaw(`SELECT id, reply FROM whatsapp_outbox WHERE wa_id = ? AND sent_at IS NULL AND error = ''
			ORDER BY id LIMIT 1 FOR UPDATE`, waID).Scan(ctx, &id, &raw)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		more = true
		var r bot.Reply
		if err := json.Unmarshal(raw, &r); err != nil {
			return fmt.Errorf("snapify: whatsapp reply %d: %w", id, err)
		}
		wamid, err := m.sendBotReply(ctx, waID, r)
		if err != nil {
			if !permanentSendError(err) {
				return err
			}
			_, err = tx.NewRaw("UPDATE whatsapp_outbox SET error = ? WHERE id = ?", truncateText(err.Error(), 500), id).Exec(ctx)
			return err
		}
		_, err = tx.NewRaw("UPDATE whatsapp_outbox SET sent_at = ?, wamid = ?, status = 'accepted' WHERE id = ?", m.d.Clock.Now(), wamid, id).Exec(ctx)
		return err
	})
	return more, err
}

func permanentSendError(err error) bool {
	for _, e := range []error{whatsapp.ErrNotConfigured, whatsapp.ErrInvalidMessage, whatsapp.ErrOutsideWindow,
		whatsapp.ErrTemplate, whatsapp.ErrUnauthorized} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// sendBotReply sends one reply as text, reply buttons or a list.
func (m *Module) sendBotReply(ctx context.Context, to string, r bot.Reply) (string, error) {
	switch {
	case len(r.Buttons) > 0:
		msg := whatsapp.ReplyButtons{Body: r.Text}
		for _, b := range r.Buttons {
			msg.Button = append(msg.Button, whatsapp.ReplyButton{ID: b.ID, Title: b.Title})
		}
		return m.wa.SendButtons(ctx, to, msg)
	case r.List != nil:
		sec := whatsapp.ListSection{}
		for _, row := range r.List.Rows {
			sec.Rows = append(sec.Rows, whatsapp.ListRow{ID: row.ID, Title: row.Title, Description: row.Description})
		}
		return m.wa.SendList(ctx, to, whatsapp.List{Body: r.Text, ButtonText: r.List.Button, Sections: []whatsapp.ListSection{sec}})
	}
	return m.wa.SendText(ctx, to, r.Text, strings.Contains(r.Text, "https://"))
}

func truncateText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
