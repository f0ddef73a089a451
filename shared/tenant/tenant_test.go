package tenant_test

import (
	"testing"

	"github.com/alorig/alorig/shared/tenant"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

type school struct{}

func TestFilterScopesAndNeverWidens(t *testing.T) {
	t.Parallel()
	db := bun.NewDB(nil, pgdialect.New())
	q := tenant.Select(db.NewSelect().Table("students").Column("id"), tenant.Grant[school](42), "school_id")
	require.Equal(t, `SELECT "id" FROM "students" WHERE ("school_id" = 42)`, q.String())
	var zero tenant.Scope[school]
	q = tenant.Select(db.NewSelect().Table("students").Column("id"), zero, "school_id")
	require.Equal(t, `SELECT "id" FROM "students" WHERE (false)`, q.String())
	require.Equal(t, "tenant_test.school(42)", tenant.Grant[school](42).String())
}
