package ai

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"path"
	"strings"
	"time"

	"github.com/openai/openai-go/v3"
)

// TranscribeRequest is one voice note to turn into text.
type TranscribeRequest struct {
	// Task names the call in the audit ("snapify.voice_note").
	Task  string
	Audio []byte
	// Filename and MIME describe the audio (WhatsApp voice notes are audio/ogg, Opus): the
	// service identifies the format by the file name's extension, so one is made from MIME
	// when Filename is empty.
	Filename, MIME string
	// Language is an ISO-639-1 hint ("ur", "pa", "en"), or "" to let the model detect it.
	Language string
	// Ephemeral transcripts are audited by metadata only (no text kept).
	Ephemeral bool
}

// Transcript is a voice note's text.
type Transcript struct {
	Text, Language, Provider, Model string
	Offline                         bool
	Attempts                        int
	Latency                         time.Duration
	// Seconds is the audio's length as the service measured it; CostMicroUSD its price
	// (Whisper is billed by the minute of audio, not by tokens).
	Seconds      float64
	CostMicroUSD int64
}

// ErrNoTranscriber: speech-to-text goes through OpenAI's transcription API only; without an
// OpenAI key there is no transcriber, and nothing is made up in its place.
var ErrNoTranscriber = errors.New("ai: speech-to-text needs an OpenAI key (ALORIG_OPENAI_API_KEY); no transcriber is configured, so the voice note was not transcribed")

// MaxAudioBytes is the transcription API's upload limit (25 MB).
const MaxAudioBytes = 25 << 20

// TranscribeModel is the model transcriptions use by default.
const TranscribeModel = "whisper-1"

// WhisperMicroUSDPerMinute is whisper-1's list price: $0.006 a minute of audio.
const WhisperMicroUSDPerMinute = 6_000

// audioExt is the file extension the service reads the format from, by MIME type.
var audioExt = map[string]string{
	"audio/ogg": "ogg", "audio/opus": "ogg", "audio/mpeg": "mp3", "audio/mp3": "mp3", "audio/mp4": "m4a",
	"audio/m4a": "m4a", "audio/x-m4a": "m4a", "audio/aac": "m4a", "audio/wav": "wav", "audio/x-wav": "wav",
	"audio/wave": "wav", "audio/webm": "webm", "audio/flac": "flac", "video/mp4": "mp4", "video/webm": "webm",
}

// audioExts are the formats the service takes.
var audioExts = map[string]bool{"flac": true, "mp3": true, "mp4": true, "mpeg": true, "mpga": true, "m4a": true, "ogg": true, "wav": true, "webm": true}

func (req *TranscribeRequest) check() (filename, mime string, err error) {
	mime = strings.ToLower(strings.TrimSpace(strings.SplitN(req.MIME, ";", 2)[0]))
	filename = path.Base(strings.ReplaceAll(req.Filename, "\\", "/"))
	if filename == "." || filename == "/" {
		filename = ""
	}
	if filename == "" {
		ext, ok := audioExt[mime]
		if !ok {
			return "", "", fmt.Errorf("%w: audio type %q is not one the transcription API takes (ogg, mp3, m4a, wav, webm, flac, mp4)", ErrInvalidRequest, req.MIME)
		}
		filename = "voice." + ext
	}
	if ext := strings.ToLower(strings.TrimPrefix(path.Ext(filename), ".")); !audioExts[ext] {
		return "", "", fmt.Errorf("%w: audio file %q: the transcription API takes flac, mp3, mp4, mpeg, mpga, m4a, ogg, wav or webm", ErrInvalidRequest, filename)
	}
	switch {
	case len(req.Audio) == 0:
		return "", "", fmt.Errorf("%w: the audio is empty", ErrInvalidRequest)
	case len(req.Audio) > MaxAudioBytes:
		return "", "", fmt.Errorf("%w: the audio is %d bytes, more than the API's %d", ErrInvalidRequest, len(req.Audio), MaxAudioBytes)
	case req.Language != "" && (len(req.Language) != 2 || strings.ToLower(req.Language) != req.Language):
		return "", "", fmt.Errorf("%w: language %q is not an ISO-639-1 code such as \"ur\"", ErrInvalidRequest, req.Language)
	}
	if mime == "" {
		mime = "application/octet-stream"
	}
	return filename, mime, nil
}

