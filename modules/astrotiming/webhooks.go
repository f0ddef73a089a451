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
	"net/url"
	"strconv"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/secret"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
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

// Webhook is a row of webhooks.
type Webhook struct {
	bun.BaseModel `bun:"table:webhooks"`
	ID            int64      `bun:"id,pk,autoincrement" json:"id"`
	APIKeyID      int64      `bun:"api_key_id" json:"api_key_id"`
	URL           string     `bun:"url" json:"url"`
	Secret        []byte     `bun:"secret" json:"-"`
	Activity      string     `bun:"activity" json:"activity"`
	Latitude      float64    `bun:"latitude" json:"lat"`
	Longitude     float64    `bun:"longitude" json:"lng"`
	Timezone      string     `bun:"timezone" json:"tz"`
	MinScore      int        `bun:"min_score" json:"min_score"`
	Days          int        `bun:"days" json:"days"`
	CreatedAt     time.Time  `bun:"created_at" json:"created_at"`
	DisabledAt    *time.Time `bun:"disabled_at" json:"disabled_at,omitempty"`
}

// WebhookInput is POST /api/v1/webhooks.
type WebhookInput struct {
	URL      string   `json:"url"`
	Activity string   `json:"activity"`
	Lat      *float64 `json:"lat"`
	Lng      *float64 `json:"lng"`
	TZ       string   `json:"tz"`
	MinScore int      `json:"min_score"`
	Days     int      `json:"days"`
	Limit    int      `json:"limit"`

	act   engine.Activity
	place engine.Place
}

// Validate checks the URL, the activity, the place and the range.
func (in *WebhookInput) Validate() []web.FieldError {
	var errs []web.FieldError
	if u, err := url.Parse(in.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(in.URL) > 2000 {
		errs = append(errs, web.FieldError{Field: "url", Reason: "must be an absolute http(s) URL"})
	} // the address rules need the module (environment, test allow-list): createWebhook checks them
	a, err := activityQuery("activity", in.Activity)
	if fe := fieldErr(err); fe != nil {
		errs = append(errs, web.FieldError{Field: fe.Field, Reason: fe.Reason})
	}
	in.act = a
	tz := in.TZ
	if tz == "" {
		tz = "UTC"
	}
	p, err := placeQuery(map[string][]string{"lat": {coordString(in.Lat)}, "lng": {coordString(in.Lng)}, "tz": {tz}}, true)
	if fe := fieldErr(err); fe != nil {
		errs = append(errs, web.FieldError{Field: fe.Field, Reason: fe.Reason})
	}
	in.place = p
	if in.MinScore == 0 {
		in.MinScore = engine.DefaultMinScore
	}
	if in.MinScore < 1 || in.MinScore > 100 {
		errs = append(errs, web.FieldError{Field: "min_score", Reason: "must be 1 to 100"})
	}
	if in.Days == 0 {
		in.Days = engine.DefaultSearchDays
	}
	if in.Days < 1 || in.Days > engine.MaxRangeDays {
		errs = append(errs, web.FieldError{Field: "days", Reason: fmt.Sprintf("must be 1 to %d", engine.MaxRangeDays)})
	}
	if in.Limit == 0 {
		in.Limit = engine.DefaultSearchLimit
	}
	if in.Limit < 1 || in.Limit > engine.MaxSearchLimit {
		errs = append(errs, web.FieldError{Field: "limit", Reason: fmt.Sprintf("must be 1 to %d", engine.MaxSearchLimit)})
	}
	return errs
}

// createWebhook (developer and premium keys) searches the optimal windows and schedules one
// signed delivery at the start of each. The secret is returned once.
func (m *Module) createWebhook(c echo.Context) error {
	cl := caller(c)
	if cl.Key == nil {
		return web.Forbidden("webhooks belong to an API key: call with X-API-Key").WithCode("API_KEY_REQUIRED")
	}
	if err := m.requireTier(c, "developer"); err != nil {
		return err
	}
	eng, err := m.engine()
	if err != nil {
		return err
	}
	var in WebhookInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	if err := m.hook.checkURL(in.URL, m.d.Config.Production()); err != nil {
		return web.Invalid(web.FieldError{Field: "url", Reason: err.Error()})
	}
	n, err := m.d.DB.NewSelect().Model((*Webhook)(nil)).Where("api_key_id = ?", cl.Key.ID).Where("disabled_at IS NULL").Count(c.Request().Context())
	if err != nil {
		return fmt.Errorf("astrotiming: count webhooks: %w", err)
	}
	if n >= MaxWebhooksPerKey {
		return web.Conflict(fmt.Sprintf("this key already has %d webhooks, the most allowed; delete one first", MaxWebhooksPerKey)).WithCode("WEBHOOK_LIMIT")
	}
	now := m.d.Clock.Now()
	res, err := eng.Search(engine.SearchRequest{Activity: in.act, Place: in.place, From: now, Days: in.Days, MinScore: in.MinScore, Limit: in.Limit})
	if err != nil {
		return problemOf(err, "days")
	}
	plain := randomToken("whsec_")
	w := &Webhook{APIKeyID: cl.Key.ID, URL: in.URL, Activity: in.act.Key, Latitude: in.place.Lat, Longitude: in.place.Lng,
		Timezone: in.place.Zone.String(), MinScore: in.MinScore, Days: in.Days, CreatedAt: now}
	ctx := c.Request().Context()
	scheduled := []time.Time{}
	err = m.d.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(w).Returning("id").Exec(ctx); err != nil {
			return err
		}
		sealed, err := m.d.Keyring.Seal([]byte(plain), secret.AD("webhooks", w.ID, "secret"))
		if err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model(w).Set("secret = ?", sealed).WherePK().Exec(ctx); err != nil {
			return err
		}
		for _, win := range res.Windows {
			if !win.Start.After(now) {
				win.Start = now // the best window may already be under way: tell them at once
			}
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
		return fmt.Errorf("astrotiming: create webhook: %w", err)
	}
	return c.JSON(http.StatusCreated, map[string]any{"webhook": w, "secret": plain, "deliveries_scheduled": scheduled,
		"signature": "header " + HeaderSignature + " = v1=hex(HMAC-SHA256(secret, " + HeaderTimestamp + " + \".\" + body))"})
}

func (m *Module) listWebhooks(c echo.Context) error {
	cl := caller(c)
	var out []Webhook
	q := m.d.DB.NewSelect().Model(&out).Where("api_key_id IN (SELECT id FROM api_keys WHERE user_id = ?)", cl.UserID).Order("id")
	if err := q.Scan(c.Request().Context()); err != nil {
		return fmt.Errorf("astrotiming: list webhooks: %w", err)
	}
	if out == nil {
		out = []Webhook{}
	}
	return c.JSON(http.StatusOK, map[string]any{"webhooks": out})
}

func (m *Module) deleteWebhook(c echo.Context) error {
	id, err := web.PathID(c, "webhook_id")
	if err != nil {
		return err
	}
	res, err := m.d.DB.NewUpdate().Model((*Webhook)(nil)).Set("disabled_at = ?", m.d.Clock.Now()).Where("id = ?", id).
		Where("disabled_at IS NULL").Where("api_key_id IN (SELECT id FROM api_keys WHERE user_id = ?)", caller(c).UserID).Exec(c.Request().Context())
	if err != nil {
		return fmt.Errorf("astrotiming: delete webhook %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return web.NotFound("no such webhook")
	}
	return c.NoContent(http.StatusNoContent)
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
