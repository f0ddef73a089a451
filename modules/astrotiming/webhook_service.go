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
	w := new(Webhook)
	err := m.d.DB.NewSelect().Model(w).Where("id = ?", id).Where("disabled_at IS NULL").
		Where("api_key_id IN (SELECT id FROM api_keys WHERE revoked_at IS NULL)").Scan(ctx)
	if errors.Is(database.NoRows(err), database.ErrNotFound) {
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
	_, derr := m.d.DB.NewRaw(`INSERT INTO webhook_deliveries (webhook_id, window_start, status, delivered_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (webhook_id, window_start) DO UPDATE SET status = EXCLUDED.status, delivered_at = EXCLUDED.delivered_at`,
		w.ID, win.Start, status, delivered).Exec(ctx)
	if err != nil {
		return fmt.Errorf("astrotiming: deliver webhook %d: %w", id, err)
	}
	if delivered == nil {
		return fmt.Errorf("astrotiming: webhook %d answered HTTP %d", id, status)
	}
	return derr
}
