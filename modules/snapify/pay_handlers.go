package snapify

import (
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// Handlers of the Pro plan: the seller's plan and checkout (under /api/v1/stores/{store},
// owner only through withStore), and the gateways' callbacks, which come through the seller's
// browser as form posts (JazzCash) or redirects (EasyPaisa) and carry no session.

// payRoutes mounts the plan's API on s (the seller's /api/v1/stores/{store} group) and the
// gateways' callbacks on e: form posts and redirects through the payer's browser, not JSON.
func (m *Module) payRoutes(api *web.API, e *echo.Echo, s *web.APIRoutes) {
	s.GET("/plan", m.withStore(m.apiPlan), planOp)
	s.POST("/plan/checkout", m.withStore(m.apiCheckout), checkoutOp)
	hooks := api.On(e, "payments")
	hooks.POST("/webhooks/jazzcash", m.jazzCashWebhook, jazzCashHookOp)
	hooks.GET("/webhooks/easypaisa", m.easyPaisaWebhook, easyPaisaHookOp)
	hooks.POST("/webhooks/easypaisa", m.easyPaisaWebhook, easyPaisaHookOp)
}

// easyPaisaRedirect documents Easypay's two redirects to postBackURL.
type easyPaisaRedirect struct {
	AuthToken      string `query:"auth_token" doc:"the first redirect: answered with a page that posts it to Confirm.jsf"`
	OrderRefNumber string `query:"orderRefNumber" doc:"the second: our reference, settled only as Easypay's transaction inquiry reports it"`
	Status         string `query:"status" doc:"0000 when Easypay says it went through (not proof)"`
	Desc           string `query:"desc"`
}

var payHookAnswers = map[int]web.Response{
	http.StatusSeeOther: {Description: "verified: the browser goes to the seller app's /settings?payment={ref}&result=paid|failed|pending"},
}

var (
	planOp = web.Operation{Summary: "The plan with its renewal date, grace, payments and the gateways on offer",
		Responses: web.OK(planAnswer{}), Problems: inStore}
	checkoutOp = web.Operation{Summary: "Start a month of Pro (Rs 2,500) with JazzCash or EasyPaisa: a pending payment and the form the browser posts to the gateway",
		Description: "The answer's form is submitted by the browser (method POST to action with the hidden fields). The gateway sends the payer back " +
			"through /webhooks/jazzcash or /webhooks/easypaisa, which verify the result and land on the app's /settings?payment={ref}&result=paid|failed|pending. " +
			"503 PAYMENTS_NOT_CONFIGURED names the settings a gateway lacks.",
		Request: checkoutRequest{}, Responses: web.Created(checkoutAnswer{}),
		Problems: []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity, http.StatusServiceUnavailable}}
	jazzCashHookOp = web.Operation{Summary: "JazzCash's result (pp_ReturnURL), posted form-encoded through the payer's browser", Auth: web.AuthNone,
		Description: "The pp_ fields JazzCash posts (application/x-www-form-urlencoded, at most 16 KiB). Accepted only when pp_SecureHash " +
			"(HMAC-SHA256 under the integrity salt) matches, pp_MerchantID is ours, and pp_TxnRefNo, pp_Amount and the gateway match a pending " +
			"payment; then the store is Pro. Anything else is 400 PAYMENT_CALLBACK_REFUSED and changes nothing; a result delivered again changes nothing.",
		Responses: payHookAnswers, Problems: []int{http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusServiceUnavailable}}
	easyPaisaHookOp = web.Operation{Summary: "Easypay's redirects to postBackURL (query string, or a form-encoded POST)", Auth: web.AuthNone, Query: easyPaisaRedirect{},
		Description: "With auth_token: a page that posts it to Easypay's Confirm.jsf. With orderRefNumber: the payment is settled as Easypay's " +
			"inquire-transaction reports it (PAID, for our store, with the amount asked); a redirect Easypay does not confirm is 400 PAYMENT_CALLBACK_REFUSED.",
		Responses: map[int]web.Response{
			http.StatusOK:       {Description: "the page that continues to Confirm.jsf", Body: "", ContentType: "text/html"},
			http.StatusSeeOther: payHookAnswers[http.StatusSeeOther]},
		Problems: []int{http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusServiceUnavailable}}
)

func (m *Module) apiPlan(c echo.Context, s *Store) error {
	out, err := m.Plan(c.Request().Context(), s)
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, out)
}

