package snapify

import "context"

// ProcessWhatsAppDelivery runs the webhook job's work again, as a River retry would.
func (m *Module) ProcessWhatsAppDelivery(ctx context.Context, id int64) error {
	return m.processWhatsAppDelivery(ctx, id)
}
