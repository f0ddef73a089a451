package auth_test

import (
	"context"

	"github.com/alorig/alorig/shared/auth"
)

type rowScanner interface{ Scan(dest ...any) error }

type dbOf struct{ s *auth.Service }

func (d dbOf) QueryRowContext(ctx context.Context, q string, args ...any) rowScanner {
	return auth.DBForTest(d.s).QueryRowContext(ctx, q, args...)
}
