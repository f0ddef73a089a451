package astrotiming

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
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
	} // the address rules need the module (environment, test allow-list): CreateWebhook checks them
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

// createWebhook (developer and premium keys; the route checks both, and the ephemeris, before
// the body is read) searches the optimal windows and schedules one signed delivery at the start
// of each. The secret is returned once.
func (m *Module) createWebhook(c echo.Context) error {
	var in WebhookInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	w, plain, scheduled, err := m.CreateWebhook(c.Request().Context(), caller(c).Key.ID, in)
	if err != nil {
		return problemOf(err, "days")
	}
	return c.JSON(http.StatusCreated, map[string]any{"webhook": w, "secret": plain, "deliveries_scheduled": scheduled,
		"signature": "header " + HeaderSignature + " = v1=hex(HMAC-SHA256(secret, " + HeaderTimestamp + " + \".\" + body))"})
}

func (m *Module) listWebhooks(c echo.Context) error {
	out, err := m.Webhooks(c.Request().Context(), caller(c).UserID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"webhooks": out})
}

func (m *Module) deleteWebhook(c echo.Context) error {
	id, err := web.PathID(c, "webhook_id")
	if err != nil {
		return err
	}
	if err := m.DeleteWebhook(c.Request().Context(), caller(c).UserID, id); err != nil {
		return problem(err)
	}
	return c.NoContent(http.StatusNoContent)
}
