package astrotiming

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/web"
	views "github.com/alorig/alorig/views/astrotiming"
	"github.com/labstack/echo/v4"
)

// postAsk is POST /api/v1/ask (premium, checked by the route).
func (m *Module) postAsk(c echo.Context) error {
	var req AskRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	ans, err := m.Ask(c.Request().Context(), caller(c), req)
	if err != nil {
		return askProblem(c, err)
	}
	return c.JSON(http.StatusOK, ans)
}

// MaxAIInteractions bounds GET /api/v1/ai/interactions.
const MaxAIInteractions = 50

// listAIInteractions is GET /api/v1/ai/interactions: the caller's recorded AI calls.
func (m *Module) listAIInteractions(c echo.Context) error {
	rows, err := aiCallsOf(c.Request().Context(), m.d.DB, caller(c).UserID, MaxAIInteractions)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"interactions": rows})
}

// askProblem answers the errors of Ask: its own (place, rate) and the engine's.
func askProblem(c echo.Context, err error) error {
	var pe *AskPlaceError
	var le *AskLimitError
	switch {
	case errors.As(err, &pe):
		return web.Invalid(web.FieldError{Field: "question", Reason: pe.Reason}).WithCode(pe.Code)
	case errors.As(err, &le):
		r := le.Result
		return auth.RateLimitAnswer(c, false, r.Limit, r.Remaining, r.ResetAfter, r.RetryAfter, le.Error())
	}
	return problemOf(err, "question")
}

// askPage is the question form (GET /ask).
func (m *Module) askPage(c echo.Context) error {
	page, err := m.askPageFor(c)
	if err != nil {
		return err
	}
	return web.Render(c, http.StatusOK, views.Ask(page))
}

// askPost answers the form (POST /ask) on the same page; the answer is shown, not stored
// behind a redirect, so a reload asks again only after the browser's own warning.
func (m *Module) askPost(c echo.Context) error {
	page, err := m.askPageFor(c)
	if err != nil {
		return err
	}
	page.Question = strings.TrimSpace(c.FormValue("question"))
	fail := func(status int, msg string) error {
		page.Error, page.ErrorStatus = msg, status
		return web.Render(c, status, views.Ask(page))
	}
	if !page.SignedIn {
		return fail(http.StatusUnauthorized, "Sign in first.")
	}
	if !page.Premium {
		return fail(http.StatusForbidden, "Asking in plain words is part of the premium plan.")
	}
	page.Elevation, page.Pressure, page.Temperature = c.FormValue("elevation"), c.FormValue("pressure"), c.FormValue("temperature")
	air, err := airForm(page.Elevation, page.Pressure, page.Temperature)
	if err != nil {
		return fail(http.StatusUnprocessableEntity, placeMessage(err))
	}
	req := AskRequest{Question: page.Question, AtmosphereInput: air}
	if errs := req.Validate(); len(errs) > 0 {
		return fail(http.StatusUnprocessableEntity, "The question "+errs[0].Reason+".")
	}
	u, _ := pageUser(c)
	ans, err := m.Ask(c.Request().Context(), Caller{UserID: u.ID}, req)
	var pe *AskPlaceError
	var le *AskLimitError
	var fe *engine.FieldError
	var eph *EphemerisError
	switch {
	case errors.As(err, &pe):
		return fail(http.StatusUnprocessableEntity, "The question "+pe.Reason+".")
	case errors.As(err, &le):
		return fail(http.StatusTooManyRequests, "You have asked "+le.Error()+".")
	case errors.As(err, &eph):
		return fail(http.StatusServiceUnavailable, "The Swiss Ephemeris files are not installed on this server, so no window can be computed right now.")
	case errors.As(err, &fe):
		return fail(http.StatusUnprocessableEntity, "The "+fe.Field+" "+fe.Reason+".")
	case errors.Is(err, engine.ErrPolar):
		return fail(http.StatusUnprocessableEntity, "There are no planetary hours at this place on these dates (the Sun does not both rise and set).")
	case err != nil:
		return err
	}
	page.Answer = askView(ans)
	return web.Render(c, http.StatusOK, views.Ask(page))
}

// askPageFor is the page's frame for the caller: signed in, plan, places.
func (m *Module) askPageFor(c echo.Context) (views.AskPage, error) {
	page := views.AskPage{}
	for _, ct := range cities {
		page.Places = append(page.Places, ct.Name)
	}
	if ck, err := c.Cookie(m.d.Accounts.CSRFCookieName()); err == nil {
		page.CSRF = ck.Value
	}
	u, _ := pageUser(c)
	if u == nil {
		return page, nil
	}
	ctx := c.Request().Context()
	page.SignedIn, page.Email = true, deref(u.Email)
	tier, err := m.userTier(ctx, u.ID)
	if err != nil {
		return page, err
	}
	page.Plan, page.Premium = tier, engine.PlanAtLeast(tier, engine.PlanPremium)
	saved, err := m.Locations(ctx, u.ID)
	if err != nil {
		return page, err
	}
	for _, l := range saved {
		page.Saved = append(page.Saved, l.Name)
	}
	return page, nil
}

// askView is the answer as the page shows it: each time is written from an engine window.
func askView(a *AskAnswer) *views.AskAnswer {
	zone := time.UTC
	if len(a.Windows) > 0 {
		zone = a.Windows[0].Start.Location()
	}
	v := &views.AskAnswer{Activity: a.Activity.Name, Place: a.Place.Name, TZ: a.Place.Location.TZ,
		Range: a.Range.Said + " (" + a.Range.From.String() + " to " + a.Range.To.String() + ")", Summary: a.Summary,
		Note: a.Note, Provider: a.Provider, Offline: a.Offline}
	if a.Fallback != nil {
		v.Fallback = upperFirst(a.Fallback.Detail)
	}
	picked := map[string]bool{}
	byID := map[string]AskWindow{}
	for _, w := range a.Windows {
		byID[w.ID] = w
	}
	row := func(rank int, w AskWindow, reason string) views.AskPick {
		names := make([]string, len(w.Rulers))
		for i, r := range w.Rulers {
			names[i] = r.String() + " (" + r.ArabicName() + ")"
		}
		return views.AskPick{Rank: rank, When: whenText(w.Start, w.End, zone), Score: w.Score, Band: w.Band,
			Rulers: strings.Join(names, ", "), Reason: reason}
	}
	for _, p := range a.Picks {
		picked[p.WindowID] = true
		v.Picks = append(v.Picks, row(p.Rank, byID[p.WindowID], p.Reason))
	}
	for _, w := range a.Windows {
		if !picked[w.ID] {
			v.Others = append(v.Others, row(0, w, ""))
		}
	}
	return v
}
