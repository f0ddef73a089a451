package psydge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/alorig/alorig/modules/psydge/broker"
	"github.com/alorig/alorig/modules/psydge/broker/metaapi"
	"github.com/alorig/alorig/modules/psydge/broker/paper"
	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/alorig/alorig/modules/psydge/market"
	"github.com/alorig/alorig/shared/secret"
)

// ErrPaperElsewhere means a paper account lives in another process: paper accounts are held in
// the memory of the process that runs the paper price feed (the web surface).
var ErrPaperElsewhere = errors.New("psydge: paper accounts live in the process running the paper feed")

// ErrMetaAPINotConfigured means no MetaApi token or base URL is configured.
var ErrMetaAPINotConfigured = errors.New("psydge: MetaApi is not configured (ALORIG_PSYDGE_METAAPI_TOKEN, ALORIG_PSYDGE_METAAPI_BASE)")

// ErrAccountNotProvisioned means a MetaApi connection names, without the trader's own token,
// an account the platform did not provision for that trader.
var ErrAccountNotProvisioned = errors.New("psydge: this MetaApi account was not provisioned for you by the platform; connect it with your own MetaApi token")

// brokerRegistry holds one broker client per connection id. Paper accounts are in memory: a
// restart starts them again from their balance, and the next sync closes the trades whose
// positions vanished at the current price (close_reason "paper_reset").
type brokerRegistry struct {
	mu      sync.Mutex
	paper   map[int64]*paper.Broker
	metaapi map[int64]*metaapi.Client
	// wrap, set by tests only, wraps every client brokerFor hands out (to count or fail calls).
	wrap func(broker.Broker) broker.Broker
}

func newBrokerRegistry() *brokerRegistry {
	return &brokerRegistry{paper: map[int64]*paper.Broker{}, metaapi: map[int64]*metaapi.Client{}}
}

func (r *brokerRegistry) forget(connID int64) {
	r.mu.Lock()
	delete(r.paper, connID)
	delete(r.metaapi, connID)
	r.mu.Unlock()
}

func (r *brokerRegistry) paperAccounts() []*paper.Broker {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*paper.Broker, 0, len(r.paper))
	for _, b := range r.paper {
		out = append(out, b)
	}
	return out
}

// metaCredentials are sealed in users.broker_credentials.
type metaCredentials struct {
	AccountID string `json:"account_id"`
	Token     string `json:"token,omitempty"`
	Login     string `json:"login,omitempty"`
	Server    string `json:"server,omitempty"`
}

// brokerFor opens (or reuses) the client of a connection.
func (m *Module) brokerFor(ctx context.Context, c *Connection) (broker.Broker, error) {
	b, err := m.openBroker(ctx, c)
	if err != nil || m.brokers.wrap == nil {
		return b, err
	}
	return m.brokers.wrap(b), nil
}

func (m *Module) openBroker(ctx context.Context, c *Connection) (broker.Broker, error) {
	r := m.brokers
	r.mu.Lock()
	defer r.mu.Unlock()
	switch c.Broker {
	case "paper":
		if b, ok := r.paper[c.ID]; ok {
			return b, nil
		}
		if m.feed == nil {
			return nil, ErrPaperElsewhere
		}
		b, err := paper.New(paper.Config{Currency: c.Currency, Balance: broker.Money(c.PaperBalance), Prices: m.feed, Candles: m.agg, Clock: m.d.Clock})
		if err != nil {
			return nil, fmt.Errorf("psydge: paper account %d: %w", c.ID, err)
		}
		r.paper[c.ID] = b
		return b, nil
	case "metaapi":
		if b, ok := r.metaapi[c.ID]; ok {
			return b, nil
		}
		creds, err := m.credentials(ctx, c.UserID)
		if err != nil {
			return nil, err
		}
		b, err := m.metaClient(ctx, c.UserID, creds)
		if err != nil {
			return nil, err
		}
		r.metaapi[c.ID] = b
		return b, nil
	}
	return nil, fmt.Errorf("psydge: connection %d has unknown broker %q", c.ID, c.Broker)
}

// metaHTTP is shared by every MetaApi account: they all talk to the same regional host, and
// the default transport keeps only two idle connections per host, which would make a sweep
// of 1,000 accounts open a new TLS connection for most calls.
var metaHTTP = &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{
	Proxy: http.ProxyFromEnvironment, MaxIdleConns: 256, MaxIdleConnsPerHost: 128, IdleConnTimeout: 90 * time.Second,
	TLSHandshakeTimeout: 10 * time.Second, ForceAttemptHTTP2: true,
}}

