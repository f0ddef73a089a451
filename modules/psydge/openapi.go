package psydge

import "encoding/json"

type apiOp struct {
	method, path, summary string
	body                  string // request schema name, "" for none
	status                string
}

// apiOps lists every endpoint; the document is built from it so a route without an entry is
// easy to spot in review.
var apiOps = []apiOp{
	{"post", "/api/v1/auth/register", "Sign up (email, password); returns a Bearer token", "Credentials", "201"},
	{"post", "/api/v1/auth/login", "Sign in; returns a Bearer token", "Credentials", "200"},
	{"post", "/api/v1/auth/logout", "End this session", "", "204"},
	{"get", "/api/v1/auth/me", "The signed-in user", "", "200"},
	{"get", "/api/v1/profile", "Psydge profile: time zone, subscription tier, whether broker credentials are stored", "", "200"},
	{"patch", "/api/v1/profile", "Set the time zone", "Profile", "200"},
	{"get", "/api/v1/broker-connections", "Broker connections, newest first", "", "200"},
	{"post", "/api/v1/broker-connections", "Connect the paper broker (default) or a MetaApi account: your own token, or an account the platform provisioned for you (credentials sealed)", "Connect", "201"},
	{"delete", "/api/v1/broker-connections/{id}", "Disconnect", "", "204"},
	{"get", "/api/v1/account", "Broker account (balance, equity) and open positions", "", "200"},
	{"get", "/api/v1/discipline-config", "Your discipline config and the locked rules", "", "200"},
	{"put", "/api/v1/discipline-config", "Tighten your config (partial); loosening any rule is a 422 naming it", "Config", "200"},
	{"get", "/api/v1/gates", "Gate status: realised R, open risk, cooldown, blackout, lock, session, live signals", "", "200"},
	{"post", "/api/v1/gates/ack", "Acknowledge the L2/L3 overlay", "", "200"},
	{"post", "/api/v1/trades/check", "Dry run of the six gates; records nothing", "Ticket", "200"},
	{"post", "/api/v1/trades", "Place an order (Idempotency-Key honoured); 403 with the gates and the recorded violation when refused; 202 when the broker outcome is unknown", "Ticket", "201"},
	{"get", "/api/v1/trades", "Trade history (?status=, ?limit=)", "", "200"},
	{"get", "/api/v1/trades/{id}", "One trade", "", "200"},
	{"post", "/api/v1/trades/{id}/close", "Close at the broker; books R, session R and the cooldown after a loss", "", "200"},
	{"patch", "/api/v1/trades/{id}", "Move the stop-loss (towards entry only; widening is a STOP_WIDENED violation)", "StopLoss", "200"},
	{"get", "/api/v1/violations", "Violations with level and gate-state snapshot", "", "200"},
	{"get", "/api/v1/scores", "Daily discipline scores with the metric breakdown", "", "200"},
	{"get", "/api/v1/scores/today", "The running score of the current trading day", "", "200"},
	{"get", "/api/v1/reflections", "Session journal entries", "", "200"},
	{"post", "/api/v1/reflections", "Write a session journal entry", "Reflection", "201"},
	{"get", "/api/v1/patterns", "Detected behavioural patterns with trend", "", "200"},
	{"get", "/api/v1/strategies", "The Vista strategies", "", "200"},
	{"get", "/api/v1/signals", "GO signals (?symbol=, ?live=false for history)", "", "200"},
	{"post", "/api/v1/signals/validate", "Pre-entry validator: approve (a GO signal for you) or stand down", "Validate", "201"},
	{"get", "/api/v1/candles", "Lightweight Charts bars (?symbol=&timeframe=M1..D1&limit=)", "", "200"},
	{"get", "/api/v1/prices", "Latest quotes (?symbols=EURUSD,XAUUSD), 5 s old at most", "", "200"},
	{"post", "/api/v1/ws/ticket", "A single-use 60 s ticket for the WebSocket (?ticket=), tied to this session", "", "201"},
	{"get", "/ws", "Live channel (WebSocket): prices, positions, gate, violations, AI messages; Bearer or ?ticket=; at most 5 per user (429)", "", "101"},
}

