package asms

import "github.com/alorig/alorig/shared/auth"

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
