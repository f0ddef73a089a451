package psydge

import "context"

// Profile is the user's Psydge profile.
func (m *Module) Profile(ctx context.Context, userID int64) (*Profile, error) {
	return profileOf(ctx, m.d.DB, userID)
}

// SetTimezone sets the user's time zone (already validated) and answers the profile.
func (m *Module) SetTimezone(ctx context.Context, userID int64, tz string) (*Profile, error) {
	if err := setTimezone(ctx, m.d.DB, userID, tz, m.d.Clock.Now()); err != nil {
		return nil, err
	}
	return profileOf(ctx, m.d.DB, userID)
}
