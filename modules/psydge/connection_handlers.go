package psydge

import (
	"net/http"

	"github.com/alorig/alorig/modules/psydge/broker"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// ConnectRequest is the body of POST /api/v1/broker-connections.
type ConnectRequest struct {
	Broker    string `json:"broker" enum:"paper,metaapi"`
	Currency  string `json:"currency,omitempty" doc:"paper accounts: USD, EUR, GBP or JPY"`
	Balance   int64  `json:"balance,omitempty" doc:"paper accounts: minor units"`
	AccountID string `json:"account_id,omitempty"`
	Token     string `json:"token,omitempty"`
	Login     string `json:"login,omitempty"`
	Server    string `json:"server,omitempty"`
}

func (r *ConnectRequest) Validate() []web.FieldError {
	var errs []web.FieldError
	switch r.Broker {
	case "paper":
		if r.Currency == "" {
			r.Currency = "USD"
		}
		if r.Currency != "USD" && r.Currency != "EUR" && r.Currency != "GBP" && r.Currency != "JPY" {
			errs = append(errs, web.FieldError{Field: "currency", Reason: "paper accounts are in USD, EUR, GBP or JPY"})
		}
		if r.Balance == 0 {
			r.Balance = 10_000 * 100
		}
		if r.Balance < 100*100 || r.Balance > 10_000_000*100 {
			errs = append(errs, web.FieldError{Field: "balance", Reason: "minor units between 10000 and 1000000000"})
		}
	case "metaapi":
		if r.AccountID == "" {
			errs = append(errs, web.FieldError{Field: "account_id", Reason: "the MetaApi account id is required"})
		}
	default:
		errs = append(errs, web.FieldError{Field: "broker", Reason: "must be paper or metaapi"})
	}
	return errs
}

// AccountView is GET /api/v1/account: the connection, the broker account and its positions.
type AccountView struct {
	Connection *Connection        `json:"connection"`
	Account    broker.AccountInfo `json:"account"`
	Positions  []broker.Position  `json:"positions"`
}

func (m *Module) listConnections(c echo.Context) error {
	cs, err := m.Connections(c.Request().Context(), uid(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cs)
}

func (m *Module) createConnection(c echo.Context) error {
	var req ConnectRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	conn, err := m.Connect(c.Request().Context(), uid(c), &req, c.Response().Header().Get(echo.HeaderXRequestID))
	if err != nil {
		return err
	}
	if conn.Status == "failed" {
		return c.JSON(http.StatusBadGateway, conn)
	}
	return c.JSON(http.StatusCreated, conn)
}

func (m *Module) deleteConnection(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	if err := m.Disconnect(c.Request().Context(), uid(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (m *Module) getAccount(c echo.Context) error {
	v, err := m.Account(c.Request().Context(), uid(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (m *Module) getSymbol(c echo.Context) error {
	s, err := m.SymbolSpec(c.Request().Context(), uid(c), c.Param("symbol"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s)
}