var apiSchemas = map[string]any{
	"Credentials": obj(map[string]any{"email": str(), "password": str(), "display_name": str()}, "email", "password"),
	"Profile":     obj(map[string]any{"timezone": str()}, "timezone"),
	"Connect": obj(map[string]any{"broker": enum("paper", "metaapi"), "currency": str(), "balance": integer("minor units"),
		"account_id": str(), "token": str(), "login": str(), "server": str()}, "broker"),
	"Config": obj(map[string]any{"loss_lock_mr": integer("milli-R, smaller is tighter"), "profit_lock_mr": integer("milli-R"),
		"cooldown_minutes": integer("longer is tighter"), "max_risk_bp": integer("basis points of equity"), "signal_bars": integer(""),
		"london": map[string]any{"type": "object"}, "new_york": map[string]any{"type": "object"}, "whitelist": map[string]any{"type": "array"}}),
	"Ticket": obj(map[string]any{"symbol": str(), "timeframe": enum("M1", "M5", "M15", "M30", "H1", "H4", "D1"), "direction": enum("buy", "sell"),
		"volume": num("lots"), "stop_loss": num("price"), "take_profit": num("price"), "signal_id": str()}, "symbol", "timeframe", "direction", "volume", "stop_loss"),
	"StopLoss":   obj(map[string]any{"stop_loss": num("price")}, "stop_loss"),
	"Reflection": obj(map[string]any{"session_notes": str()}, "session_notes"),
	"Validate":   obj(map[string]any{"symbol": str(), "timeframe": str(), "direction": enum("buy", "sell")}, "symbol", "timeframe", "direction"),
	"Check": obj(map[string]any{"allowed": map[string]any{"type": "boolean"}, "gates": map[string]any{"type": "array", "items": obj(map[string]any{
		"gate": enum("B", "C", "D", "E", "H", "K"), "passed": map[string]any{"type": "boolean"}, "code": str(), "reason": str()})}}),
	"Problem": obj(map[string]any{"type": str(), "title": str(), "status": integer(""), "detail": str(), "code": str()}),
}

func obj(props map[string]any, required ...string) map[string]any {
	o := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}
func str() map[string]any                  { return map[string]any{"type": "string"} }
func num(d string) map[string]any          { return map[string]any{"type": "number", "description": d} }
func integer(d string) map[string]any      { return map[string]any{"type": "integer", "description": d} }
func enum(values ...string) map[string]any { return map[string]any{"type": "string", "enum": values} }

var openAPI = func() []byte {
	paths := map[string]map[string]any{}
	for _, op := range apiOps {
		o := map[string]any{"summary": op.summary, "responses": map[string]any{
			op.status: map[string]any{"description": "OK"},
			"default": map[string]any{"description": "problem+json (RFC 9457)", "content": map[string]any{"application/problem+json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Problem"}}}},
		}}
		if op.path == "/api/v1/trades/check" {
			o["responses"].(map[string]any)["200"] = map[string]any{"description": "decision", "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Check"}}}}
		}
		if op.body != "" {
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/" + op.body}}}}
		}
		if op.path == "/api/v1/trades" && op.method == "post" {
			o["parameters"] = []any{map[string]any{"name": "Idempotency-Key", "in": "header", "schema": str()}}
		}
		if paths[op.path] == nil {
			paths[op.path] = map[string]any{}
		}
		paths[op.path][op.method] = o
	}
	doc := map[string]any{
		"openapi":    "3.1.0",
		"info":       map[string]any{"title": "Psydge API", "version": "1", "description": "Trading discipline: six gates between the trader and the broker. Errors are application/problem+json with a stable code."},
		"paths":      paths,
		"components": map[string]any{"schemas": apiSchemas, "securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}}},
		"security":   []any{map[string]any{"bearer": []any{}}},
	}
	b, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	return b
}()
