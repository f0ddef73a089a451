package asms

import (
	"context"
	"fmt"
)

// Seed creates the pilot's head office, two branches and five schools. Idempotent: every
// insert is an upsert or does nothing on conflict.
func (m *Module) Seed(ctx context.Context) error {
	now := m.d.Clock.Now()
	db := m.d.DB
	var ho int64
	if err := db.NewRaw(`INSERT INTO head_offices (name, created_at) VALUES ('Alorig Schools Head Office', ?)
		ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`, now).Scan(ctx, &ho); err != nil {
		return fmt.Errorf("asms: seed head office: %w", err)
	}
	schools := map[string][]string{"Lahore": {"Model Town Campus", "Johar Town Campus", "DHA Campus"}, "Islamabad": {"F-7 Campus", "G-11 Campus"}}
	for branch, names := range schools {
		var bid int64
		if err := db.NewRaw(`INSERT INTO branches (head_office_id, name, created_at) VALUES (?, ?, ?)
			ON CONFLICT (head_office_id, name) DO UPDATE SET name = EXCLUDED.name RETURNING id`, ho, branch+" Region", now).Scan(ctx, &bid); err != nil {
			return fmt.Errorf("asms: seed branch %s: %w", branch, err)
		}
		for _, n := range names {
			if _, err := db.NewRaw(`INSERT INTO schools (branch_id, name, city, created_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (branch_id, name) DO NOTHING`, bid, n, branch, now).Exec(ctx); err != nil {
				return fmt.Errorf("asms: seed school %s: %w", n, err)
			}
		}
	}
	return nil
}
