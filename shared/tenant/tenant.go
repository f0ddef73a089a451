// Package tenant makes tenant scoping a matter of types. A store function that reads
// tenant-owned rows takes a Scope[T] instead of a bare id, so calling it without having resolved
// (and authorised) the tenant does not compile, and its query filters by the scope's column.
package tenant

import (
	"fmt"

	"github.com/uptrace/bun"
)

// Scope is the proof that the current request may act inside tenant T (a Snapify store, an ASMS
// school, a Site Builder site). The zero Scope is invalid and matches nothing.
type Scope[T any] struct{ id int64 }

// Grant is called by the code that resolved the tenant and checked the caller's access to it
// (the module's middleware or service), and nowhere else.
func Grant[T any](id int64) Scope[T] { return Scope[T]{id: id} }

// ID is the tenant's primary key.
func (s Scope[T]) ID() int64 { return s.id }

// Valid reports whether the scope names a tenant.
func (s Scope[T]) Valid() bool { return s.id > 0 }

func (s Scope[T]) String() string { var t T; return fmt.Sprintf("%T(%d)", t, s.id) }

// Filter adds "column = id" to a query (and a false condition for an invalid scope, so a bug
// can never widen a query to every tenant).
func Filter[Q interface {
	Where(string, ...any) Q
}, T any](q Q, s Scope[T], column string) Q {
	if !s.Valid() {
		return q.Where("false")
	}
	return q.Where("? = ?", bun.Ident(column), s.id)
}

// Select, Update and Delete are Filter for bun's query builders.
func Select[T any](q *bun.SelectQuery, s Scope[T], column string) *bun.SelectQuery {
	return Filter(q, s, column)
}
func Update[T any](q *bun.UpdateQuery, s Scope[T], column string) *bun.UpdateQuery {
	return Filter(q, s, column)
}
func Delete[T any](q *bun.DeleteQuery, s Scope[T], column string) *bun.DeleteQuery {
	return Filter(q, s, column)
}
