package asms

import (
	"maps"
	"slices"

	"github.com/alorig/alorig/shared/auth"
)

// roles are the pilot's ten roles, in order of reach.
var roles = []string{"ho_admin", "branch_admin", "principal", "vice_principal", "teacher", "class_teacher",
	"accountant", "parent", "student", "support_staff"}

// policy is the RBAC table the school modules will check.
var policy = auth.Policy{
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

// Roles returns the pilot's ten roles, in order of reach: a copy, so no caller can change
// them for the rest of the process.
func Roles() []string { return slices.Clone(roles) }

// Policy returns the RBAC table (a copy, like Roles): role → permissions.
func Policy() auth.Policy {
	out := make(auth.Policy, len(policy))
	for role, perms := range maps.All(policy) {
		out[role] = slices.Clone(perms)
	}
	return out
}
