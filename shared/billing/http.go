package billing

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// The handlers below are mounted by each selling module in its own route table:
//
//	v1.GET("/billing", m.billing.GetStatus, billing.StatusOp)
//	v1.POST("/billing/checkout", m.billing.PostCheckout, billing.CheckoutOp)
//	v1.POST("/billing/portal", m.billing.PostPortal, billing.PortalOp)
//	api.On(e, "billing").POST("/webhooks/stripe", m.billing.PostWebhook, billing.WebhookOp)

// CheckoutRequest is the body of POST /api/v1/billing/checkout.
type CheckoutRequest struct {
	Plan string `json:"plan" doc:"a paid plan's name (GET /api/v1/billing lists them)"`
}

// Validate names a missing plan.
func (r CheckoutRequest) Validate() []web.FieldError {
	if r.Plan == "" {
		return []web.FieldError{{Field: "plan", Reason: "is required"}}
	}
	return nil
}

// Redirect is where the browser goes next: Stripe's hosted Checkout or portal page.
type Redirect struct {
	URL string `json:"url" format:"uri"`
}

// WebhookAnswer is the answer to Stripe.
type WebhookAnswer struct {
	Received bool   `json:"received"`
	Outcome  string `json:"outcome" doc:"applied, ignored, kept or duplicate, with why"`
}

// StripeEvent documents the webhook body: a Stripe event object, signed in Stripe-Signature.
type StripeEvent struct {
	ID      string         `json:"id"`
	Object  string         `json:"object" enum:"event"`
	Type    string         `json:"type"`
	Created int64          `json:"created"`
	Data    map[string]any `json:"data"`
}

// Operations of the billing routes, for each module's API document.
var (
	StatusOp = web.Operation{Summary: "The plan you hold", Description: "Read from this server's records; " +
		"configured false means Stripe is not set up here.", Responses: web.OK(Status{})}
	CheckoutOp = web.Operation{Summary: "Subscribe: open a Stripe Checkout page", Request: CheckoutRequest{},
		Responses: web.OK(Redirect{}), Problems: []int{http.StatusForbidden, http.StatusConflict, http.StatusServiceUnavailable}}
	PortalOp = web.Operation{Summary: "Change or cancel: open the Stripe billing portal",
		Responses: web.OK(Redirect{}), Problems: []int{http.StatusConflict, http.StatusServiceUnavailable}}
	WebhookOp = web.Operation{Summary: "Stripe's events (signed)", Auth: web.AuthNone, Request: StripeEvent{},
		Description: "Verified with the endpoint's signing secret; each event id is handled once.",
		Params:      []web.Param{{Name: "Stripe-Signature", In: "header", Required: true, Description: "t=<unix time>,v1=<hex HMAC-SHA256>"}},
		Responses:   web.OK(WebhookAnswer{}), Problems: []int{http.StatusServiceUnavailable}}
)

// GetStatus answers the signed-in user's plan.
func (s *Service) GetStatus(c echo.Context) error {
	st, err := s.StatusOf(c.Request().Context(), auth.CurrentUser(c).ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

// PostCheckout answers a Checkout URL for the plan asked for.
func (s *Service) PostCheckout(c echo.Context) error {
	var req CheckoutRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	url, err := s.Checkout(c.Request().Context(), auth.CurrentUser(c), req.Plan)
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, Redirect{URL: url})
}

// PostPortal answers a billing portal URL.
func (s *Service) PostPortal(c echo.Context) error {
	url, err := s.Portal(c.Request().Context(), auth.CurrentUser(c))
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, Redirect{URL: url})
}

// PostWebhook receives Stripe's events. The body is read raw: the signature covers its bytes.
func (s *Service) PostWebhook(c echo.Context) error {
	if mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType)); mt != echo.MIMEApplicationJSON {
		return web.NewProblem(http.StatusUnsupportedMediaType, "Stripe sends application/json").WithCode("UNSUPPORTED_MEDIA_TYPE")
	}
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return web.BadRequest("the body could not be read").WithCode("BODY_UNREADABLE")
	}
	outcome, err := s.Webhook(c.Request().Context(), body, c.Request().Header.Get("Stripe-Signature"))
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, WebhookAnswer{Received: true, Outcome: outcome})
}

// problem maps billing's refusals to problem+json; other errors become the logged 500.
func problem(err error) error {
	var unknown *UnknownPlanError
	switch {
	case errors.Is(err, ErrNotConfigured):
		return web.NewProblem(http.StatusServiceUnavailable, err.Error()).WithCode("BILLING_NOT_CONFIGURED")
	case errors.As(err, &unknown):
		return web.Invalid(web.FieldError{Field: "plan", Reason: unknown.Error()})
	case errors.Is(err, ErrNotForSale):
		return web.Conflict(err.Error()).WithCode("PLAN_NOT_FOR_SALE")
	case errors.Is(err, ErrEmailRequired):
		return web.Forbidden(err.Error()).WithCode("EMAIL_REQUIRED")
	case errors.Is(err, ErrAlreadySubscribed):
		return web.Conflict(err.Error()).WithCode("ALREADY_SUBSCRIBED")
	case errors.Is(err, ErrNoCustomer):
		return web.Conflict(err.Error()).WithCode("NO_SUBSCRIPTION")
	case errors.Is(err, ErrNoSignature), errors.Is(err, ErrBadSignature):
		return web.BadRequest(err.Error()).WithCode("SIGNATURE_INVALID")
	case errors.Is(err, ErrStale):
		return web.BadRequest(err.Error()).WithCode("SIGNATURE_TOO_OLD")
	case errors.Is(err, ErrBadEvent):
		return web.BadRequest(err.Error()).WithCode("EVENT_INVALID")
	}
	return err
}