// metaClient builds the client of a user's MetaApi account. The trader's own token reaches
// only what its owner authorised at MetaApi. The platform's token reaches every account the
// platform provisioned, so it is used only for an account recorded as provisioned for this
// very user: never for an account id the user merely sent (it could be another trader's).
// Connections stored before this rule are held to it here too, when their client is built.
func (m *Module) metaClient(ctx context.Context, userID int64, creds metaCredentials) (*metaapi.Client, error) {
	cfg := m.d.Config.Psydge
	token := creds.Token
	if token == "" {
		ok, err := m.provisionedFor(ctx, userID, creds.AccountID)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, ErrAccountNotProvisioned
		}
		token = cfg.MetaAPIToken
	}
	if token == "" || cfg.MetaAPIBase == "" {
		return nil, ErrMetaAPINotConfigured
	}
	md := cfg.MetaAPIMarketDataBase
	if md == "" {
		md = cfg.MetaAPIBase
	}
	return metaapi.New(metaapi.Config{BaseURL: cfg.MetaAPIBase, MarketDataURL: md, Token: token, AccountID: creds.AccountID, Clock: m.d.Clock, HTTPClient: metaHTTP})
}

// provisionedFor reports whether the platform provisioned the MetaApi account for the user.
func (m *Module) provisionedFor(ctx context.Context, userID int64, accountID string) (bool, error) {
	if accountID == "" {
		return false, nil
	}
	return isProvisionedFor(ctx, m.d.DB, userID, accountID)
}

func (m *Module) credentials(ctx context.Context, userID int64) (metaCredentials, error) {
	sealed, err := sealedCredentials(ctx, m.d.DB, userID)
	if err != nil {
		return metaCredentials{}, err
	}
	if len(sealed) == 0 {
		return metaCredentials{}, fmt.Errorf("psydge: user %d has no broker credentials", userID)
	}
	pt, err := m.d.Keyring.Open(sealed, secret.AD("users", userID, "broker_credentials"))
	if err != nil {
		return metaCredentials{}, fmt.Errorf("psydge: open credentials of user %d: %w", userID, err)
	}
	var c metaCredentials
	if err := json.Unmarshal(pt, &c); err != nil {
		return metaCredentials{}, fmt.Errorf("psydge: credentials of user %d: %w", userID, err)
	}
	return c, nil
}

// engineSpec converts a broker's symbol specification to the engine's exact units.
func engineSpec(s market.SymbolSpec) discipline.SymbolSpec {
	pow := math.Pow10(s.Digits)
	return discipline.SymbolSpec{
		Symbol: s.Symbol, Digits: s.Digits, ContractSize: int64(math.Round(s.ContractSize)),
		TickSize: max(1, int64(math.Round(s.TickSize*pow))), ProfitCurrency: s.ProfitCurrency,
		MinLots: int64(math.Round(s.MinVolume * 100)), MaxLots: int64(math.Round(s.MaxVolume * 100)),
		LotStep: int64(math.Round(s.VolumeStep * 100)),
	}
}

// toPoints turns a quote into integer points at the symbol's digits.
func toPoints(price float64, digits int) int64 {
	return int64(math.Round(price * math.Pow10(digits)))
}

func fromPoints(points int64, digits int) float64 {
	v, _ := strconv.ParseFloat(discipline.FormatPrice(points, digits), 64)
	return v
}

// conversionRate finds account units per one profit-currency unit from the broker's quotes:
// the direct pair (JPYUSD) or the inverse (USDJPY). Zero when the currencies are the same.
func conversionRate(ctx context.Context, b broker.Broker, profit, account string) (discipline.Rate, error) {
	if profit == account {
		return discipline.Rate{}, nil
	}
	if q, err := b.Price(ctx, profit+account); err == nil && q.Mid() > 0 {
		return discipline.RateFromDecimal(strconv.FormatFloat(q.Mid(), 'f', 8, 64))
	}
	q, err := b.Price(ctx, account+profit)
	if err != nil || q.Mid() <= 0 {
		return discipline.Rate{}, fmt.Errorf("psydge: no quote converts %s to %s", profit, account)
	}
	r, err := discipline.RateFromDecimal(strconv.FormatFloat(q.Mid(), 'f', 8, 64))
	if err != nil {
		return discipline.Rate{}, err
	}
	return r.Inverse(), nil
}
