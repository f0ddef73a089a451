package psydge

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/alorig/alorig/shared/database"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// The module's domain errors. Services return these; problem (below) is the one place that
// turns them into problem+json answers.
var (
	// ErrGateState means the gate state could not be read, rebuilt or written: the order flow
	// refuses and nothing reaches the broker (503 GATE_STATE_UNAVAILABLE).
	ErrGateState = errors.New("psydge: gate state unavailable")
	// ErrGateRebuilding: the state did not know an open trade and is dropped to be rebuilt.
	ErrGateRebuilding = errors.New("psydge: gate state is being rebuilt")
	// ErrNoConnection: the user has no live broker connection.
	ErrNoConnection = errors.New("psydge: no broker connection")
	// ErrAlreadyConnected: a second live connection was asked for.
	ErrAlreadyConnected = errors.New("psydge: a broker is already connected")
	// ErrNoLiveConnection: the connection to disconnect is not the user's or not live.
	ErrNoLiveConnection = errors.New("psydge: no live connection with this id")
	// ErrMetaAPITokenRequired: a MetaApi account not provisioned for the user was named
	// without the user's own token.
	ErrMetaAPITokenRequired = errors.New("psydge: MetaApi token required")
	// ErrIdempotencyKeyReused: the key was used with a different request.
	ErrIdempotencyKeyReused = errors.New("psydge: Idempotency-Key reused with another request")
	// ErrIdempotencyInProgress: the key's first request has not answered yet.
	ErrIdempotencyInProgress = errors.New("psydge: Idempotency-Key in progress")
)

// errConflict is a lost optimistic race on the gate hash; the caller reloads and decides again.
var errConflict = errors.New("psydge: gate state changed concurrently")

var errUnauthenticated = errors.New("psydge: unauthenticated")

// FieldError is a request field a service found unusable once it knew more than the handler
// (the symbol's digits, what the broker offers). It answers 422 naming the field.
type FieldError struct{ Field, Reason string }

func (e *FieldError) Error() string { return "psydge: " + e.Field + " " + e.Reason }

func problemField(field, reason string) error { return &FieldError{Field: field, Reason: reason} }

// BrokerError: the broker was reached but did not give what was asked (a price, a
// specification, a close). What says what, in the trader's words.
type BrokerError struct{ What string }

func (e *BrokerError) Error() string { return "psydge: " + e.What }

// TradeNotOpenError: the action needs an open trade with a broker position.
type TradeNotOpenError struct{ Action, Status string }

func (e *TradeNotOpenError) Error() string {
	return fmt.Sprintf("psydge: only an open trade %s; this one is %s", e.Action, e.Status)
}

// StopWidenedError: a stop-loss move away from the entry was refused and recorded.
type StopWidenedError struct {
	ViolationID int64
	Level       string
}

func (e *StopWidenedError) Error() string { return "psydge: stop-loss widened" }

// brokerDown is a broker client that could not be built or reached for a reason of ours
// (configuration, the process holding paper accounts, a client error). Its text is for the
// log only: the answer is a fixed message.
type brokerDown struct{ err error }

func (e *brokerDown) Error() string { return e.err.Error() }
func (e *brokerDown) Unwrap() error { return e.err }

// problems is the API group's error middleware: every error a handler returns goes through
// problem, so handlers and services never build answers for domain errors themselves.
func (m *Module) problems(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		if err == nil {
			return nil
		}
		var bd *brokerDown
		if errors.As(err, &bd) {
			// Client errors carry URLs and configuration names that are nobody's business
			// outside: log the cause with the request id, answer a fixed message.
			m.d.Log.ErrorContext(c.Request().Context(), "broker unavailable", "err", bd.err,
				"request_id", c.Response().Header().Get(echo.HeaderXRequestID), "path", c.Request().URL.Path)
		}
		return problem(err)
	}
}

