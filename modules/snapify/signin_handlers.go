package snapify

import (
	"net/http"

	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// Handlers of the seller sign-in, /api/v1/seller/login (signin_service.go has the codes).

func (m *Module) sendCode(c echo.Context) error {
	var req phoneRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	sent, err := m.RequestSignInCode(c.Request().Context(), c.RealIP(), req.parsed, req.Lang)
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusAccepted, sent)
}

func (m *Module) verifyCode(c echo.Context) error {
	var req verifyRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	out, iss, err := m.SignIn(c.Request().Context(), c.RealIP(), c.Request().UserAgent(), req.parsed, req.Code)
	if err != nil {
		return problem(err)
	}
	m.d.Accounts.SetSessionCookies(c, iss)
	return c.JSON(http.StatusOK, out)
}
