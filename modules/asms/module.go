// Package asms is the school management system for the 74-school pilot: Head Office → Branch →
// School tenancy with ten roles. This first version carries the tenancy tables, the role policy,
// accounts and the landing page; the school modules follow in their own issue.
package asms

import (
	"context"
	"fmt"
	"net/http"

	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/platform"
	"github.com/alorig/alorig/shared/web"
	"github.com/alorig/alorig/views/landing"
	"github.com/labstack/echo/v4"
)

// Roles are the pilot's ten roles, in order of reach.
var Roles = []string{"ho_admin", "branch_admin", "principal", "vice_principal", "teacher", "class_teacher",
	"accountant", "parent", "student", "support_staff"}

// Policy is the RBAC table the school modules will check.
var Policy = auth.Policy{
	"ho_admin":       {"schools:read", "schools:write", "students:read", "students:write", "grades:read", "grades:write", "attendance:read", "attendance:write", "fees:read", "fees:write", "users:write"},
	"branch_admin":   {"schools:read", "students:read", "students:write", "grades:read", "attendance:read", "fees:read", "users:write"},
	"principal":      {"schools:read", "students:read", "students:write", "grades:read", "grades:write", "attendance:read", "attendance:write", "fees:read"},
	"vice_principal": {"schools:read", "students:read", "students:write", "grades:read", "attendance:read", "attendance:write"},
	"teacher":        {"students:read", "grades:read", "grades:write", "attendance:write"},
	"class_teacher":  {"students:read", "grades:read", "grades:write", "attendance:read", "attendance:write"},
	"accountant":     {"students:read", "fees:read", "fees:write"},
	"parent":         {"grades:read:own", "attendance:read:own"},
	"student":        {"grades:read:own", "attendance:read:own"},
	"support_staff":  {"schools:read"},
}

// Module is ASMS.
type Module struct{ d platform.Deps }

// New builds the module.
func New(d platform.Deps) (platform.Module, error) { return &Module{d: d}, nil }

func (m *Module) Name() string { return "asms" }

func (m *Module) Web(e *echo.Echo) {
	e.GET("/", func(c echo.Context) error {
		return web.Render(c, http.StatusOK, landing.Landing(landing.Page{
			Module: "asms", Title: "ASMS", Tagline: "School management for the 74-school pilot",
			Summary: "One system from Head Office to Branch to School: students and guardians, admissions, attendance, gradebook and report cards, discipline, courses and scheduling, and the LMS core.",
			Features: []string{
				"Head Office → Branch → School tenancy: each user sees only the schools their role reaches",
				"Ten roles, from HO Admin to Support Staff",
			},
		}))
	})
	auth.Routes(e.Group("/api/v1/auth"), m.d.Accounts, nil)
}

// Seed creates the pilot's head office, two branches and five schools.
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
