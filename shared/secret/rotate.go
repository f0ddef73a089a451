package secret

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// Field names a sealed column for rotate-keys: table.column with the row id in IDColumn.
type Field struct {
	Table    string
	Column   string
	IDColumn string // usually "id"
}

// RotateReport says what one rotation did.
type RotateReport struct {
	Field     Field
	Rotated   int
	Unchanged int
}

// Rotate re-encrypts every value of field that is not under the primary key, in batches of
// batch rows, each batch in its own transaction. It walks by id, so an interrupted run resumes
// where it stopped and re-running is harmless.
//
// Each batch is read inside its transaction with SELECT … FOR UPDATE: a value the application
// writes meanwhile (a refreshed token) either commits before the read, and is what gets
// re-encrypted, or waits for the batch to commit and then overwrites it. Reading outside the
// transaction would re-encrypt the stale value over the fresh one.
func Rotate(ctx context.Context, db *bun.DB, kr *Keyring, f Field, batch int) (RotateReport, error) {
	rep := RotateReport{Field: f}
	if batch <= 0 {
		batch = 500
	}
	if f.IDColumn == "" {
		f.IDColumn = "id"
	}
	var after int64
	for {
		type row struct {
			ID    int64  `bun:"id"`
			Value []byte `bun:"value"`
		}
		var rows []row
		err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			err := tx.NewSelect().
				ColumnExpr("? AS id, ? AS value", bun.Ident(f.IDColumn), bun.Ident(f.Column)).
				TableExpr("?", bun.Ident(f.Table)).
				Where("? > ?", bun.Ident(f.IDColumn), after).
				Where("? IS NOT NULL", bun.Ident(f.Column)).
				OrderExpr("? ASC", bun.Ident(f.IDColumn)).
				Limit(batch).
				For("UPDATE").
				Scan(ctx, &rows)
			if err != nil {
				return fmt.Errorf("read after id %d: %w", after, err)
			}
			for _, r := range rows {
				if !kr.NeedsRotation(r.Value) {
					rep.Unchanged++
					continue
				}
				fresh, err := kr.Reseal(r.Value, AD(f.Table, r.ID, f.Column))
				if err != nil {
					return fmt.Errorf("row %d: %w", r.ID, err)
				}
				if _, err := tx.NewUpdate().TableExpr("?", bun.Ident(f.Table)).
					Set("? = ?", bun.Ident(f.Column), fresh).
					Where("? = ?", bun.Ident(f.IDColumn), r.ID).Exec(ctx); err != nil {
					return fmt.Errorf("row %d: %w", r.ID, err)
				}
				rep.Rotated++
			}
			return nil
		})
		if err != nil {
			return rep, fmt.Errorf("rotate %s.%s: %w", f.Table, f.Column, err)
		}
		if len(rows) == 0 {
			return rep, nil
		}
		after = rows[len(rows)-1].ID
	}
}
