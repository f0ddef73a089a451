package astrotiming

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/secret"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

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
		return problem(err)
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
