// Package platform is the contract between the binary and the six product modules, and the
// runtime that opens each mounted module's database, Redis keyspace and River clients, serves
// them behind the Host dispatcher, and runs their workers.
package platform

import (
	"context"
	"log/slog"

	"github.com/alorig/alorig/config"
	"github.com/alorig/alorig/shared/auth"
	"github.com/alorig/alorig/shared/cache"
	"github.com/alorig/alorig/shared/clock"
	"github.com/alorig/alorig/shared/jobs"
	"github.com/alorig/alorig/shared/mail"
	"github.com/alorig/alorig/shared/secret"
	"github.com/alorig/alorig/shared/web"
	"github.com/labstack/echo/v4"
	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
)

// Role says what the process is doing, so modules start only what that process needs.
type Role string

const (
	RoleServe   Role = "serve"
	RoleWorker  Role = "worker"
	RoleMigrate Role = "migrate"
	RoleSeed    Role = "seed"
)

// Deps is everything a module receives. It is built by hand in the runtime, once per module.
type Deps struct {
	Role     Role
	Surface  string // "web", "ws", "cms" or "all" (every surface, one process) for serve
	Module   *config.Module
	Config   *config.Config
	DB       *bun.DB
	KV       *cache.Keyspace
	Jobs     *jobs.Inserter
	Workers  *river.Workers // register the module's River workers here during construction
	Clock    clock.Clock
	Keyring  *secret.Keyring
	Accounts *auth.Service
	Mailer   *mail.Mailer // the process's mail (SendGrid, SMTP, or the development log)
	Log      *slog.Logger
}

// Module is a product. Every module serves a web surface; the rest is optional, declared by
// implementing the interfaces below.
type Module interface {
	Name() string
	// Web registers the routes of the module's main surface.
	Web(e *echo.Echo)
}

// Constructor builds a module from its dependencies.
type Constructor func(Deps) (Module, error)

// Surfaced modules have an extra surface (Psydge's ws, Site Builder's cms).
type Surfaced interface {
	Surface(name string, e *echo.Echo)
}

// Periodic modules schedule jobs; the worker's elected leader enqueues them.
type Periodic interface {
	PeriodicJobs() []*river.PeriodicJob
}

// Seeder modules create idempotent demo data.
type Seeder interface {
	Seed(ctx context.Context) error
}

// HostClaimer modules own hosts found in their database (custom domains, built sites).
type HostClaimer interface {
	ClaimHost(ctx context.Context, host string) (bool, error)
}

// Checker modules report outside services in /readyz (usually optional checks).
type Checker interface {
	Checks() []web.Check
}

// Sealer modules declare the encrypted columns rotate-keys re-encrypts.
type Sealer interface {
	SealedFields() []secret.Field
}

// Background modules run goroutines in the process that serves them (a price feed, a
// WebSocket fan-out). Start must return promptly; Stop must end them within ctx.
type Background interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
}

// Closer modules hold resources to release at shutdown (WebSocket hubs send close frames).
type Closer interface {
	Close(ctx context.Context) error
}
