package astrotiming

import (
	"context"
	"fmt"

	"github.com/alorig/alorig/modules/astrotiming/engine"
)

// Demo data: a user with Lahore as home and saved location.
const (
	DemoEmail    = "demo@astrotiming.localhost"
	DemoPassword = "demo-password-123"
)

// Seed stores the activity vocabulary (ActivityCategory) and a demo user with Lahore saved, and
// creates a developer API key for them once, printing it to the log (it is shown only then).
func (m *Module) Seed(ctx context.Context) error {
	now := m.d.Clock.Now()
	for _, a := range engine.Activities() {
		also := make([]string, len(a.Also))
		for i, p := range a.Also {
			also[i] = p.String()
		}
		_, err := m.d.DB.NewRaw(`INSERT INTO activity_categories (key, name, planet, also, domain, synonyms, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, planet = EXCLUDED.planet,
			also = EXCLUDED.also, domain = EXCLUDED.domain, synonyms = EXCLUDED.synonyms, updated_at = EXCLUDED.updated_at`,
			a.Key, a.Name, a.Planet.String(), pgArray(also), a.Domain, pgArray(a.Synonyms), now).Exec(ctx)
		if err != nil {
			return fmt.Errorf("astrotiming: seed activity %s: %w", a.Key, err)
		}
	}
	u, err := m.d.Accounts.Register(ctx, DemoEmail, DemoPassword, "Demo (Lahore)")
	var uid int64
	if err == nil {
		uid = u.ID
	} else if err := m.d.DB.NewRaw("SELECT id FROM users WHERE email = ?", DemoEmail).Scan(ctx, &uid); err != nil {
		return fmt.Errorf("astrotiming: seed demo user: %w", err)
	}
	if _, err := m.d.DB.NewRaw("UPDATE users SET latitude = 31.5497, longitude = 74.3436, timezone = 'Asia/Karachi' WHERE id = ?", uid).Exec(ctx); err != nil {
		return fmt.Errorf("astrotiming: seed demo home: %w", err)
	}
	if _, err := m.d.DB.NewRaw(`INSERT INTO locations (user_id, name, latitude, longitude, timezone, created_at)
		VALUES (?, 'Lahore', 31.5497, 74.3436, 'Asia/Karachi', ?) ON CONFLICT (user_id, name) DO NOTHING`, uid, now).Exec(ctx); err != nil {
		return fmt.Errorf("astrotiming: seed demo location: %w", err)
	}
	var keys int
	if err := m.d.DB.NewRaw("SELECT count(*) FROM api_keys WHERE user_id = ? AND revoked_at IS NULL", uid).Scan(ctx, &keys); err != nil {
		return fmt.Errorf("astrotiming: seed demo key: %w", err)
	}
	if keys == 0 {
		plain, _, err := m.d.Accounts.CreateAPIKey(ctx, uid, "demo", tiers["developer"])
		if err != nil {
			return fmt.Errorf("astrotiming: seed demo key: %w", err)
		}
		m.d.Log.Info("astrotiming: demo developer API key (shown once; sign in as the demo user to make more)",
			"email", DemoEmail, "password", DemoPassword, "api_key", plain)
	}
	return nil
}

// pgArray writes a text[] literal.
func pgArray(ss []string) string {
	out := "{"
	for i, s := range ss {
		if i > 0 {
			out += ","
		}
		out += `"` + escapeArray(s) + `"`
	}
	return out + "}"
}

func escapeArray(s string) string {
	r := ""
	for _, ch := range s {
		if ch == '"' || ch == '\\' {
			r += `\`
		}
		r += string(ch)
	}
	return r
}
