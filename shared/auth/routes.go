package auth

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

type credentials struct {
	Email       string `json:"email"`
	Password    string `json:"password"`
	DisplayName string `json:"display_name,omitempty"`
}

func (r *credentials) Validate() []web.FieldError {
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

type passwordChange struct {
	Current string `json:"current_password"`
	New     string `json:"new_password"`
}

func (r *passwordChange) Validate() []web.FieldError {
	if why := ValidatePassword(r.New); why != "" {
		return []web.FieldError{{Field: "new_password", Reason: why}}
	}
	return nil
}

type resetConfirm struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

func (r *resetConfirm) Validate() []web.FieldError {
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

type signedIn struct {
	User *User `json:"user"`
	Issued
}

// Routes mounts the account endpoints under g (a module mounts them at /api/v1/auth):
// register, login, logout, anonymous, attach email, me, sessions (list, revoke).
// Tiers is nil when the module issues no API keys.
func Routes(g *echo.Group, s *Service, tiers map[string]Tier) {
	Mount(g, s, RouteSet{PasswordSignIn: true, Tiers: tiers})
}

// RouteSet says which account endpoints a module offers.
type RouteSet struct {
	// PasswordSignIn mounts register, login, anonymous and attach-email. A module with its
	// own sign-in (Snapify's WhatsApp code) leaves it false and keeps only the endpoints of a
	// signed-in user: logout, me and sessions.
	PasswordSignIn bool
	// Tiers enables self-issued API keys; nil when the module issues none.
	Tiers map[string]Tier
}

// Mount mounts the endpoints rs names under g.
func Mount(g *echo.Group, s *Service, rs RouteSet) {
	me := g.Group("", RequireUser)
	if rs.PasswordSignIn {
		mountSignIn(g, me, s)
	}
	mountSessions(me, s)
	if rs.Tiers != nil {
		mountKeys(me, s, rs.Tiers)
	}
}

func mountSignIn(g, me *echo.Group, s *Service) {
	g.POST("/register", func(c echo.Context) error {
		var req credentials
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
		return c.JSON(http.StatusCreated, signedIn{User: u, Issued: iss})
	})
	g.POST("/login", func(c echo.Context) error {
		var req struct {
			Email    string `json:"email"`
			Password string `json:"password"`
		}
		if err := web.BindJSON(c, &req); err != nil {
			return err
		}
		email, why := NormaliseEmail(req.Email)
		if why != "" {
			return web.Invalid(web.FieldError{Field: "email", Reason: why})
		}
		u, iss, err := s.Login(c.Request().Context(), email, req.Password, c.RealIP(), c.Request().UserAgent())
		if err != nil {
			return Problem(err)
		}
		s.SetSessionCookies(c, iss)
		return c.JSON(http.StatusOK, signedIn{User: u, Issued: iss})
	})
	g.POST("/anonymous", func(c echo.Context) error {
		ctx := c.Request().Context()
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
		return c.JSON(http.StatusCreated, signedIn{User: u, Issued: iss})
	})

	me.POST("/password", func(c echo.Context) error {
		var req passwordChange
		if err := web.BindJSON(c, &req); err != nil {
			return err
		}
		if err := s.ChangePassword(c.Request().Context(), CurrentUser(c).ID, CurrentSession(c).ID, req.Current, req.New); err != nil {
			return Problem(err)
		}
		return c.JSON(http.StatusOK, map[string]string{"status": "password changed; your other sessions are signed out"})
	})
	g.POST("/password/reset", func(c echo.Context) error {
		var req struct {
			Email string `json:"email"`
		}
		if err := web.BindJSON(c, &req); err != nil {
			return err
		}
		email, why := NormaliseEmail(req.Email)
		if why != "" {
			return web.Invalid(web.FieldError{Field: "email", Reason: why})
		}
		if err := s.RequestPasswordReset(c.Request().Context(), email, c.RealIP()); err != nil {
			return Problem(err)
		}
		return c.JSON(http.StatusAccepted, map[string]string{"status": "if an account has this email, a reset link is on its way"})
	})
	g.GET("/password/reset/confirm", func(c echo.Context) error {
		return resetPage(c, c.QueryParam("token"), "")
	})
	g.POST("/password/reset/confirm", func(c echo.Context) error {
		// The emailed link opens the form above, which posts here as a form; apps send JSON.
		form := strings.HasPrefix(c.Request().Header.Get("Content-Type"), "application/x-www-form-urlencoded")
		var req resetConfirm
		if form {
			req = resetConfirm{Token: c.FormValue("token"), Password: c.FormValue("password")}
			if why := ValidatePassword(req.Password); why != "" {
				return resetPage(c, req.Token, "The password "+why+".")
			}
		} else if err := web.BindJSON(c, &req); err != nil {
			return err
		}
		err := s.ConfirmPasswordReset(c.Request().Context(), req.Token, req.Password)
		switch {
		case form && errors.Is(err, ErrResetInvalid):
			return resetPage(c, "", ErrResetInvalid.Error())
		case err != nil:
			return Problem(err)
		case form:
			return resetPage(c, "", "Your password is changed and every session is signed out: sign in with the new password.")
		}
		return c.JSON(http.StatusOK, map[string]string{"status": "password changed; every session is signed out"})
	})

	me.POST("/email", func(c echo.Context) error {
		var req credentials
		if err := web.BindJSON(c, &req); err != nil {
			return err
		}
		u, err := s.AttachEmail(c.Request().Context(), CurrentUser(c).ID, req.Email, req.Password)
		if err != nil {
			return Problem(err)
		}
		return c.JSON(http.StatusOK, u)
	})
}

func mountSessions(me *echo.Group, s *Service) {
	me.POST("/logout", func(c echo.Context) error {
		if err := s.Revoke(c.Request().Context(), CurrentUser(c).ID, CurrentSession(c).ID); err != nil {
			return Problem(err)
		}
		s.ClearSessionCookies(c)
		return c.NoContent(http.StatusNoContent)
	})
	me.POST("/sessions/revoke-all", func(c echo.Context) error {
		n, err := s.RevokeAll(c.Request().Context(), CurrentUser(c).ID, 0)
		if err != nil {
			return err
		}
		s.ClearSessionCookies(c)
		return c.JSON(http.StatusOK, map[string]int64{"revoked": n})
	})
	me.GET("/me", func(c echo.Context) error { return c.JSON(http.StatusOK, CurrentUser(c)) })
	me.GET("/sessions", func(c echo.Context) error {
		list, err := s.ListSessions(c.Request().Context(), CurrentUser(c).ID)
		if err != nil {
			return err
		}
		cur := CurrentSession(c).ID
		for i := range list {
			list[i].Current = list[i].ID == cur
		}
		return c.JSON(http.StatusOK, map[string]any{"sessions": list})
	})
	me.DELETE("/sessions/:id", func(c echo.Context) error {
		id, err := strconv.ParseInt(c.Param("id"), 10, 64)
		if err != nil {
			return web.NotFound("no such session")
		}
		if err := s.Revoke(c.Request().Context(), CurrentUser(c).ID, id); err != nil {
			return Problem(err)
		}
		return c.NoContent(http.StatusNoContent)
	})
}

func mountKeys(me *echo.Group, s *Service, tiers map[string]Tier) {
	me.POST("/keys", func(c echo.Context) error {
		var req struct {
			Name string `json:"name"`
			Tier string `json:"tier"`
		}
		if err := web.BindJSON(c, &req); err != nil {
			return err
		}
		if req.Tier == "" {
			req.Tier = SelfServiceTier
		}
		if _, ok := tiers[req.Tier]; !ok {
			return web.Invalid(web.FieldError{Field: "tier", Reason: "unknown tier"})
		}
		if len(req.Name) > 100 {
			return web.Invalid(web.FieldError{Field: "name", Reason: "must be at most 100 characters"})
		}
		plain, k, err := s.IssueOwnAPIKey(c.Request().Context(), CurrentUser(c), req.Name, req.Tier, tiers)
		if err != nil {
			return Problem(err)
		}
		return c.JSON(http.StatusCreated, map[string]any{"key": plain, "api_key": k,
			"note": "this is the only time the key is shown; store it now"})
	})
	me.GET("/keys", func(c echo.Context) error {
		list, err := s.ListAPIKeys(c.Request().Context(), CurrentUser(c).ID)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]any{"api_keys": list})
	})
	me.DELETE("/keys/:id", func(c echo.Context) error {
		id, err := strconv.ParseInt(c.Param("id"), 10, 64)
		if err != nil {
			return web.NotFound("no such key")
		}
		if err := s.RevokeAPIKey(c.Request().Context(), CurrentUser(c).ID, id); err != nil {
			return Problem(err)
		}
		return c.NoContent(http.StatusNoContent)
	})
}
