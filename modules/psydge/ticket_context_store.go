package psydge

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/alorig/alorig/modules/psydge/discipline"
	"github.com/alorig/alorig/shared/database"
	"github.com/uptrace/bun"
)

// ticketCtx is what a ticket needs from Postgres, read in one round trip: the live broker
// connection, the discipline config, and the GO signals that may pass gate B (the user's
// validator approvals and, when billing entitles the user to Vista, Vista's), issued and not
// expired.
type ticketCtx struct {
	conn    *Connection
	cfg     *ConfigRow
	signals []discipline.Signal
	// vista: the signals were read for a user entitled to Vista (Vista's are among them).
	vista bool
	// readAt is when it was read and validTill when its first signal expires (zero: none),
	// both on the module's clock: a cached copy is used only between the two.
	readAt, validTill time.Time
}

// sqlConn is db's database/sql handle. The check path's queries are written with $n
// parameters and go to database/sql directly, without bun's query formatting: this is the one
// query of a dry-run check whose cache missed, and it is kept as lean as it was measured.
func sqlConn(db bun.IDB) bun.IConn {
	switch v := db.(type) {
	case *bun.DB:
		return v.DB
	case bun.Tx:
		return v.Tx
	}
	return db
}

// ticketContextOf reads the user's ticket context for a symbol and timeframe at now, in one
// round trip. vista says whether billing entitles the user to Vista now: without it only the
// user's own signals are read (Vista's rows are the ones without a user), so none of Vista's
// can crowd the user's own out of the newest four either.
func ticketContextOf(ctx context.Context, db bun.IDB, userID int64, symbol, tf string, vista bool, now time.Time) (*ticketCtx, error) {
	var (
		connID                            sql.NullInt64
		brokerName, currency, server, acc sql.NullString
		balance                           sql.NullInt64
		cfgJSON                           []byte
		lastAck                           sql.NullTime
		sigJSON                           []byte
		sigUntil                          sql.NullTime
	)
	err := sqlConn(db).QueryRowContext(ctx, `SELECT c.id, c.broker, c.currency, c.server, c.account_number, c.paper_balance, d.config, d.last_ack_at,
		(SELECT coalesce(json_agg(json_build_object('id', s.id, 'source', s.source, 'symbol', s.symbol, 'tf', s.timeframe, 'dir', s.direction, 'at', s.issued_at)), '[]')
		   FROM (SELECT * FROM signals WHERE symbol = $1 AND timeframe = $2 AND (user_id = $3 OR (user_id IS NULL AND $5::boolean)) AND issued_at <= $4 AND valid_until > $4
		         ORDER BY issued_at DESC LIMIT 4) s),
		(SELECT min(valid_until) FROM signals WHERE symbol = $1 AND timeframe = $2 AND (user_id = $3 OR (user_id IS NULL AND $5::boolean)) AND valid_until > $4)
		FROM (SELECT $3::bigint AS uid) u
		LEFT JOIN broker_connections c ON c.user_id = u.uid AND c.connection_status <> 'disconnected'
		LEFT JOIN discipline_configs d ON d.user_id = u.uid`, symbol, tf, userID, now, vista).
		Scan(&connID, &brokerName, &currency, &server, &acc, &balance, &cfgJSON, &lastAck, &sigJSON, &sigUntil)
	if err != nil {
		return nil, fmt.Errorf("psydge: ticket context of user %d: %w", userID, err)
	}
	tc := &ticketCtx{readAt: now, vista: vista}
	if sigUntil.Valid {
		// The earliest expiry among every live signal, not only the four read: when one of
		// those goes, an older one may take its place.
		tc.validTill = sigUntil.Time
	}
	if connID.Valid {
		tc.conn = &Connection{ID: connID.Int64, UserID: userID, Broker: brokerName.String, Currency: currency.String, Server: server.String,
			AccountNumber: acc.String, PaperBalance: balance.Int64, Status: "connected"}
	}
	if len(cfgJSON) > 0 {
		row := &ConfigRow{UserID: userID}
		if err := json.Unmarshal(cfgJSON, &row.Config); err != nil {
			return nil, fmt.Errorf("psydge: config of user %d: %w", userID, err)
		}
		if lastAck.Valid {
			row.LastAckAt = &lastAck.Time
		}
		tc.cfg = row
	} else {
		tc.cfg = newConfigRow(userID, discipline.Defaults(), now)
	}
	if err := json.Unmarshal(sigJSON, &tc.signals); err != nil {
		return nil, fmt.Errorf("psydge: signals for %s %s: %w", symbol, tf, err)
	}
	return tc, nil
}

// liveSignal reads the signal id for the symbol and timeframe if the user may use it (their
// own, or Vista's when vista) and it is live at now; database.ErrNotFound when not.
func liveSignal(ctx context.Context, db bun.IDB, userID int64, id, symbol, tf string, vista bool, now time.Time) (discipline.Signal, error) {
	var s discipline.Signal
	var stf, dir string
	err := sqlConn(db).QueryRowContext(ctx, `SELECT id, source, symbol, timeframe, direction, issued_at FROM signals
		WHERE id = $1 AND symbol = $2 AND timeframe = $3 AND (user_id = $4 OR (user_id IS NULL AND $6::boolean)) AND issued_at <= $5 AND valid_until > $5`,
		id, symbol, tf, userID, now, vista).Scan(&s.ID, &s.Source, &s.Symbol, &stf, &dir, &s.IssuedAt)
	if err != nil {
		return s, fmt.Errorf("psydge: signal %s: %w", id, database.NoRows(err))
	}
	s.Timeframe = discipline.Timeframe(stf)
	if s.Direction, err = discipline.ParseDirection(dir); err != nil {
		return s, fmt.Errorf("psydge: signal %s: %w", id, err)
	}
	return s, nil
}

// validatorSource is the source of the user's own validator approvals, the only GO signals
// that pass gate B without the Vista plan.
const validatorSource = "validator"

// usableSignal reports whether gate B may count sig for a user: a Vista plan uses every
// signal, anyone else only their own validator approvals. Anything else is Vista's (a source
// added later included) until it is named here.
func usableSignal(sig *discipline.Signal, vista bool) bool {
	return vista || sig.Source == validatorSource
}
