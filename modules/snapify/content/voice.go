package content

import (
	"context"
	"strings"

	"github.com/alorig/alorig/shared/ai"
)

// transcribe is stage 2: the voice note's transcript, from the note itself when it already has
// one, else through Whisper. Without a voice note the stage is skipped; without an OpenAI key
// it fails with ai.ErrNoTranscriber (nothing is made up), and the stages after it work from
// the seller's written words.
func (p *Pipeline) transcribe(ctx context.Context, in *Input) (string, *Run, error) {
	v := in.Voice
	if v == nil {
		return "", nil, errSkip
	}
	if t := strings.TrimSpace(v.Transcript); t != "" {
		return t, &Run{Provider: "whatsapp", Model: "transcribed on arrival"}, nil
	}
	lang := v.Language
	if lang == "" {
		lang = in.Lang
	}
	t, err := p.AI.Transcribe(ctx, &ai.TranscribeRequest{Task: "snapify.content.voice", Audio: v.Audio, MIME: v.MIME, Language: lang}, p.Audit)
	var run *Run
	if t != nil {
		run = &Run{Provider: t.Provider, Model: t.Model, Offline: t.Offline, CostMicroUSD: t.CostMicroUSD}
	}
	if err != nil {
		return "", run, err
	}
	return t.Text, run, nil
}
