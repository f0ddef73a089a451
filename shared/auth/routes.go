package auth

import (
	"errors"
	"html/template"
	"net/http"
	"strings"

	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// Credentials is the body of register, and of attaching an email to an anonymous account.
type Credentials struct {
	Email       string `json:"email"`
	Password    string `json:"password"`
	DisplayName string `json:"display_name,omitempty"`
}

func (r *Credentials) Validate() []web.FieldError {
	var errs []web.FieldError
	email, why := NormaliseEmail(r.Email)
	if why != "" {
		errs = append(errs, web.FieldError{Field: "email", Reason: why})
	}
	r.Email = email
	if why := ValidatePassword(r.Password); why != "" {
		errs = append(errs, web.FieldError{Field: "password", Reason: why})
	}
	if len(r.DisplayName) > 100 {
		errs = append(errs, web.FieldError{Field: "display_name", Reason: "must be at most 100 characters"})
	}
	return errs
}

// PasswordChange is the body of a signed-in user's password change.
type PasswordChange struct {
	Current string `json:"current_password"`
	New     string `json:"new_password"`
}

func (r *PasswordChange) Validate() []web.FieldError {
	if why := ValidatePassword(r.New); why != "" {
		return []web.FieldError{{Field: "new_password", Reason: why}}
	}
	return nil
}

// ResetConfirm is the body that sets a new password with the code from the reset email.
type ResetConfirm struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

func (r *ResetConfirm) Validate() []web.FieldError {
	var errs []web.FieldError
	if r.Token == "" {
		errs = append(errs, web.FieldError{Field: "token", Reason: "is required"})
	}
	if why := ValidatePassword(r.Password); why != "" {
		errs = append(errs, web.FieldError{Field: "password", Reason: why})
	}
	return errs
}

// resetForm is the page the reset email links to: plain HTML, no script (the CSP allows none
// inline), posting back as a form. A visitor who is signed in sends the CSRF token too.
var resetForm = template.Must(template.New("reset").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Choose a new password</title></head>
<body style="font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem">
<h1>Choose a new password</h1>
{{if .Message}}<p role="status">{{.Message}}</p>{{end}}
{{if .Token}}<form method="post">
<input type="hidden" name="token" value="{{.Token}}">
{{if .CSRF}}<input type="hidden" name="csrf_token" value="{{.CSRF}}">{{end}}
<p><label>New password (at least 10 characters)<br><input type="password" name="password" minlength="10" maxlength="256" required autocomplete="new-password"></label></p>
<p><button type="submit">Set the new password</button></p>
</form>{{end}}
</body></html>`))

func resetPage(c echo.Context, token, message string) error {
	data := struct{ Token, CSRF, Message string }{Token: token, Message: message}
	if sess := CurrentSession(c); sess != nil {
		data.CSRF = string(sess.CSRFSecret)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().Header().Set("Referrer-Policy", "no-referrer") // the code is in this page's URL
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(http.StatusOK)
	return resetForm.Execute(c.Response(), data)
}

// Answers and the other bodies of the account endpoints; their names are the schema names in
// each module's API document.
type (
	// SignedIn answers a sign-in: the account and, once, its session's tokens.
	SignedIn struct {
		User *User `json:"user"`
		Issued
	}
	// Login is the body of a password sign-in.
	Login struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	// ResetRequest asks for a password-reset email.
	ResetRequest struct {
		Email string `json:"email"`
	}
	// Status is a sentence saying what happened.
	Status struct {
		Status string `json:"status"`
	}
	// SessionList is a user's sessions; current marks the one asking.
	SessionList struct {
		Sessions []Session `json:"sessions"`
	}
	// Revoked counts the sessions that sign-out-everywhere ended.
	Revoked struct {
		Revoked int64 `json:"revoked"`
	}
	// KeyRequest asks for a self-issued API key.
	KeyRequest struct {
		Name string `json:"name,omitempty" doc:"at most 100 characters"`
		Tier string `json:"tier,omitempty" doc:"default the free tier; paid tiers come from billing"`
	}
	// IssuedKey is a new API key; the key itself is shown this once.
	IssuedKey struct {
		Key    string  `json:"key"`
		APIKey *APIKey `json:"api_key"`
		Note   string  `json:"note"`
	}
	// KeyList is a user's API keys, revoked ones included.
	KeyList struct {
		APIKeys []APIKey `json:"api_keys"`
	}
)

// Routes mounts the account endpoints under g (a module mounts them at /api/v1/auth):
// register, login, logout, anonymous, attach email, me, sessions, password change and reset.
// Tiers is nil when the module issues no API keys.
//
// Deprecated: modules with an API document use MountAPI, which documents them too.
func Routes(g *echo.Group, s *Service, tiers map[string]Tier) {
	Mount(g, s, RouteSet{PasswordSignIn: true, Tiers: tiers})
}

// RouteSet says which account endpoints a module offers.
type RouteSet struct {
	// PasswordSignIn mounts register, login, anonymous, attach-email, password change and
	// reset. A module with its own sign-in (Snapify's WhatsApp code) leaves it false and keeps
	// only the endpoints of a signed-in user: logout, me and sessions.
	PasswordSignIn bool
	// Tiers enables self-issued API keys; nil when the module issues none.
	Tiers map[string]Tier
}

// Mount mounts the endpoints rs names under g, for modules without an API document. It is
// MountAPI with a document nobody reads, so there is one list of account routes.
func Mount(g *echo.Group, s *Service, rs RouteSet) {
	MountAPI(web.NewAPI("accounts", "1").On(g), s, rs)
}

// MountAPI mounts the account endpoints rs names on r and documents each one in r's API:
//
//	v1 := api.On(e.Group("/api/v1/auth"), "accounts")
//	auth.MountAPI(v1, d.Accounts, auth.RouteSet{PasswordSignIn: true})
//
// The document's tests (openapitest.Check) then cover them like the module's own routes. The
// reset form (GET /password/reset/confirm) is documented as the HTML page it is.
func MountAPI(r *web.APIRoutes, s *Service, rs RouteSet) {
	h := &accountHandlers{s: s, tiers: rs.Tiers}
	me := r.Group("", RequireUser)
	if rs.PasswordSignIn {
		h.mountSignIn(r, me)
	}
	h.mountSessions(me)
	if rs.Tiers != nil {
		h.mountKeys(me)
	}
}

// accountHandlers are the account endpoints of one module's Service.
type accountHandlers struct {
	s     *Service
	tiers map[string]Tier
}

var (
	statusOK = web.OK(Status{})
	tooMany  = http.StatusTooManyRequests
	htmlPage = &web.Schema{Type: "string", Description: "an HTML page"}
)

// resetFormQuery is the reset page's query: the code the email's link carries.
type resetFormQuery struct {
	Token string `query:"token" doc:"the code from the reset email's link"`
}

func (h *accountHandlers) mountSignIn(r, me *web.APIRoutes) {
	r.POST("/register", h.register, web.Operation{
		Summary: "Create an account with email and password, and sign in", Auth: web.AuthNone,
		Request: Credentials{}, Responses: web.Created(SignedIn{}),
		Description: "Sets the session and CSRF cookies and returns the same tokens for API clients.",
		Problems:    []int{http.StatusConflict, tooMany},
	})
	r.POST("/login", h.login, web.Operation{
		Summary: "Sign in with email and password", Auth: web.AuthNone,
		Request: Login{}, Responses: web.OK(SignedIn{}),
		Description: "Repeated failures for one account or address are refused for a while (429 with Retry-After).",
		Problems:    []int{http.StatusUnauthorized, http.StatusUnprocessableEntity, tooMany},
	})
	r.POST("/anonymous", h.anonymous, web.Operation{
		Summary: "Create an anonymous account and sign in", Auth: web.AuthNone,
		Responses: web.Created(SignedIn{}), Problems: []int{tooMany},
	})
	me.POST("/password", h.changePassword, web.Operation{
		Summary:     "Change the password",
		Description: "Signs out every other session of the account.",
		Request:     PasswordChange{}, Responses: statusOK,
		Problems: []int{http.StatusForbidden, http.StatusConflict, tooMany},
	})
	r.POST("/password/reset", h.requestReset, web.Operation{
		Summary: "Email a password-reset link", Auth: web.AuthNone,
		Description: "Answers the same whether or not an account has the email. 503 MAIL_NOT_CONFIGURED when the server sends no mail.",
		Request:     ResetRequest{},
		Responses:   map[int]web.Response{http.StatusAccepted: {Body: Status{}}},
		Problems:    []int{http.StatusUnprocessableEntity, tooMany, http.StatusServiceUnavailable},
	})
	r.GET("/password/reset/confirm", h.resetForm, web.Operation{
		Summary: "The page the reset email links to: a form choosing the new password", Auth: web.AuthNone,
		Query:     resetFormQuery{},
		Responses: map[int]web.Response{http.StatusOK: {Body: htmlPage, ContentType: echo.MIMETextHTMLCharsetUTF8}},
	})
	r.POST("/password/reset/confirm", h.confirmReset, web.Operation{
		Summary: "Set a new password with the code from the reset email", Auth: web.AuthNone,
		Description: "Signs out every session of the account. The emailed page posts here as " +
			"application/x-www-form-urlencoded (token, password) and gets the page back; API clients send JSON.",
		Request: ResetConfirm{}, Responses: statusOK,
	})
	me.POST("/email", h.attachEmail, web.Operation{
		Summary: "Give an anonymous account an email and password",
		Request: Credentials{}, Responses: web.OK(User{}),
		Problems: []int{http.StatusNotFound, http.StatusConflict},
	})
}

func (h *accountHandlers) mountSessions(me *web.APIRoutes) {
	me.POST("/logout", h.logout, web.Operation{
		Summary: "Sign out this session", Responses: web.NoContent(), Problems: []int{http.StatusNotFound},
	})
	me.POST("/sessions/revoke-all", h.revokeAll, web.Operation{
		Summary: "Sign out every session of the account, this one included", Responses: web.OK(Revoked{}),
	})
	me.GET("/me", h.me, web.Operation{Summary: "The signed-in account", Responses: web.OK(User{})})
	me.GET("/sessions", h.sessions, web.Operation{Summary: "The account's sessions", Responses: web.OK(SessionList{})})
	me.DELETE("/sessions/:session_id", h.revokeSession, web.Operation{
		Summary: "Sign out one session", Responses: web.NoContent(), Problems: []int{http.StatusNotFound},
	})
}

func (h *accountHandlers) mountKeys(me *web.APIRoutes) {
	me.POST("/keys", h.issueKey, web.Operation{
		Summary:     "Issue an API key",
		Description: "Free tier only, not for anonymous accounts, at most ten active keys (409 TOO_MANY_KEYS).",
		Request:     KeyRequest{}, Responses: web.Created(IssuedKey{}),
		Problems: []int{http.StatusForbidden, http.StatusConflict, http.StatusUnprocessableEntity},
	})
	me.GET("/keys", h.listKeys, web.Operation{Summary: "The account's API keys", Responses: web.OK(KeyList{})})
	me.DELETE("/keys/:key_id", h.revokeKey, web.Operation{
		Summary: "Revoke an API key", Responses: web.NoContent(), Problems: []int{http.StatusNotFound},
	})
}

func (h *accountHandlers) register(c echo.Context) error {
	s := h.s
	var req Credentials
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	// Sign-up necessarily says whether an email is taken; the per-IP limit keeps that from
	// becoming a way to test addresses in bulk.
	if err := s.limit(c.Request().Context(), "register:ip:"+c.RealIP(), s.cfg.PerIP, s.clock.Now()); err != nil {
		return Problem(err)
	}
	u, err := s.Register(c.Request().Context(), req.Email, req.Password, req.DisplayName)
	if err != nil {
		return Problem(err)
	}
	iss, err := s.IssueSession(c.Request().Context(), u.ID, c.RealIP(), c.Request().UserAgent())
	if err != nil {
		return err
	}
	s.SetSessionCookies(c, iss)
	return c.JSON(http.StatusCreated, SignedIn{User: u, Issued: iss})
}

func (h *accountHandlers) login(c echo.Context) error {
	var req Login
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	email, why := NormaliseEmail(req.Email)
	if why != "" {
		return web.Invalid(web.FieldError{Field: "email", Reason: why})
	}
	u, iss, err := h.s.Login(c.Request().Context(), email, req.Password, c.RealIP(), c.Request().UserAgent())
	if err != nil {
		return Problem(err)
	}
	h.s.SetSessionCookies(c, iss)
	return c.JSON(http.StatusOK, SignedIn{User: u, Issued: iss})
}

func (h *accountHandlers) anonymous(c echo.Context) error {
	s, ctx := h.s, c.Request().Context()
	if err := s.limit(ctx, "anon:ip:"+c.RealIP(), s.cfg.PerIP, s.clock.Now()); err != nil {
		return Problem(err)
	}
	u, err := s.CreateAnonymous(ctx)
	if err != nil {
		return err
	}
	iss, err := s.IssueSession(ctx, u.ID, c.RealIP(), c.Request().UserAgent())
	if err != nil {
		return err
	}
	s.SetSessionCookies(c, iss)
	return c.JSON(http.StatusCreated, SignedIn{User: u, Issued: iss})
}

func (h *accountHandlers) changePassword(c echo.Context) error {
	var req PasswordChange
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	if err := h.s.ChangePassword(c.Request().Context(), CurrentUser(c).ID, CurrentSession(c).ID, req.Current, req.New); err != nil {
		return Problem(err)
	}
	return c.JSON(http.StatusOK, Status{"password changed; your other sessions are signed out"})
}

func (h *accountHandlers) requestReset(c echo.Context) error {
	var req ResetRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	email, why := NormaliseEmail(req.Email)
	if why != "" {
		return web.Invalid(web.FieldError{Field: "email", Reason: why})
	}
	if err := h.s.RequestPasswordReset(c.Request().Context(), email, c.RealIP()); err != nil {
		return Problem(err)
	}
	return c.JSON(http.StatusAccepted, Status{"if an account has this email, a reset link is on its way"})
}

func (h *accountHandlers) resetForm(c echo.Context) error {
	return resetPage(c, c.QueryParam("token"), "")
}

func (h *accountHandlers) confirmReset(c echo.Context) error {
	// The emailed link opens the form above, which posts here as a form; apps send JSON.
	form := strings.HasPrefix(c.Request().Header.Get("Content-Type"), "application/x-www-form-urlencoded")
	var req ResetConfirm
	if form {
		req = ResetConfirm{Token: c.FormValue("token"), Password: c.FormValue("password")}
		if why := ValidatePassword(req.Password); why != "" {
			return resetPage(c, req.Token, "The password "+why+".")
		}
	} else if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	err := h.s.ConfirmPasswordReset(c.Request().Context(), req.Token, req.Password)
	switch {
	case form && errors.Is(err, ErrResetInvalid):
		return resetPage(c, "", ErrResetInvalid.Error())
	case err != nil:
		return Problem(err)
	case form:
		return resetPage(c, "", "Your password is changed and every session is signed out: sign in with the new password.")
	}
	return c.JSON(http.StatusOK, Status{"password changed; every session is signed out"})
}

func (h *accountHandlers) attachEmail(c echo.Context) error {
	var req Credentials
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	u, err := h.s.AttachEmail(c.Request().Context(), CurrentUser(c).ID, req.Email, req.Password)
	if err != nil {
		return Problem(err)
	}
	return c.JSON(http.StatusOK, u)
}

func (h *accountHandlers) logout(c echo.Context) error {
	if err := h.s.Revoke(c.Request().Context(), CurrentUser(c).ID, CurrentSession(c).ID); err != nil {
		return Problem(err)
	}
	h.s.ClearSessionCookies(c)
	return c.NoContent(http.StatusNoContent)
}

func (h *accountHandlers) revokeAll(c echo.Context) error {
	n, err := h.s.RevokeAll(c.Request().Context(), CurrentUser(c).ID, 0)
	if err != nil {
		return err
	}
	h.s.ClearSessionCookies(c)
	return c.JSON(http.StatusOK, Revoked{Revoked: n})
}

func (h *accountHandlers) me(c echo.Context) error { return c.JSON(http.StatusOK, CurrentUser(c)) }

func (h *accountHandlers) sessions(c echo.Context) error {
	list, err := h.s.ListSessions(c.Request().Context(), CurrentUser(c).ID)
	if err != nil {
		return err
	}
	cur := CurrentSession(c).ID
	for i := range list {
		list[i].Current = list[i].ID == cur
	}
	return c.JSON(http.StatusOK, SessionList{Sessions: list})
}

func (h *accountHandlers) revokeSession(c echo.Context) error {
	id, err := web.PathID(c, "session_id")
	if err != nil {
		return err
	}
	if err := h.s.Revoke(c.Request().Context(), CurrentUser(c).ID, id); err != nil {
		return Problem(err)
	}
	return c.NoContent(http.StatusNoContent)
}

func (h *accountHandlers) issueKey(c echo.Context) error {
	var req KeyRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	if req.Tier == "" {
		req.Tier = SelfServiceTier
	}
	if _, ok := h.tiers[req.Tier]; !ok {
		return web.Invalid(web.FieldError{Field: "tier", Reason: "unknown tier"})
	}
	if len(req.Name) > 100 {
		return web.Invalid(web.FieldError{Field: "name", Reason: "must be at most 100 characters"})
	}
	plain, k, err := h.s.IssueOwnAPIKey(c.Request().Context(), CurrentUser(c), req.Name, req.Tier, h.tiers)
	if err != nil {
		return Problem(err)
	}
	return c.JSON(http.StatusCreated, IssuedKey{Key: plain, APIKey: k, Note: "this is the only time the key is shown; store it now"})
}

func (h *accountHandlers) listKeys(c echo.Context) error {
	list, err := h.s.ListAPIKeys(c.Request().Context(), CurrentUser(c).ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, KeyList{APIKeys: list})
}

func (h *accountHandlers) revokeKey(c echo.Context) error {
	id, err := web.PathID(c, "key_id")
	if err != nil {
		return err
	}
	if err := h.s.RevokeAPIKey(c.Request().Context(), CurrentUser(c).ID, id); err != nil {
		return Problem(err)
	}
	return c.NoContent(http.StatusNoContent)
}