// problem maps the module's domain errors to problem+json, in this one place. Errors it does
// not know pass through and become the error handler's logged 500.
func problem(err error) error {
	var (
		fe *FieldError
		be *BrokerError
		tn *TradeNotOpenError
		sw *StopWidenedError
		bd *brokerDown
		re *discipline.RuleError
	)
	switch {
	case errors.As(err, &bd):
		msg := "the broker connection is not available right now; try again shortly"
		if errors.Is(bd.err, ErrAccountNotProvisioned) {
			msg = "this MetaApi account was not provisioned for you: connect it again with your own MetaApi token"
		}
		return web.NewProblem(http.StatusServiceUnavailable, msg).WithCode("BROKER_UNAVAILABLE")
	case errors.Is(err, ErrVistaRequired):
		return web.Forbidden(ErrVistaRequired.Error()).WithCode("VISTA_REQUIRED").With("plan", TierVista)
	case errors.Is(err, ErrGateState):
		return web.NewProblem(http.StatusServiceUnavailable, "the discipline gate state cannot be read right now; no order is sent until it can").WithCode("GATE_STATE_UNAVAILABLE")
	case errors.Is(err, ErrGateRebuilding):
		return web.NewProblem(http.StatusServiceUnavailable, "the gate state is being rebuilt; try again").WithCode("GATE_STATE_UNAVAILABLE")
	case errors.Is(err, ErrNoConnection):
		return web.NewProblem(http.StatusConflict, "connect a broker first: POST /api/v1/broker-connections {\"broker\":\"paper\"}").WithCode("NO_BROKER_CONNECTION")
	case errors.Is(err, ErrAlreadyConnected):
		return web.Conflict("a broker is already connected: DELETE it first").WithCode("ALREADY_CONNECTED")
	case errors.Is(err, ErrNoLiveConnection):
		return web.NotFound("no live connection with this id")
	case errors.Is(err, ErrMetaAPITokenRequired):
		return web.Invalid(web.FieldError{Field: "token", Reason: "your MetaApi token is required: this account was not provisioned for you by the platform"}).
			WithCode("METAAPI_TOKEN_REQUIRED")
	case errors.Is(err, ErrIdempotencyKeyReused):
		return web.Invalid(web.FieldError{Field: "Idempotency-Key", Reason: "was used with a different request"}).WithCode("IDEMPOTENCY_KEY_REUSED")
	case errors.Is(err, ErrIdempotencyInProgress):
		return web.Conflict("a request with this Idempotency-Key is still being processed").WithCode("IDEMPOTENCY_IN_PROGRESS")
	case errors.Is(err, database.ErrNotFound):
		return web.NotFound("no such record")
	case errors.As(err, &fe):
		return web.Invalid(web.FieldError{Field: fe.Field, Reason: fe.Reason})
	case errors.As(err, &re):
		return web.Invalid(web.FieldError{Field: re.Rule, Reason: re.Reason}).WithCode("RULE_LOCKED").With("rule", re.Rule)
	case errors.As(err, &be):
		return web.NewProblem(http.StatusBadGateway, be.What).WithCode("BROKER_ERROR")
	case errors.As(err, &tn):
		return web.Conflict("only an open trade " + tn.Action + "; this one is " + tn.Status).WithCode("TRADE_NOT_OPEN")
	case errors.As(err, &sw):
		return web.Forbidden("a stop-loss may only move towards the entry or beyond it into profit").WithCode(discipline.CodeStopWidened).
			With("violation_id", sw.ViolationID).With("level", sw.Level)
	}
	return err
}

// placementStatus is the HTTP status POST /api/v1/trades answers for an outcome.
func placementStatus(o Outcome) int {
	switch o {
	case OutcomeOpen:
		return http.StatusCreated
	case OutcomePending:
		return http.StatusAccepted
	case OutcomeRefused:
		return http.StatusForbidden
	}
	return http.StatusBadGateway
}

// placementAnswer is the answer of POST /api/v1/trades for a placement: its status and body.
// The Idempotency-Key protocol stores it to replay it.
func placementAnswer(p *Placement) (int, []byte, error) {
	var body any = p.Trade
	if p.Refusal != nil {
		body = p.Refusal
	}
	b, err := json.Marshal(body)
	return placementStatus(p.Outcome), b, err
}
