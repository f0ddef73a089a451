package psydge

import (
	"context"
	"strings"
	"testing"

	"github.com/alorig/alorig/modules/psydge/broker/metaapi/metaapitest"
	"github.com/alorig/alorig/shared/testkit"
	"github.com/stretchr/testify/require"
)

// provision records a MetaApi account as provisioned by the platform for a user.
func (h *harness) provision(userID int64, accountID string) {
	h.t.Helper()
	_, err := h.m.d.DB.NewRaw("INSERT INTO metaapi_provisioned_accounts (account_id, user_id, provisioned_at) VALUES (?, ?, ?)",
		accountID, userID, h.env.Clock.Now()).Exec(context.Background())
	require.NoError(h.t, err)
}

// metaHarness serves Psydge with the platform's MetaApi token pointed at a fake MetaApi whose
// one account is acc-1.
func metaHarness(t *testing.T) (*harness, *metaapitest.Fake) {
	fake := metaapitest.New("tok-1", "acc-1")
	t.Cleanup(fake.Close)
	h := start(t, testkit.WithEnv("ALORIG_PSYDGE_METAAPI_TOKEN", "tok-1"), testkit.WithEnv("ALORIG_PSYDGE_METAAPI_BASE", fake.Terminal.URL),
		testkit.WithEnv("ALORIG_PSYDGE_METAAPI_MARKET_DATA_BASE", fake.MarketData.URL))
	h.env.Clock.Set(fake.Now)
	return h, fake
}

// A trader may not reach, through the platform's token, a MetaApi account the platform did
// not provision for them: they must bring their own token.
func TestMetaAPIAccountOfAnotherUserIsRefused(t *testing.T) {
	h, fake := metaHarness(t)
	owner, ownerID := h.signUp("owner@example.com")
	thief, thiefID := h.signUp("thief@example.com")
	h.provision(ownerID, "acc-1")

	before := len(fake.Requests())
	st, body, _ := h.do("POST", "/api/v1/broker-connections", thief, `{"broker":"metaapi","account_id":"acc-1"}`)
	require.Equal(t, 422, st, body)
	require.Contains(t, body, "METAAPI_TOKEN_REQUIRED")
	require.Len(t, fake.Requests(), before, "the platform token never reached the account")
	var stored bool
	require.NoError(t, h.m.d.DB.NewRaw("SELECT broker_credentials IS NOT NULL FROM users WHERE id = ?", thiefID).Scan(context.Background(), &stored))
	require.False(t, stored, "nothing is stored for a refused connection")

	// An account id nobody provisioned is refused the same way.
	st, body, _ = h.do("POST", "/api/v1/broker-connections", thief, `{"broker":"metaapi","account_id":"acc-unknown"}`)
	require.Equal(t, 422, st, body)

	// With their own token the thief reaches only what that token authorises: here, nothing.
	st, body, _ = h.do("POST", "/api/v1/broker-connections", thief, `{"broker":"metaapi","account_id":"acc-1","token":"not-the-platform-token"}`)
	require.Equal(t, 502, st, body)

	// The owner the platform provisioned it for connects without a token.
	st, body, _ = h.do("POST", "/api/v1/broker-connections", owner, `{"broker":"metaapi","account_id":"acc-1"}`)
	require.Equal(t, 201, st, body)

	// A connection stored before the rule (no token, not provisioned) gets no client either.
	ctx := context.Background()
	_, err := h.m.d.DB.NewRaw("DELETE FROM metaapi_provisioned_accounts").Exec(ctx)
	require.NoError(t, err)
	h.m.brokers.forget(decodeConnID(t, h, owner))
	st, body, _ = h.do("GET", "/api/v1/account", owner, "")
	require.Equal(t, 503, st, body)
	require.Contains(t, body, "BROKER_UNAVAILABLE")
}

func decodeConnID(t *testing.T, h *harness, token string) int64 {
	t.Helper()
	_, body, _ := h.do("GET", "/api/v1/broker-connections", token, "")
	cs := decode[[]Connection](t, body)
	for _, c := range cs {
		if c.Status != "disconnected" {
			return c.ID
		}
	}
	t.Fatalf("no live connection in %s", body)
	return 0
}

// BROKER_UNAVAILABLE names no internal detail (client errors, URLs).
func TestBrokerUnavailableHidesInternalError(t *testing.T) {
	h, fake := metaHarness(t)
	token, userID := h.signUp("hidden@example.com")
	h.provision(userID, "acc-1")
	st, body, _ := h.do("POST", "/api/v1/broker-connections", token, `{"broker":"metaapi","account_id":"acc-1"}`)
	require.Equal(t, 201, st, body)
	// The platform token is taken away: building the client fails inside.
	h.m.d.Config.Psydge.MetaAPIToken = ""
	h.m.brokers.forget(decodeConnID(t, h, token))
	for _, path := range []string{"/api/v1/account", "/api/v1/candles?symbol=EURUSD&timeframe=M5"} {
		st, body, _ = h.do("GET", path, token, "")
		require.Equal(t, 503, st, body)
		require.Contains(t, body, "BROKER_UNAVAILABLE")
		require.NotContains(t, body, "psydge:")
		require.NotContains(t, body, "ALORIG_")
		require.False(t, strings.Contains(body, fake.Terminal.URL), body)
	}
}