func (m *Module) apiCheckout(c echo.Context, s *Store) error {
	var req checkoutRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	out, err := m.StartCheckout(c.Request().Context(), auth.CurrentUser(c).ID, s, req.Gateway)
	if err != nil {
		return problem(err)
	}
	c.Response().Header().Set("Cache-Control", "no-store") // the form holds the merchant's pp_Password
	return c.JSON(http.StatusCreated, out)
}

// payCallbackLimit bounds a callback body: a JazzCash result is under 2 KB.
const payCallbackLimit = 16 << 10

// readPayForm reads a callback's fields: the query string, and a POST's form-encoded body
// (size-limited, nothing else accepted).
func readPayForm(c echo.Context) (url.Values, error) {
	r := c.Request()
	if len(r.URL.RawQuery) > payCallbackLimit {
		return nil, web.NewProblem(http.StatusRequestURITooLong, "the callback's query is too long")
	}
	form, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, web.BadRequest("the callback's query is not form-encoded: " + err.Error())
	}
	if r.Method != http.MethodPost {
		return form, nil
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	if mt != "application/x-www-form-urlencoded" {
		return nil, web.NewProblem(http.StatusUnsupportedMediaType, "a payment callback is application/x-www-form-urlencoded")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, payCallbackLimit+1))
	if err != nil {
		return nil, web.BadRequest("could not read the callback body")
	}
	if len(body) > payCallbackLimit {
		return nil, web.NewProblem(http.StatusRequestEntityTooLarge, "a payment callback is at most 16 KiB")
	}
	posted, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, web.BadRequest("the callback body is not form-encoded: " + err.Error())
	}
	for k, vs := range posted {
		form[k] = append(form[k], vs...)
	}
	return form, nil
}

// payAnswer answers a callback: the browser goes back to the seller app's plan, or a refused
// callback gets a problem that says why (and nothing changed).
func (m *Module) payAnswer(c echo.Context, out *payOutcome) error {
	if out.Outcome == payRefused {
		return web.NewProblem(http.StatusBadRequest, "payment callback refused: "+out.Reason+"; nothing was changed").
			WithCode("PAYMENT_CALLBACK_REFUSED")
	}
	result := out.Outcome
	if out.Outcome == payDuplicate && out.Payment != nil {
		result = out.Payment.Status
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Redirect(http.StatusSeeOther, m.payReturnURL(out.Ref, result))
}

// jazzCashWebhook is pp_ReturnURL: JazzCash posts the result through the payer's browser.
func (m *Module) jazzCashWebhook(c echo.Context) error {
	form, err := readPayForm(c)
	if err != nil {
		return err
	}
	out, err := m.JazzCashCallback(c.Request().Context(), form)
	if err != nil {
		return problem(err)
	}
	return m.payAnswer(c, out)
}

// easyPaisaWebhook is postBackURL, for both of Easypay's redirects.
func (m *Module) easyPaisaWebhook(c echo.Context) error {
	form, err := readPayForm(c)
	if err != nil {
		return err
	}
	out, confirm, err := m.EasyPaisaCallback(c.Request().Context(), form)
	if err != nil {
		return problem(err)
	}
	if confirm != nil {
		return autoPost(c, confirm.Action, confirm.Fields)
	}
	return m.payAnswer(c, out)
}

// autoPostScript submits the page's one form; its hash is what the page's CSP allows.
const autoPostScript = `document.forms[0].submit();`

var autoPostPage = template.Must(template.New("post").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Continuing to EasyPaisa…</title></head>
<body><form method="post" action="{{.Action}}">{{range $k, $v := .Fields}}<input type="hidden" name="{{$k}}" value="{{$v}}">{{end}}
<p>Continuing to EasyPaisa to confirm your payment…</p><button type="submit">Continue</button></form>
<script>` + autoPostScript + `</script></body></html>`))

// autoPost answers a page that posts fields to action at once (with a button for browsers
// without script), allowed by its own CSP to submit to action only.
func autoPost(c echo.Context, action string, fields map[string]string) error {
	u, err := url.Parse(action)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return web.NewProblem(http.StatusInternalServerError, "the gateway's confirmation address is not configured correctly")
	}
	sum := sha256.Sum256([]byte(autoPostScript))
	h := c.Response().Header()
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+
		"'; form-action "+u.Scheme+"://"+u.Host+"; base-uri 'none'; frame-ancestors 'none'")
	h.Set("Cache-Control", "no-store")
	var b strings.Builder
	if err := autoPostPage.Execute(&b, struct {
		Action string
		Fields map[string]string
	}{action, fields}); err != nil {
		return err
	}
	return c.HTML(http.StatusOK, b.String())
}
