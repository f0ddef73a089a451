package gcal

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestInsertPatchRefresh(t *testing.T) {
	t.Parallel()
	f := NewFake()
	defer f.Close()
	c := New(f.Config(), nil)
	ctx := context.Background()
	start := time.Date(2026, 3, 12, 6, 30, 0, 0, time.UTC)
	ev := Event{Summary: "Writing (Mercury hour)", Start: At(start, "Asia/Karachi"), End: At(start.Add(time.Hour), "Asia/Karachi")}

	_, err := c.InsertEvent(ctx, "wrong", "primary", ev)
	require.ErrorIs(t, err, ErrUnauthorized)

	got, err := c.InsertEvent(ctx, f.AccessToken, "primary", ev)
	require.NoError(t, err)
	require.NotEmpty(t, got.ID)

	bad := ev
	bad.End = bad.Start
	_, err = c.InsertEvent(ctx, f.AccessToken, "primary", bad)
	var ge *Error
	require.True(t, errors.As(err, &ge))
	require.Equal(t, 400, ge.Status)
	require.Contains(t, ge.Message, "time range is empty")

	ev.Summary = "Writing, moved"
	_, err = c.PatchEvent(ctx, f.AccessToken, "primary", got.ID, ev)
	require.NoError(t, err)
	_, err = c.PatchEvent(ctx, f.AccessToken, "primary", "nope", ev)
	require.True(t, errors.As(err, &ge))
	require.Equal(t, 404, ge.Status)

	tok, err := c.Refresh(ctx, f.RefreshToken)
	require.NoError(t, err)
	require.NotEqual(t, "ya29.fake-access", tok.AccessToken)
	_, err = c.InsertEvent(ctx, "ya29.fake-access", "primary", ev)
	require.ErrorIs(t, err, ErrUnauthorized, "the old token no longer works")
	_, err = c.Refresh(ctx, "stolen")
	require.Error(t, err)

	calls, evs := f.Snapshot("primary")
	require.Equal(t, []string{"POST primary", "PATCH primary/" + got.ID, "TOKEN"}, calls)
	require.Equal(t, "Writing, moved", evs[got.ID].Summary)
}
