package psydge

import (
	"context"
	"fmt"
	"time"

	"github.com/alorig/alorig/shared/database"
	"github.com/uptrace/bun"
)

func liveConnection(ctx context.Context, db bun.IDB, userID int64) (*Connection, error) {
	c := new(Connection)
	err := db.NewSelect().Model(c).Where("user_id = ?", userID).Where("connection_status <> 'disconnected'").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("psydge: connection of user %d: %w", userID, database.NoRows(err))
	}
	return c, nil
}

func connectionsOf(ctx context.Context, db bun.IDB, userID int64) ([]Connection, error) {
	var cs []Connection
	err := db.NewSelect().Model(&cs).Where("user_id = ?", userID).Order("id DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("psydge: connections of user %d: %w", userID, err)
	}
	return cs, nil
}

func insertConnection(ctx context.Context, db bun.IDB, c *Connection) error {
	if _, err := db.NewInsert().Model(c).Exec(ctx); err != nil {
		return fmt.Errorf("psydge: insert connection: %w", err)
	}
	return nil
}

// markDisconnected records a connection that failed at once as disconnected (the answer still
// shows it as failed).
func markDisconnected(ctx context.Context, db bun.IDB, c *Connection) error {
	_, err := db.NewUpdate().Model(c).Set("connection_status = 'disconnected'").WherePK().Where("user_id = ?", c.UserID).Exec(ctx)
	return err
}

// disconnect ends the user's live connection id; it reports how many rows it changed.
func disconnect(ctx context.Context, db bun.IDB, userID, id int64, now time.Time) (int64, error) {
	res, err := db.NewUpdate().Model((*Connection)(nil)).Set("connection_status = 'disconnected', updated_at = ?", now).
		Where("id = ?", id).Where("user_id = ?", userID).Where("connection_status <> 'disconnected'").Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("psydge: disconnect %d: %w", id, err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// Connection is a broker_connections row (the seed's BrokerConnection).
type Connection struct {
	bun.BaseModel `bun:"table:broker_connections"`
	ID            int64      `bun:"id,pk,autoincrement" json:"id"`
	UserID        int64      `bun:"user_id" json:"-"`
	Broker        string     `bun:"broker" json:"broker"`
	Server        string     `bun:"server" json:"server"`
	AccountNumber string     `bun:"account_number" json:"account_number"`
	Status        string     `bun:"connection_status" json:"connection_status"`
	Currency      string     `bun:"currency" json:"currency"`
	PaperBalance  int64      `bun:"paper_balance" json:"paper_balance,omitempty"`
	LastError     string     `bun:"last_error" json:"last_error,omitempty"`
	LastSyncAt    *time.Time `bun:"last_sync_at" json:"last_sync_at,omitempty"`
	CreatedAt     time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt     time.Time  `bun:"updated_at" json:"updated_at"`
}

// connectedOf lists every connected account of one broker kind (every user's: the sweep).
func connectedOf(ctx context.Context, db bun.IDB, kind string) ([]Connection, error) {
	var conns []Connection
	err := db.NewSelect().Model(&conns).Where("connection_status = 'connected'").Where("broker = ?", kind).Order("id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("psydge: sweep %s connections: %w", kind, err)
	}
	return conns, nil
}

// markSynced records when a connection was last synced.
func markSynced(ctx context.Context, db bun.IDB, id int64, at time.Time) error {
	if _, err := db.NewUpdate().Model((*Connection)(nil)).Set("last_sync_at = ?", at).Where("id = ?", id).Exec(ctx); err != nil {
		return fmt.Errorf("psydge: mark sync of connection %d: %w", id, err)
	}
	return nil
}
