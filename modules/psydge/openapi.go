package psydge

import (
	"encoding/json"
	"net/http"

	"github.com/alorig/alorig/modules/psydge/market"
	"github.com/alorig/alorig/shared/web"
)

// The OpenAPI descriptions of the routes in routes.go, which mounts each route with its
// description (web.API), so the document at /api/openapi.json (viewer at /api/docs) cannot
// name a route that does not exist or miss one. Request and response schemas are the types the
// handlers bind and answer, reflected (exactNumber says itself that it is a JSON number); the
// partial config below is written by hand because it is decoded over the current config, and
// TestHandWrittenSchemasNameTheBoundFields holds it to discipline.Config's field names.

func newAPI(sessionCookie string) *web.API {
	api := web.NewAPI("Psydge API", "1")
	api.Description = "Trading discipline: six gates between the trader and the broker. " +
		"Sign in with POST /api/v1/auth/login and send the token as Authorization: Bearer. " +
		"Errors are application/problem+json with a stable code; 422 answers name the field."
	api.SessionCookie = sessionCookie
	return api
}

// configPatchSchema is the body of PUT /api/v1/discipline-config: any subset of the config.
var configPatchSchema = &web.Schema{Type: "object", Description: "Any subset of the config; every value may only tighten the current one.",
	Properties: map[string]*web.Schema{
		"loss_lock_mr":     {Type: "integer", Description: "daily loss lock in milli-R (smaller is tighter)"},
		"profit_lock_mr":   {Type: "integer", Description: "daily profit lock in milli-R"},
		"cooldown_minutes": {Type: "integer", Description: "cooldown after a loss (longer is tighter)"},
		"max_risk_bp":      {Type: "integer", Description: "risk at the stop in basis points of equity"},
		"signal_bars":      {Type: "integer", Description: "bars a GO signal stays valid"},
		"london":           {Type: "object", Description: "London session hours {enabled, open, close} in minutes after local midnight"},
		"new_york":         {Type: "object", Description: "New York session hours {enabled, open, close} in minutes after local midnight"},
		"whitelist":        {Type: "array", Description: "symbols and timeframes you trade", Items: &web.Schema{Type: "object"}},
	}}

// The AI roles' operations (docs/psydge-ai.md).
var (
	getAISettingsOp  = web.Operation{Summary: "Your AI roles: which of the four are on, the pre-entry validator's failure policy, and the provider that answers (offline when no key is configured)", Responses: web.OK(AISettingsView{})}
	putAISettingsOp  = web.Operation{Summary: "Switch the AI roles on or off and choose what placement does when the pre-entry validator cannot answer (fail_closed by default)", Request: AISettingsRequest{}, Responses: web.OK(AISettingsView{})}
	aiInteractionsOp = web.Operation{Summary: "Your AI interactions, newest first: each role's input, output, filtered decision, model, tokens, cost, latency and outcome", Query: aiListParams{}, Responses: web.OK(AIInteractionPage{})}
)

type listParams struct {
	Limit int `query:"limit" doc:"how many, newest first"`
}

type tradeListParams struct {
	Status string `query:"status" enum:"pending,open,unknown,closed,rejected,failed"`
	Limit  int    `query:"limit" doc:"1–500 (default 100)"`
}

type signalParams struct {
	Symbol string `query:"symbol" doc:"e.g. EURUSD"`
	Live   string `query:"live" enum:"true,false" doc:"false lists expired signals too"`
	Limit  int    `query:"limit" doc:"1–500 (default 50)"`
}

type candleParams struct {
	Symbol    string `query:"symbol" required:"true"`
	Timeframe string `query:"timeframe" required:"true" enum:"M1,M5,M15,M30,H1,H4,D1"`
	Limit     int    `query:"limit" doc:"1–1000 (default 300)"`
}

type priceParams struct {
	Symbols string `query:"symbols" doc:"comma-separated, at most 32: EURUSD,XAUUSD"`
}

