package snapify

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"net/http"
	"time"

	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
)

// The seller app queues a product created or an order status changed while offline and sends
// it when the network returns; the answer to a send may be lost, so it sends again. Each such
// request carries an Idempotency-Key header: the first successful answer is stored under
// (seller, key) and a request with the same key is answered with it, marked
// Idempotent-Replayed: true, without running again. A key sent while its first request is
// still being handled is refused (409 IDEMPOTENCY_IN_PROGRESS); a key reused for another
// request is refused (422 IDEMPOTENCY_KEY_REUSED). A refusal is not stored: the seller may fix
// the cause and send the same key again. Requests without the header behave as before.

const (
	idempotencyHeader = "Idempotency-Key"
	// idempotencyStale is how long a request in progress holds its key: one that crashed
	// without an answer lets the key be used again after this.
	idempotencyStale = time.Minute
	// idempotencyKeep is how long answers are kept for replays.
	idempotencyKeep = 24 * time.Hour
)

// idempotent wraps a seller handler with the replay rules above.
func (m *Module) idempotent(h storeHandler) storeHandler {
	return func(c echo.Context, s *Store) error {
		key := c.Request().Header.Get(idempotencyHeader)
		if key == "" {
			return h(c, s)
		}
		if len(key) < 8 || len(key) > 64 {
			return web.Invalid(web.FieldError{Field: idempotencyHeader, Reason: "must be 8 to 64 characters"})
		}
		ctx := c.Request().Context()
		user := auth.CurrentUser(c).ID
		req := c.Request()
		now := m.d.Clock.Now()

		claimed, err := m.claimIdempotencyKey(ctx, user, key, req.Method, req.URL.Path, now)
		if err != nil {
			return err
		}
		if !claimed {
			var prev struct {
				Method, Path, ContentType string
				Status                    int
				Body                      []byte
			}
			err := m.d.DB.NewRaw(`SELECT method, path, status, content_type, body FROM seller_idempotency
				WHERE user_id = ? AND key = ?`, user, key).Scan(ctx, &prev.Method, &prev.Path, &prev.Status, &prev.ContentType, &prev.Body)
			if errors.Is(err, sql.ErrNoRows) {
				return web.NewProblem(http.StatusConflict, "the first request with this Idempotency-Key has just ended; send it again").WithCode("IDEMPOTENCY_IN_PROGRESS")
			}
			if err != nil {
				return err
			}
			if prev.Method != req.Method || prev.Path != req.URL.Path {
				return web.NewProblem(http.StatusUnprocessableEntity, "this Idempotency-Key was used for "+prev.Method+" "+prev.Path+"; use a new key for each request").WithCode("IDEMPOTENCY_KEY_REUSED")
			}
			if prev.Status == 0 {
				return web.NewProblem(http.StatusConflict, "the first request with this Idempotency-Key is still being handled; try again in a moment").WithCode("IDEMPOTENCY_IN_PROGRESS")
			}
			c.Response().Header().Set("Idempotent-Replayed", "true")
			return c.Blob(prev.Status, prev.ContentType, prev.Body)
		}

		rec := &teeWriter{ResponseWriter: c.Response().Writer}
		c.Response().Writer = rec
		herr := h(c, s)
		c.Response().Writer = rec.ResponseWriter
		status := c.Response().Status
		// The answer is already sent; storing it uses a context the client cannot cancel.
		bg := context.WithoutCancel(ctx)
		if herr != nil || status < 200 || status > 299 {
			_, err = m.d.DB.NewRaw(`DELETE FROM seller_idempotency WHERE user_id = ? AND key = ?`, user, key).Exec(bg)
		} else {
			_, err = m.d.DB.NewRaw(`UPDATE seller_idempotency SET status = ?, content_type = ?, body = ? WHERE user_id = ? AND key = ?`,
				status, c.Response().Header().Get(echo.HeaderContentType), rec.buf.Bytes(), user, key).Exec(bg)
		}
		if err != nil {
			m.d.Log.Error("snapify: idempotency key not recorded", "err", err)
		}
		return herr
	}
}

// claimIdempotencyKey records a request in progress under (user, key), or answers false when
// the key is already held (by an answer, or by a request in progress that is not stale).
func (m *Module) claimIdempotencyKey(ctx context.Context, user int64, key, method, path string, now time.Time) (bool, error) {
	if _, err := m.d.DB.NewRaw(`DELETE FROM seller_idempotency WHERE created_at < ?`, now.Add(-idempotencyKeep)).Exec(ctx); err != nil {
		return false, err
	}
	res, err := m.d.DB.NewRaw(`INSERT INTO seller_idempotency (user_id, key, method, path, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (user_id, key) DO UPDATE SET created_at = excluded.created_at
		WHERE seller_idempotency.status = 0 AND seller_idempotency.created_at < ?
			AND seller_idempotency.method = excluded.method AND seller_idempotency.path = excluded.path`,
		user, key, method, path, now, now.Add(-idempotencyStale)).Exec(ctx)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// teeWriter passes an answer through and keeps a copy of its body.
type teeWriter struct {
	http.ResponseWriter
	buf bytes.Buffer
}

func (w *teeWriter) Write(b []byte) (int, error) {
	w.buf.Write(b)
	return w.ResponseWriter.Write(b)
}
