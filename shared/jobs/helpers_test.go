package jobs_test

import (
	"github.com/alorig/alorig/shared/database"
	"github.com/uptrace/bun"
)

func openBun(url string) (*bun.DB, error) { return database.Open(url, 3) }