type liveParams struct {
	Ticket  string `query:"ticket" doc:"from POST /api/v1/ws/ticket, when no Bearer token is sent"`
	Symbols string `query:"symbols" doc:"comma-separated symbols to subscribe to at once"`
}

var (
	getProfileOp   = web.Operation{Summary: "Psydge profile: time zone, subscription tier, whether broker credentials are stored", Responses: web.OK(Profile{})}
	patchProfileOp = web.Operation{Summary: "Set the time zone", Request: ProfileRequest{}, Responses: web.OK(Profile{})}

	listConnectionsOp  = web.Operation{Summary: "Broker connections, newest first", Responses: web.OK([]Connection{})}
	createConnectionOp = web.Operation{Summary: "Connect the paper broker (default) or a MetaApi account: your own token, or an account the platform provisioned for you (credentials sealed)",
		Request: ConnectRequest{}, Responses: map[int]web.Response{
			http.StatusCreated:    {Body: Connection{}},
			http.StatusBadGateway: {Description: "the MetaApi account did not answer: the connection is recorded as failed", Body: Connection{}},
		}, Problems: []int{http.StatusConflict, http.StatusServiceUnavailable}}
	deleteConnectionOp = web.Operation{Summary: "Disconnect", Responses: web.NoContent(), Problems: []int{http.StatusNotFound}}
	accountOp          = web.Operation{Summary: "Broker account (balance, equity) and open positions", Responses: web.OK(AccountView{}),
		Problems: []int{http.StatusConflict, http.StatusBadGateway, http.StatusServiceUnavailable}}
	symbolOp = web.Operation{Summary: "The broker's specification of a symbol: digits, tick size, contract size, volume limits, profit currency",
		Description: "What a ticket needs to turn a stop in pips into a price and a risk share into lots; the check's risk figures stay the authority.",
		Responses:   web.OK(market.SymbolSpec{}), Problems: []int{http.StatusConflict, http.StatusUnprocessableEntity, http.StatusBadGateway, http.StatusServiceUnavailable}}

	getConfigOp = web.Operation{Summary: "Your discipline config and the locked rules", Responses: web.OK(ConfigView{})}
	putConfigOp = web.Operation{Summary: "Tighten your config (partial); loosening any rule is a 422 RULE_LOCKED naming it",
		Request: configPatchSchema, Responses: web.OK(ConfigView{})}
	gatesOp = web.Operation{Summary: "Gate status: realised R, open risk, cooldown, blackout, lock, session, live signals",
		Responses: web.OK(GateStatus{}), Problems: []int{http.StatusServiceUnavailable}}
	ackOp = web.Operation{Summary: "Acknowledge the L2/L3 overlay", Responses: web.OK(GateStatus{}), Problems: []int{http.StatusServiceUnavailable}}

	checkOp = web.Operation{Summary: "Dry run of the six gates; records nothing", Request: TicketRequest{}, Responses: web.OK(CheckResult{}),
		Problems: []int{http.StatusConflict, http.StatusUnprocessableEntity, http.StatusBadGateway, http.StatusServiceUnavailable}}
	placeOp = web.Operation{Summary: "Place an order through the six gates",
		Description: "Idempotency-Key honoured: a retry with the same key and body replays the first answer (Idempotent-Replayed: true); " +
			"the same key with another body is 422 IDEMPOTENCY_KEY_REUSED, one still in flight 409 IDEMPOTENCY_IN_PROGRESS.",
		Request: TicketRequest{}, Params: []web.Param{{Name: "Idempotency-Key", In: "header", Description: "at most 200 characters; answers are replayed for 24 h"}},
		Responses: map[int]web.Response{
			http.StatusCreated:    {Description: "placed and filled", Body: Trade{}},
			http.StatusAccepted:   {Description: "the broker's outcome is unknown or not yet recorded; sync settles it", Body: Trade{}},
			http.StatusForbidden:  {Description: "the gates refused: the gates and the recorded violation", Body: Refusal{}},
			http.StatusBadGateway: {Description: "the broker rejected the order", Body: Trade{}},
		}, Problems: []int{http.StatusConflict, http.StatusUnprocessableEntity, http.StatusServiceUnavailable}}
	listTradesOp = web.Operation{Summary: "Trade history, newest first", Query: tradeListParams{}, Responses: web.OK([]Trade{})}
	getTradeOp   = web.Operation{Summary: "One trade", Responses: web.OK(Trade{}), Problems: []int{http.StatusNotFound}}
	closeTradeOp = web.Operation{Summary: "Close at the broker; books R, session R and the cooldown after a loss", Responses: web.OK(Trade{}),
		Problems: []int{http.StatusNotFound, http.StatusConflict, http.StatusBadGateway, http.StatusServiceUnavailable}}
	modifyTradeOp = web.Operation{Summary: "Move the stop-loss (towards entry only; widening is refused and recorded as STOP_WIDENED, 403)",
		Request: StopLossRequest{}, Responses: web.OK(Trade{}),
		Problems: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusBadGateway, http.StatusServiceUnavailable}}

	violationsOp     = web.Operation{Summary: "Violations with level (L1–L4) and gate-state snapshot, newest first", Query: listParams{}, Responses: web.OK([]ViolationRow{})}
	scoresOp         = web.Operation{Summary: "Daily discipline scores with the metric breakdown", Query: listParams{}, Responses: web.OK([]ScoreRow{})}
	todayScoreOp     = web.Operation{Summary: "The running score of the current trading day", Responses: web.OK(ScoreRow{})}
	reflectionsOp    = web.Operation{Summary: "Session journal entries", Query: listParams{}, Responses: web.OK([]Reflection{})}
	createReflectOp  = web.Operation{Summary: "Write a session journal entry", Request: ReflectionRequest{}, Responses: web.Created(Reflection{})}
	patternsOp       = web.Operation{Summary: "Detected behavioural patterns with trend", Responses: web.OK([]PatternRow{})}
	strategiesOp     = web.Operation{Summary: "The Vista strategies", Responses: web.OK([]Strategy{}), Problems: []int{http.StatusForbidden}}
	signalsOp        = web.Operation{Summary: "GO signals you see, newest first", Query: signalParams{}, Responses: web.OK([]SignalRow{})}
	validateSignalOp = web.Operation{Summary: "Pre-entry validator: approve (a GO signal for you, 201) or stand down (200)", Request: ValidateRequest{},
		Responses: map[int]web.Response{http.StatusOK: {Description: "stand down", Body: Verdict{}}, http.StatusCreated: {Description: "approved: the GO signal issued", Body: Verdict{}}}}
	candlesOp = web.Operation{Summary: "Lightweight Charts bars, ascending, time in UTC seconds", Query: candleParams{}, Responses: web.OK([]market.Bar{}),
		Problems: []int{http.StatusUnprocessableEntity, http.StatusBadGateway}}
	pricesOp = web.Operation{Summary: "Latest quotes, 5 s old at most", Query: priceParams{}, Responses: web.OK(map[string]json.RawMessage{})}

	wsTicketOp = web.Operation{Summary: "A single-use 60 s ticket for the live channel (?ticket=), tied to this session", Responses: web.Created(LiveTicket{})}
	liveOp     = web.Operation{Summary: "Live channel (WebSocket upgrade): prices, positions, gate, violations, AI messages",
		Description: "Authenticate with a Bearer token or ?ticket=; at most 5 connections per user (429 TOO_MANY_CONNECTIONS).",
		Auth:        web.AuthBearer | web.AuthNone, Query: liveParams{},
		Responses: map[int]web.Response{http.StatusSwitchingProtocols: {Description: "the WebSocket is open"}}, Problems: []int{http.StatusTooManyRequests}}
)
