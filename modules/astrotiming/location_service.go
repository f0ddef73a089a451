package astrotiming

import (
	"context"
	"errors"
	"fmt"

	"github.com/alorig/alorig/shared/database"
)

// The use cases of saved locations. They return the domain errors of errors.go.

func (m *Module) Locations(ctx context.Context, userID int64) ([]SavedLocation, error) {
	out, err := listLocations(ctx, m.d.DB, userID)
	if err != nil {
		return nil, fmt.Errorf("astrotiming: list locations: %w", err)
	}
	return out, nil
}

func (m *Module) Location(ctx context.Context, userID, id int64) (*SavedLocation, error) {
	l, err := locationByID(ctx, m.d.DB, userID, id)
	if errors.Is(err, database.ErrNotFound) {
		return nil, ErrNoLocation
	}
	return l, err
}

// CreateLocation saves a place, refusing the MaxSavedLocations+1st and a repeated name.
func (m *Module) CreateLocation(ctx context.Context, userID int64, in LocationInput) (*SavedLocation, error) {
	n, err := countLocations(ctx, m.d.DB, userID)
	if err != nil {
		return nil, fmt.Errorf("astrotiming: count locations: %w", err)
	}
	if n >= MaxSavedLocations {
		return nil, ErrLocationLimit
	}
	l := &SavedLocation{UserID: userID, Name: in.Name, Latitude: in.place.Lat, Longitude: in.place.Lng,
		Timezone: in.place.Zone.String(), CreatedAt: m.d.Clock.Now()}
	if err := insertLocation(ctx, m.d.DB, l); err != nil {
		if database.IsUniqueViolation(err, "") {
			return nil, ErrDuplicateLocation
		}
		return nil, fmt.Errorf("astrotiming: create location: %w", err)
	}
	return l, nil
}

// ReplaceLocation replaces the name and place of one of the user's locations.
func (m *Module) ReplaceLocation(ctx context.Context, userID, id int64, in LocationInput) (*SavedLocation, error) {
	l, err := m.Location(ctx, userID, id)
	if err != nil {
		return nil, err
	}
	l.Name, l.Latitude, l.Longitude, l.Timezone = in.Name, in.place.Lat, in.place.Lng, in.place.Zone.String()
	if err := updateLocation(ctx, m.d.DB, l); err != nil {
		if database.IsUniqueViolation(err, "") {
			return nil, ErrDuplicateLocation
		}
		return nil, fmt.Errorf("astrotiming: update location %d: %w", id, err)
	}
	return l, nil
}

func (m *Module) DeleteLocation(ctx context.Context, userID, id int64) error {
	err := deleteLocation(ctx, m.d.DB, userID, id)
	if errors.Is(err, database.ErrNotFound) {
		return ErrNoLocation
	}
	if err != nil {
		return fmt.Errorf("astrotiming: delete location %d: %w", id, err)
	}
	return nil
}
