package psydge

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"time"
)

// The Idempotency-Key protocol of POST /api/v1/trades: a key is claimed with the request's
// hash before anything happens; a placement that fails before its trade row exists frees the
// key (nothing reached the broker); one that wrote its trade ties the key to it in the same
// transaction and stores its answer, which a retry with the key replays for idemTTL. A key a
// crash leaves in flight is settled by reconcileIdempotency from its trade.

// idemTTL is how long a stored answer is replayed after it was stored; then the key is
// deleted (reconcileIdempotency) and may be used again.
const idemTTL = 24 * time.Hour

// idemStale is how long a key may stay in flight before it is settled. A placement finishes
// within seconds (the broker call is bounded by placeTimeout), so a key this old belongs to
// a request that died with its process.
const idemStale = 5 * time.Minute

// PlaceAnswer is the answer of POST /api/v1/trades: a fresh placement's or a replayed one.
type PlaceAnswer struct {
	Status   int
	Body     []byte
	Replayed bool
}

// PlaceOnce places the ticket under the user's Idempotency-Key (none: every request places).
func (m *Module) PlaceOnce(ctx context.Context, userID int64, key string, req *TicketRequest) (*PlaceAnswer, error) {
	if key != "" {
		canon, _ := json.Marshal(req)
		sum := sha256.Sum256(canon)
		claimed, err := claimIdempotencyKey(ctx, m.d.DB, userID, key, sum[:], m.d.Clock.Now())
		if err != nil {
			return nil, err
		}
		if !claimed {
			prev, err := idempotencyKeyOf(ctx, m.d.DB, userID, key)
			if err != nil {
				return nil, err
			}
			switch {
			case string(prev.Hash) != string(sum[:]):
				return nil, ErrIdempotencyKeyReused
			case prev.Status == 0:
				return nil, ErrIdempotencyInProgress
			}
			return &PlaceAnswer{Status: prev.Status, Body: prev.Response, Replayed: true}, nil
		}
	}
	p, err := m.Place(ctx, userID, req, key)
	if err != nil {
		if key != "" {
			// Place fails only before the trade row exists, so nothing reached the broker and
			// a retry with the same key may run again. A key that names a trade is never freed.
			_ = freeIdempotencyKey(context.WithoutCancel(ctx), m.d.DB, userID, key)
		}
		return nil, err
	}
	status, body, err := placementAnswer(p)
	if err != nil {
		return nil, err
	}
	if key != "" {
		// Stored even when the client has gone: its retry must replay this answer. Should the
		// write fail, the key stays in flight (409) until reconcileIdempotency stores the
		// trade's state as its answer.
		if err := m.storeIdemAnswer(context.WithoutCancel(ctx), userID, key, status, body); err != nil {
			m.d.Log.Error("store idempotent response", "user", userID, "err", err)
		}
	}
	return &PlaceAnswer{Status: status, Body: body}, nil
}

// storeIdemAnswer records a key's answer and when it expires.
func (m *Module) storeIdemAnswer(ctx context.Context, userID int64, key string, status int, body []byte) error {
	now := m.d.Clock.Now()
	return answerIdempotencyKey(ctx, m.d.DB, userID, key, status, body, now, now.Add(idemTTL))
}

// IdemReconciled counts what one run did.
type IdemReconciled struct{ Expired, Freed, Settled int64 }

// reconcileIdempotency deletes answers past their expiry, frees stale in-flight keys whose
// request never wrote a trade row (nothing reached the broker), and stores the trade's
// current state as the answer of stale keys whose trade row exists. That trade is settled
// against the broker by sync like any pending or unknown order; a retry replays this answer
// (202 while it is unsettled) and never sends the order again.
func (m *Module) reconcileIdempotency(ctx context.Context) (IdemReconciled, error) {
	var out IdemReconciled
	now := m.d.Clock.Now()
	var err error
	if out.Expired, err = deleteExpiredIdempotencyKeys(ctx, m.d.DB, now); err != nil {
		return out, err
	}
	cutoff := now.Add(-idemStale)
	if out.Freed, err = freeStaleIdempotencyKeys(ctx, m.d.DB, cutoff); err != nil {
		return out, err
	}
	stale, err := staleIdempotencyKeys(ctx, m.d.DB, cutoff)
	if err != nil {
		return out, err
	}
	for _, k := range stale {
		tr, err := tradeOf(ctx, m.d.DB, k.UserID, k.TradeID)
		if err != nil {
			return out, err
		}
		status, body, err := placementAnswer(&Placement{Outcome: tradeOutcome(tr.Status), Trade: tr})
		if err != nil {
			return out, err
		}
		if err := m.storeIdemAnswer(ctx, k.UserID, k.Key, status, body); err != nil {
			return out, fmt.Errorf("psydge: settle idempotency key of trade %d: %w", k.TradeID, err)
		}
		out.Settled++
	}
	return out, nil
}
