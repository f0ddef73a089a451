package auth

import "github.com/uptrace/bun"

// DBForTest exposes the service's database to the external test package.
func DBForTest(s *Service) *bun.DB { return s.db }

// SetMailerForTest replaces the mailer the platform gave the service.
func SetMailerForTest(s *Service, m Mailer) { s.cfg.Mailer = m }
