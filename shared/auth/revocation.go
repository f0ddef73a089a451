package auth

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/uptrace/bun"
)

// Long-lived connections (a module's WebSockets) are authenticated once, when they open, and
// outlive that request. These hooks let them end when the session that opened them ends.

// SessionsChannel is the channel, on the module's keyspace, on which the accounts service
// announces session changes to every process (it is the session cache's invalidation
// channel). A message holds lines "s:<session id>" (that session was revoked) and
// "u:<user id>" (any session of the user may have changed: disabled, role, email); lines
// starting with "~hb:" are heartbeats.
const SessionsChannel = "near:auth"

// ParseSessionChange reads one SessionsChannel message: the sessions and users it names.
// Heartbeats and lines it does not know name nothing.
func ParseSessionChange(payload string) (sessions, users []int64) {
	for _, line := range strings.Split(payload, "\n") {
		kind, id, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			continue
		}
		switch kind {
		case "s":
			sessions = append(sessions, n)
		case "u":
			users = append(users, n)
		}
	}
	return sessions, users
}

// LiveSessions reports which of the sessions are still valid (not revoked, not expired, their
// user not disabled), in one query. Ids not in the answer have ended.
func (s *Service) LiveSessions(ctx context.Context, ids []int64) (map[int64]bool, error) {
	live := make(map[int64]bool, len(ids))
	if len(ids) == 0 {
		return live, nil
	}
	var alive []int64
	err := s.db.NewRaw(`SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.id IN (?) AND s.revoked_at IS NULL AND s.expires_at > ? AND u.disabled_at IS NULL`, bun.In(ids), s.clock.Now()).Scan(ctx, &alive)
	if err != nil {
		return nil, fmt.Errorf("%s: live sessions: %w", s.cfg.Module, err)
	}
	for _, id := range alive {
		live[id] = true
	}
	return live, nil
}
