package snapify

import (
	"context"

	"github.com/alorig/alorig/modules/snapify/bot"
)

// waTranscriber is speech-to-text for voice notes; nil makes the bot ask the seller to type.
func (m *Module) waTranscriber() bot.Transcriber { return nil }

// waProductCreated runs after the bot lists a product from a photo.
func (m *Module) waProductCreated(ctx context.Context, s *Store, p *Product) error { return nil }
