package psydge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/alorig/alorig/modules/psydge/broker"
	"github.com/alorig/alorig/modules/psydge/market"
	"github.com/alorig/alorig/shared/secret"
)

// Connections lists the user's broker connections, newest first.
func (m *Module) Connections(ctx context.Context, userID int64) ([]Connection, error) {
	cs, err := connectionsOf(ctx, m.d.DB, userID)
	if cs == nil && err == nil {
		cs = []Connection{}
	}
	return cs, err
}

// Connect records the user's broker connection: the paper broker, or a MetaApi account with
// the trader's own token or one the platform provisioned for this trader. A MetaApi account
// that does not answer is recorded as failed (and disconnected) and answered as such.
// requestID goes into the log line of a client that could not be built.
func (m *Module) Connect(ctx context.Context, userID int64, req *ConnectRequest, requestID string) (*Connection, error) {
	if _, err := liveConnection(ctx, m.d.DB, userID); err == nil {
		return nil, ErrAlreadyConnected
	}
	now := m.d.Clock.Now()
	conn := &Connection{UserID: userID, Broker: req.Broker, Status: "connecting", Currency: req.Currency, CreatedAt: now, UpdatedAt: now}
	if req.Broker == "paper" {
		conn.Server, conn.AccountNumber, conn.PaperBalance, conn.Status = "psydge-paper", fmt.Sprintf("PAPER-%d", userID), req.Balance, "connected"
	} else {
		// Without the trader's own token only an account the platform provisioned for this
		// trader may be named; refuse before anything is stored.
		if req.Token == "" {
			ok, err := m.provisionedFor(ctx, userID, req.AccountID)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, ErrMetaAPITokenRequired
			}
		}
		creds, _ := json.Marshal(metaCredentials{AccountID: req.AccountID, Token: req.Token, Login: req.Login, Server: req.Server})
		sealed, err := m.d.Keyring.Seal(creds, secret.AD("users", userID, "broker_credentials"))
		if err != nil {
			return nil, fmt.Errorf("psydge: seal credentials: %w", err)
		}
		if err := storeCredentials(ctx, m.d.DB, userID, sealed, now); err != nil {
			return nil, err
		}
		conn.Server, conn.AccountNumber = req.Server, req.Login
		client, err := m.metaClient(ctx, userID, metaCredentials{AccountID: req.AccountID, Token: req.Token})
		if err != nil {
			m.d.Log.ErrorContext(ctx, "metaapi client", "user", userID, "err", err, "request_id", requestID)
			conn.Status, conn.LastError = "failed", "the broker connection is not available right now"
		} else if info, err := client.AccountInfo(ctx); err != nil {
			conn.Status, conn.LastError = "failed", "the account did not answer: "+err.Error()
		} else {
			conn.Status, conn.Currency = "connected", info.Currency
			if conn.Server == "" {
				conn.Server = info.Server
			}
			if conn.AccountNumber == "" {
				conn.AccountNumber = info.Login
			}
		}
		if conn.Currency == "" {
			conn.Currency = "USD"
		}
	}
	if err := insertConnection(ctx, m.d.DB, conn); err != nil {
		return nil, err
	}
	if conn.Status == "failed" {
		_ = markDisconnected(ctx, m.d.DB, conn)
	}
	m.ticketsChanged(ctx, userID)
	return conn, nil
}

// Disconnect ends the user's live connection id.
func (m *Module) Disconnect(ctx context.Context, userID, id int64) error {
	n, err := disconnect(ctx, m.d.DB, userID, id, m.d.Clock.Now())
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNoLiveConnection
	}
	m.brokers.forget(id)
	m.ticketsChanged(ctx, userID)
	return nil
}

// SymbolSpec is the connected broker's specification of a symbol, as a ticket resolves it.
func (m *Module) SymbolSpec(ctx context.Context, userID int64, symbol string) (market.SymbolSpec, error) {
	symbol = strings.ToUpper(strings.TrimSpace(symbol))
	if symbol == "" || len(symbol) > 32 || strings.ContainsFunc(symbol, func(r rune) bool {
		return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-')
	}) {
		return market.SymbolSpec{}, problemField("symbol", "must be a symbol such as EURUSD: letters, digits, '.', '_' or '-', at most 32")
	}
	conn, err := liveConnection(ctx, m.d.DB, userID)
	if err != nil {
		return market.SymbolSpec{}, ErrNoConnection
	}
	b, err := m.brokerFor(ctx, conn)
	if err != nil {
		return market.SymbolSpec{}, &brokerDown{err: err}
	}
	spec, err := b.SymbolSpecification(ctx, symbol)
	if err != nil {
		if errors.Is(err, broker.ErrNotFound) || errors.Is(err, market.ErrUnknownSymbol) || strings.Contains(err.Error(), "unknown symbol") {
			return market.SymbolSpec{}, problemField("symbol", symbol+" is not offered by this account")
		}
		return market.SymbolSpec{}, &BrokerError{What: "the broker did not return the symbol specification"}
	}
	return spec, nil
}

// Account reads the user's broker account and open positions.
func (m *Module) Account(ctx context.Context, userID int64) (*AccountView, error) {
	conn, err := liveConnection(ctx, m.d.DB, userID)
	if err != nil {
		return nil, ErrNoConnection
	}
	b, err := m.brokerFor(ctx, conn)
	if err != nil {
		return nil, &brokerDown{err: err}
	}
	info, err := b.AccountInfo(ctx)
	if err != nil {
		return nil, &BrokerError{What: "the broker did not return the account"}
	}
	ps, err := b.Positions(ctx)
	if err != nil {
		return nil, &BrokerError{What: "the broker did not return positions"}
	}
	if ps == nil {
		ps = []broker.Position{}
	}
	return &AccountView{Connection: conn, Account: info, Positions: ps}, nil
}