// Transcribe turns a voice note into text with OpenAI's /v1/audio/transcriptions (multipart,
// whisper-1), with the call's deadline and the same retries as Call, and records it with audit
// (an ephemeral one by metadata only). Without an OpenAI key it returns ErrNoTranscriber.
func (c *Client) Transcribe(ctx context.Context, req *TranscribeRequest, audit Auditor) (*Transcript, error) {
	ctx, cancel := context.WithTimeout(ctx, c.o.Timeout)
	defer cancel()
	started := time.Now()
	t := &Transcript{Provider: OfflineName, Model: "none", Offline: true}
	sp := c.o.Speech
	var text string
	var err error
	filename, mime, err := req.check()
	switch {
	case err != nil:
	case sp == nil:
		err = ErrNoTranscriber
	default:
		t.Provider, t.Model, t.Offline = sp.Name(), sp.transcribeModel(), false
		err = c.retry(ctx, req.Task, sp.Name(), func() error {
			t.Attempts++
			var aerr error
			text, t.Language, t.Seconds, aerr = sp.transcribe(ctx, req, filename, mime)
			return aerr
		})
	}
	t.Latency = time.Since(started)
	if err == nil {
		t.Text = strings.TrimSpace(text)
		t.CostMicroUSD = int64(math.Ceil(t.Seconds / 60 * WhisperMicroUSDPerMinute))
	} else if ctx.Err() != nil && !errors.Is(err, ErrInvalidRequest) {
		err = fmt.Errorf("%w (%s): %v", ErrTimeout, c.o.Timeout, err)
	}
	if audit != nil {
		r := &Record{Task: req.Task, Provider: t.Provider, Model: t.Model, CostMicroUSD: t.CostMicroUSD, Priced: true,
			Latency: t.Latency, Attempts: t.Attempts, Outcome: OutcomeOK, Ephemeral: req.Ephemeral, At: c.o.Clock.Now()}
		if err != nil {
			r.Outcome, r.Error = outcomeOf(err), err.Error()
			if req.Ephemeral {
				r.Error = string(r.Outcome)
			}
		}
		if !req.Ephemeral {
			r.Input = fmt.Appendf(nil, `{"filename":%q,"mime":%q,"bytes":%d,"language":%q}`, filename, mime, len(req.Audio), req.Language)
			r.Output = t.Text
		}
		actx, acancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		if aerr := audit.Audit(actx, r); aerr != nil {
			c.o.Log.Error("ai: audit not recorded", "task", req.Task, "outcome", r.Outcome, "err", aerr)
		}
		acancel()
	}
	if err != nil {
		return t, fmt.Errorf("ai: %s: %w", req.Task, err)
	}
	return t, nil
}

// retry runs attempt until it succeeds, fails for good, or the deadline nears, waiting as
// the provider asks (the policy of Call's attempts).
func (c *Client) retry(ctx context.Context, task, provider string, attempt func() error) error {
	for n := 0; ; n++ {
		err := attempt()
		if err == nil {
			return nil
		}
		var ae *APIError
		if !errors.As(err, &ae) || !ae.Retryable() || n >= c.o.MaxRetries || c.o.MaxRetries < 0 {
			return err
		}
		wait := c.backoff(ae, n)
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return err
		}
		c.o.Log.Info("ai: retrying", "task", task, "provider", provider, "status", ae.Status, "type", ae.Type, "wait", wait)
		if serr := c.o.Sleep(ctx, wait); serr != nil {
			return err
		}
	}
}

// transcribeModel is the speech-to-text model of this provider.
func (o *OpenAI) transcribeModel() string {
	if o.speechModel != "" {
		return o.speechModel
	}
	return TranscribeModel
}

// transcribe is one attempt: the multipart upload with file, model, language and
// response_format verbose_json (which carries the detected language and the audio's length).
func (o *OpenAI) transcribe(ctx context.Context, req *TranscribeRequest, filename, mime string) (text, lang string, seconds float64, err error) {
	params := openai.AudioTranscriptionNewParams{
		File:           openai.File(bytes.NewReader(req.Audio), filename, mime),
		Model:          openai.AudioModel(o.transcribeModel()),
		ResponseFormat: openai.AudioResponseFormatVerboseJSON,
	}
	if req.Language != "" {
		params.Language = openai.String(req.Language)
	}
	res, err := o.c.Audio.Transcriptions.New(ctx, params)
	if err != nil {
		return "", "", 0, openaiError(err)
	}
	lang = res.Language
	if lang == "" {
		lang = req.Language
	}
	return res.Text, isoLanguage(lang), res.Duration, nil
}

// isoLanguage maps the English language names verbose_json reports ("urdu") to ISO-639-1.
func isoLanguage(s string) string {
	names := map[string]string{"urdu": "ur", "punjabi": "pa", "panjabi": "pa", "english": "en", "hindi": "hi", "sindhi": "sd",
		"pashto": "ps", "arabic": "ar", "persian": "fa"}
	s = strings.ToLower(strings.TrimSpace(s))
	if iso, ok := names[s]; ok {
		return iso
	}
	return s
}
