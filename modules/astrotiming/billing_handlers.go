package astrotiming

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/alorig/alorig/modules/astrotiming/engine"
	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/billing"
	"github.com/alorig/alorig/shared/web"
	views "github.com/alorig/alorig/views/astrotiming"
	"github.com/labstack/echo/v4"
)

// AccountPagePath is the signed-in user's plan and API keys (server-rendered).
const AccountPagePath = "/account"

// KeyTierRequest is the body of PUT /api/v1/billing/keys/{key_id}.
type KeyTierRequest struct {
	Tier string `json:"tier" enum:"free,developer,premium" doc:"at most the plan billing holds for you"`
}

// putKeyTier moves one of the caller's keys to a tier their plan covers.
func (m *Module) putKeyTier(c echo.Context) error {
	id, err := web.PathID(c, "key_id")
	if err != nil {
		return err
	}
	var req KeyTierRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	k, err := m.SetKeyTier(c.Request().Context(), auth.CurrentUser(c).ID, id, req.Tier)
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, k)
}

// accountNotices are the account page's messages by the code in its query.
var accountNotices = map[string]string{
	"checkout_done":      "Thank you. Your plan changes as soon as Stripe confirms the payment; reload in a moment.",
	"checkout_cancelled": "Checkout was cancelled; nothing was charged.",
	"not_configured":     "Plans cannot be bought on this server: billing is not configured.",
	"subscribed":         "You already have a subscription: change it in the billing portal.",
	"no_subscription":    "There is nothing to manage yet: choose a plan first.",
	"email_required":     "Billing needs an account with an email address.",
	"key_moved":          "The key now carries your plan's limits.",
	"plan":               "That tier is above your plan.",
	"no_key":             "No such API key.",
	"sign_in":            "Sign in first.",
}

func backToAccount(c echo.Context, code string) error {
	return c.Redirect(http.StatusSeeOther, AccountPagePath+"?notice="+url.QueryEscape(code))
}

// accountPage shows the plan billing holds, what can be bought, the portal, and the keys.
func (m *Module) accountPage(c echo.Context) error {
	page := views.AccountPage{Notice: accountNotices[c.QueryParam("notice")]}
	if ck, err := c.Cookie(m.d.Accounts.CSRFCookieName()); err == nil {
		page.CSRF = ck.Value
	}
	u, _ := pageUser(c)
	if u == nil {
		return web.Render(c, http.StatusOK, views.Account(page))
	}
	ctx := c.Request().Context()
	st, err := m.billing.StatusOf(ctx, u.ID)
	if err != nil {
		return err
	}
	page.SignedIn, page.Email, page.Plan, page.Status = true, deref(u.Email), st.Plan, st.Status
	page.Configured, page.Manage, page.Cancelling = st.Configured, st.ManageAvailable, st.CancelAtPeriodEnd
	day := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format("2 January 2006")
	}
	page.PeriodEnd = day(st.PeriodEnd)
	if st.GraceUntil != nil && st.Plan != engine.PlanFree {
		page.GraceUntil = day(st.GraceUntil)
	}
	if st.UpgradeAvailable {
		for _, p := range st.Plans {
			if p.ForSale && !engine.PlanAtLeast(st.Plan, p.Name) {
				page.Upgrades = append(page.Upgrades, views.PlanOffer{Name: p.Name, Title: p.Title})
			}
		}
	}
	keys, err := m.d.Accounts.ListAPIKeys(ctx, u.ID)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if k.RevokedAt != nil {
			continue
		}
		row := views.KeyRow{ID: k.ID, Name: k.Name, Prefix: k.Prefix, Tier: k.Tier, RatePerMin: k.RatePerMin, DailyQuota: k.DailyQuota}
		if st.Plan != k.Tier && engine.PlanAtLeast(st.Plan, k.Tier) {
			row.MoveTo = st.Plan
		}
		page.Keys = append(page.Keys, row)
	}
	return web.Render(c, http.StatusOK, views.Account(page))
}

// accountCheckout sends the browser to Stripe's Checkout page for the plan chosen.
func (m *Module) accountCheckout(c echo.Context) error {
	u, _ := pageUser(c)
	if u == nil {
		return backToAccount(c, "sign_in")
	}
	to, err := m.billing.Checkout(c.Request().Context(), u, c.FormValue("plan"))
	if code := billingNotice(err); code != "" {
		return backToAccount(c, code)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// accountPortal sends the browser to Stripe's billing portal.
func (m *Module) accountPortal(c echo.Context) error {
	u, _ := pageUser(c)
	if u == nil {
		return backToAccount(c, "sign_in")
	}
	to, err := m.billing.Portal(c.Request().Context(), u)
	if code := billingNotice(err); code != "" {
		return backToAccount(c, code)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// accountKeyTier moves a key to the plan's tier from the page.
func (m *Module) accountKeyTier(c echo.Context) error {
	u, _ := pageUser(c)
	if u == nil {
		return backToAccount(c, "sign_in")
	}
	id, err := strconv.ParseInt(c.FormValue("key_id"), 10, 64)
	if err != nil || id <= 0 {
		return backToAccount(c, "no_key")
	}
	_, err = m.SetKeyTier(c.Request().Context(), u.ID, id, c.FormValue("tier"))
	var plan *PlanError
	switch {
	case errors.As(err, &plan):
		return backToAccount(c, "plan")
	case errors.Is(err, ErrNoSuchKey):
		return backToAccount(c, "no_key")
	case err != nil:
		return err
	}
	return backToAccount(c, "key_moved")
}

// billingNotice is the page's code for billing's refusals ("" for others).
func billingNotice(err error) string {
	var unknown *billing.UnknownPlanError
	switch {
	case errors.Is(err, billing.ErrNotConfigured), errors.Is(err, billing.ErrNotForSale), errors.As(err, &unknown):
		return "not_configured"
	case errors.Is(err, billing.ErrAlreadySubscribed):
		return "subscribed"
	case errors.Is(err, billing.ErrNoCustomer):
		return "no_subscription"
	case errors.Is(err, billing.ErrEmailRequired):
		return "email_required"
	}
	return ""
}

var keyTierOp = web.Operation{Summary: "Move one of your API keys to a tier your plan covers",
	Description: "Keys follow the plan when it changes; a key issued later starts free and joins the plan here.",
	Request:     KeyTierRequest{}, Responses: web.OK(KeyTier{}), Problems: []int{http.StatusForbidden, http.StatusNotFound}}
