package astrotiming

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/secret"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

// Webhook headers. The signature is "v1=" + hex(HMAC-SHA256(secret, timestamp + "." + body));
// receivers should refuse timestamps more than five minutes old.
const (
	HeaderTimestamp = "X-AstroTiming-Timestamp"
	HeaderSignature = "X-AstroTiming-Signature"
	HeaderEvent     = "X-AstroTiming-Event"
)

// Sign computes the signature header value for a body sent at ts.
func Sign(secretKey []byte, ts time.Time, body []byte) string {
	mac := hmac.New(sha256.New, secretKey)
	mac.Write([]byte(strconv.FormatInt(ts.Unix(), 10)))
	mac.Write([]byte("."))
	mac.Write(body)
	return "v1=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify checks a delivery as a receiver would: the signature and a timestamp within tolerance.
func Verify(secretKey []byte, tsHeader, sigHeader string, body []byte, now time.Time, tolerance time.Duration) error {
	sec, err := strconv.ParseInt(tsHeader, 10, 64)
	if err != nil {
		return errors.New("webhook: bad timestamp")
	}
	ts := time.Unix(sec, 0)
	if d := now.Sub(ts); d > tolerance || d < -tolerance {
		return errors.New("webhook: timestamp outside tolerance")
	}
	if !hmac.Equal([]byte(Sign(secretKey, ts, body)), []byte(sigHeader)) {
		return errors.New("webhook: signature mismatch")
	}
	return nil
}

// CreateWebhook registers a webhook for an API key: it refuses an address the sender would
// not reach and the MaxWebhooksPerKey+1st, searches the optimal windows from now, and in one
// transaction stores the webhook with its sealed secret and schedules a delivery at each
// window's start. It returns the webhook, its secret (shown once) and the delivery times.
func (m *Module) CreateWebhook(ctx context.Context, apiKeyID int64, in WebhookInput) (*Webhook, string, []time.Time, error) {
	eng, err := m.engine()
	if err != nil {
		return nil, "", nil, err
	}
	if err := m.hook.checkURL(in.URL, m.d.Config.Production()); err != nil {
		return nil, "", nil, &WebhookURLError{Reason: err.Error()}
	}
	n, err := countLiveWebhooks(ctx, m.d.DB, apiKeyID)
	if err != nil {
		return nil, "", nil, fmt.Errorf("astrotiming: count webhooks: %w", err)
	}
	if n >= MaxWebhooksPerKey {
		return nil, "", nil, ErrWebhookLimit
	}
	now := m.d.Clock.Now()
	res, err := eng.Search(engine.SearchRequest{Activity: in.act, Place: in.place, From: now, Days: in.Days, MinScore: in.MinScore, Limit: in.Limit})
	if err != nil {
		return nil, "", nil, err
	}
	plain := randomToken("whsec_")
	w := &Webhook{APIKeyID: apiKeyID, URL: in.URL, Activity: in.act.Key, Latitude: in.place.Lat, Longitude: in.place.Lng,
		Timezone: in.place.Zone.String(), MinScore: in.MinScore, Days: in.Days, CreatedAt: now}
	scheduled := []time.Time{}
	err = m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := insertWebhook(ctx, tx, w); err != nil {
			return err
		}
		// The secret is sealed to the row's id, so it is written once the id exists.
		sealed, err := m.d.Keyring.Seal([]byte(plain), secret.AD("webhooks", w.ID, "secret"))
		if err != nil {
			return err
		}
		if err := setWebhookSecret(ctx, tx, w.ID, sealed); err != nil {
			return err
		}
		for _, win := range res.Windows {
			win.Start = engine.NoticeAt(win, now) // the best window may already be under way
			win.Hours = nil
			if _, err := m.d.Jobs.InsertTx(ctx, tx, WebhookArgs{WebhookID: w.ID, Window: win},
				&river.InsertOpts{ScheduledAt: win.Start, MaxAttempts: 8}); err != nil {
				return err
			}
			scheduled = append(scheduled, win.Start)
		}
		return nil
	})
	if err != nil {
		return nil, "", nil, fmt.Errorf("astrotiming: create webhook: %w", err)
	}
	return w, plain, scheduled, nil
}

// Webhooks are the webhooks of all the user's API keys, disabled ones included.
func (m *Module) Webhooks(ctx context.Context, userID int64) ([]Webhook, error) {
	out, err := listWebhooks(ctx, m.d.DB, userID)
	if err != nil {
		return nil, fmt.Errorf("astrotiming: list webhooks: %w", err)
	}
	return out, nil
}

// DeleteWebhook disables one of the user's webhooks: its scheduled deliveries then end quietly.
func (m *Module) DeleteWebhook(ctx context.Context, userID, id int64) error {
	err := disableWebhook(ctx, m.d.DB, userID, id, m.d.Clock.Now())
	if errors.Is(err, database.ErrNotFound) {
		return ErrNoWebhook
	}
	if err != nil {
		return fmt.Errorf("astrotiming: delete webhook %d: %w", id, err)
	}
	return nil
}

// WebhookPayload is the body of a delivery.
type WebhookPayload struct {
	Event     string        `json:"event"` // "window.started"
	WebhookID int64         `json:"webhook_id"`
	Activity  string        `json:"activity"`
	Location  Location      `json:"location"`
	Window    engine.Window `json:"window"`
	SentAt    time.Time     `json:"sent_at"`
}

// DeliverWebhook sends one signed POST. A non-2xx answer is an error so River retries with
// back-off; a disabled webhook or a revoked key ends quietly.
func (m *Module) DeliverWebhook(ctx context.Context, id int64, win engine.Window) error {
	w, err := deliverableWebhook(ctx, m.d.DB, id)
	if errors.Is(err, database.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("astrotiming: load webhook %d: %w", id, err)
	}
	key, err := m.d.Keyring.Open(w.Secret, secret.AD("webhooks", w.ID, "secret"))
	if err != nil {
		return fmt.Errorf("astrotiming: open webhook %d secret: %w", id, err)
	}
	now := m.d.Clock.Now()
	body, err := json.Marshal(WebhookPayload{Event: "window.started", WebhookID: w.ID, Activity: w.Activity,
		Location: Location{Lat: w.Latitude, Lng: w.Longitude, TZ: w.Timezone}, Window: win, SentAt: now.UTC()})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("astrotiming: webhook %d: %w", id, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "AstroTiming-Webhooks/1")
	req.Header.Set(HeaderEvent, "window.started")
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
	req.Header.Set(HeaderSignature, Sign(key, now, body))
	res, err := m.hook.client.Do(req)
	status := 0
	if err == nil {
		status = res.StatusCode
		_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
		res.Body.Close()
	}
	var delivered *time.Time
	if status/100 == 2 {
		delivered = &now
	}
	derr := recordDelivery(ctx, m.d.DB, w.ID, win.Start, status, delivered)
	if err != nil {
		return fmt.Errorf("astrotiming: deliver webhook %d: %w", id, err)
	}
	if delivered == nil {
		return fmt.Errorf("astrotiming: webhook %d answered HTTP %d", id, status)
	}
	return derr
}
