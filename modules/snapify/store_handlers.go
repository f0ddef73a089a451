package snapify

import (
	"net/http"

	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// Handlers of the store resource: /api/v1/stores and /api/v1/stores/{store}. Each parses,
// calls one service method and answers; errors go through problem (errors.go).

type storeHandler func(c echo.Context, s *Store) error

// withStore resolves /:store among the caller's own stores. Anyone else's store answers 404,
// exactly like a store that does not exist.
func (m *Module) withStore(h storeHandler) echo.HandlerFunc {
	return func(c echo.Context) error {
		s, err := m.SellerStore(c.Request().Context(), auth.CurrentUser(c).ID, c.Param("store"))
		if err != nil {
			return problem(err)
		}
		return h(c, s)
	}
}

func (m *Module) apiMyStores(c echo.Context) error {
	out, err := m.MyStores(c.Request().Context(), auth.CurrentUser(c).ID)
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, storeList{Stores: out})
}

func (m *Module) apiCreateStore(c echo.Context) error {
	in := StoreInput{creating: true}
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	s, err := m.CreateStore(c.Request().Context(), auth.CurrentUser(c).ID, in)
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusCreated, s)
}

func (m *Module) apiGetStore(c echo.Context, s *Store) error { return c.JSON(http.StatusOK, s) }

func (m *Module) apiSettings(c echo.Context, s *Store) error {
	var in StoreInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	s, err := m.UpdateSettings(c.Request().Context(), auth.CurrentUser(c).ID, s, in)
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, s)
}

// apiVerifyDomain checks the claim's DNS record now.
func (m *Module) apiVerifyDomain(c echo.Context, s *Store) error {
	s, err := m.VerifyDomain(c.Request().Context(), s)
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, s)
}

func (m *Module) apiGetSubscription(c echo.Context, s *Store) error {
	sub, err := m.Subscription(c.Request().Context(), s)
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, sub)
}

// apiSetSubscription lets a seller move to Free (ChoosePlan).
func (m *Module) apiSetSubscription(c echo.Context, s *Store) error {
	var req planRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	sub, err := m.ChoosePlan(c.Request().Context(), s, req.Plan)
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, sub)
}
