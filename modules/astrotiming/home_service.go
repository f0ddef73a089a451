package astrotiming

import (
	"context"
	"errors"
	"fmt"

	"github.com/alorig/alorig/shared/database"
)

// The use cases of a user's home location. They return the domain errors of errors.go.

func (m *Module) Home(ctx context.Context, userID int64) (*Home, error) {
	h, err := homeByUser(ctx, m.d.DB, userID)
	if errors.Is(err, database.ErrNotFound) {
		return nil, ErrNoHome
	}
	return h, err
}

// SetHome makes the place of in (its name is not kept) the user's home.
func (m *Module) SetHome(ctx context.Context, userID int64, in LocationInput) (Home, error) {
	h := Home{UserID: userID, Lat: in.place.Lat, Lng: in.place.Lng, TZ: in.place.Zone.String()}
	if err := setHome(ctx, m.d.DB, userID, h, m.d.Clock.Now()); err != nil {
		return Home{}, fmt.Errorf("astrotiming: set home of user %d: %w", userID, err)
	}
	return h, nil
}
