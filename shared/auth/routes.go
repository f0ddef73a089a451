package auth

import (
	"net/http"
	"strconv"

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
