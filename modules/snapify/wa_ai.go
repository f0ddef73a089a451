package snapify

import (
	"context"
	"errors"
	"fmt"

	"github.com/alorig/alorig/modules/snapify/bot"
	"github.com/alorig/alorig/shared/ai"
)

// waVoice transcribes sellers' voice notes with shared/ai's Transcribe (OpenAI's
// /v1/audio/transcriptions, whisper-1). Without an OpenAI key (ALORIG_OPENAI_API_KEY) it
// answers bot.ErrNoTranscriber and the seller is asked to type. The language is left to the
// model to detect: sellers mix Urdu, Punjabi and English words ("price lawn suit 2800").
// Voice notes are private, so the call is ephemeral and no transcript is kept by the AI layer.
type waVoice struct{ m *Module }

func (m *Module) waTranscriber() bot.Transcriber { return waVoice{m} }

func (v waVoice) Transcribe(ctx context.Context, audio []byte, filename, mime string) (string, error) {
	c := ai.FromConfig(v.m.d.Config.AI, v.m.d.Clock, v.m.d.Log)
	t, err := c.Transcribe(ctx, &ai.TranscribeRequest{Task: "snapify.voice_note", Audio: audio, Filename: filename, MIME: mime,
		Ephemeral: true}, nil)
	if errors.Is(err, ai.ErrNoTranscriber) {
		return "", fmt.Errorf("%w: %w", bot.ErrNoTranscriber, err)
	}
	if errors.Is(err, ai.ErrInvalidRequest) {
		// A file the service will never take (an unknown format, too large): the seller is asked
		// to send it again rather than the message being retried for ever.
		return "", fmt.Errorf("%w: %w", bot.ErrMediaUnavailable, err)
	}
	if err != nil {
		return "", err
	}
	return t.Text, nil
}
