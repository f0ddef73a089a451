package snapify

import (
	"context"

	"github.com/uptrace/bun"
)

// QueueSocialPost exposes queueSocialPost, which the content pipeline calls, to the external tests.
func (m *Module) QueueSocialPost(ctx context.Context, tx bun.IDB, storeID, productID int64, caption, imageKey string) error {
	return m.queueSocialPost(ctx, tx, storeID, productID, caption, imageKey)
}
