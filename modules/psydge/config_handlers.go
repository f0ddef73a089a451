package psydge

import (
	"net/http"

	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// ConfigView is the discipline config and the locked rules it may only tighten.
type ConfigView struct {
	Config      discipline.Config `json:"config"`
	LockedRules discipline.Config `json:"locked_rules"`
}

func (m *Module) getConfig(c echo.Context) error {
	cfg, err := m.Config(c.Request().Context(), uid(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ConfigView{Config: cfg, LockedRules: discipline.Defaults()})
}

// putConfig applies a partial config on top of the current one; every value may only tighten.
func (m *Module) putConfig(c echo.Context) error {
	ctx := c.Request().Context()
	id := uid(c)
	// The partial body is decoded over the current config, so the service is asked for it first.
	proposed, err := m.Config(ctx, id)
	if err != nil {
		return err
	}
	proposed.Whitelist = append([]discipline.Instrument(nil), proposed.Whitelist...)
	if err := web.BindJSON(c, &proposed); err != nil {
		return err
	}
	next, err := m.TightenConfig(ctx, id, proposed)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ConfigView{Config: next, LockedRules: discipline.Defaults()})
}

func (m *Module) getGates(c echo.Context) error {
	g, err := m.Gates(c.Request().Context(), uid(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, g)
}

func (m *Module) ackGates(c echo.Context) error {
	l, err := m.Acknowledge(c.Request().Context(), uid(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, m.gateStatus(c.Request().Context(), uid(c), l))
}
