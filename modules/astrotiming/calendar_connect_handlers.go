package astrotiming

import (
	"net/http"

	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// The API side of calendar connections. Google is connected through the consent flow on the
// calendar page (a browser session must carry the user to Google and back); the API shows
// what is connected and disconnects, and connects CalDAV calendars directly.

// getCalendars answers GET /api/v1/calendar: what the caller has connected.
func (m *Module) getCalendars(c echo.Context) error {
	st, err := m.CalendarStatus(c.Request().Context(), caller(c).UserID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

// GoogleDisconnected is the answer of DELETE /api/v1/calendar/google.
type GoogleDisconnected struct {
	Revoked bool   `json:"revoked"`
	Note    string `json:"note"`
}

// disconnectGoogle revokes the Google grant and forgets the tokens.
func (m *Module) disconnectGoogle(c echo.Context) error {
	revoked, err := m.DisconnectGoogle(c.Request().Context(), caller(c).UserID)
	if err != nil {
		return problem(err)
	}
	out := GoogleDisconnected{Revoked: revoked, Note: "access revoked at Google and the tokens forgotten"}
	if !revoked {
		out.Note = "the tokens are forgotten, but Google could not be reached to revoke access: remove AstroTiming at https://myaccount.google.com/permissions"
	}
	return c.JSON(http.StatusOK, out)
}

// putCalDAV (premium: the route checks the plan) connects a CalDAV calendar after the server
// accepted the credentials and showed a calendar collection at the address.
func (m *Module) putCalDAV(c echo.Context) error {
	var in CalDAVInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	out, err := m.ConnectCalDAV(c.Request().Context(), caller(c).UserID, in)
	if err != nil {
		return problem(err)
	}
	return c.JSON(http.StatusOK, out)
}

// deleteCalDAV forgets the CalDAV calendar and its password.
func (m *Module) deleteCalDAV(c echo.Context) error {
	if err := m.DisconnectCalDAV(c.Request().Context(), caller(c).UserID); err != nil {
		return problem(err)
	}
	return c.NoContent(http.StatusNoContent)
}
