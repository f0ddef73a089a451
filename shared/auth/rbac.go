package auth

import (
	"slices"

	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// Permission is an action a role may take, named "<resource>:<verb>".
type Permission string

// Policy maps roles to their permissions. A module declares one (ASMS has ten roles).
type Policy map[string][]Permission

// Can reports whether role holds perm.
func (p Policy) Can(role string, perm Permission) bool {
	return slices.Contains(p[role], perm)
}

// Require answers 403 unless the signed-in user's role holds perm (401 when nobody is).
func (p Policy) Require(perm Permission) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return RequireUser(func(c echo.Context) error {
			if !p.Can(CurrentUser(c).Role, perm) {
				return web.Forbidden("your role may not " + string(perm)).WithCode("FORBIDDEN")
			}
			return next(c)
		})
	}
}
