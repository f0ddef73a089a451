package ai_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/alorig/alorig/shared/ai"
	"github.com/alorig/alorig/shared/ai/aitest"
	"github.com/stretchr/testify/require"
)

func newJSONRequest(url, body string) (*http.Request, error) {
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err == nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, err
}

// oggVoice is the start of an Ogg Opus voice note (what WhatsApp sends): the bytes only have to
// reach the service intact.
var oggVoice = append([]byte("OggS\x00\x02"), make([]byte, 200)...)

func speechClient(t *testing.T, rec *recorder) (*ai.Client, *aitest.OpenAI) {
	fake := aitest.NewOpenAI(t, "sk-test")
	sp := ai.NewOpenAI(ai.OpenAIConfig{APIKey: "sk-test", BaseURL: fake.URL + "/v1", Model: "gpt-4.1-mini"})
	// Calls go to another provider; speech-to-text is OpenAI's all the same.
	return ai.New(ai.Options{Speech: sp, Timeout: 5 * time.Second, MaxRetries: 2, Sleep: rec.sleep}), fake
}

func TestTranscribeSendsMultipartWhisperAndAudits(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c, fake := speechClient(t, rec)
	require.True(t, c.CanTranscribe())
	fake.EnqueueTranscription(aitest.Transcription{Text: " لال کرتا، ہزار روپے ", Language: "urdu", Seconds: 30})
	tr, err := c.Transcribe(context.Background(), &ai.TranscribeRequest{Task: "test.voice", Audio: oggVoice, MIME: "audio/ogg; codecs=opus", Language: "ur"}, rec)
	require.NoError(t, err)
	require.Equal(t, "لال کرتا، ہزار روپے", tr.Text)
	require.Equal(t, "ur", tr.Language)
	require.Equal(t, "openai", tr.Provider)
	require.Equal(t, "whisper-1", tr.Model)
	require.False(t, tr.Offline)
	require.Equal(t, 1, tr.Attempts)
	require.Equal(t, int64(3000), tr.CostMicroUSD) // half a minute at $0.006 a minute

	got := fake.Transcriptions()
	require.Len(t, got, 1)
	require.Equal(t, "whisper-1", got[0].Model)
	require.Equal(t, "voice.ogg", got[0].Filename)
	require.Equal(t, "audio/ogg", got[0].FileType)
	require.Equal(t, oggVoice, got[0].File)
	require.Equal(t, "ur", got[0].Language)
	require.Equal(t, "verbose_json", got[0].ResponseFormat)

	require.Len(t, rec.records, 1)
	r := rec.records[0]
	require.Equal(t, ai.OutcomeOK, r.Outcome)
	require.Equal(t, "test.voice", r.Task)
	require.Contains(t, string(r.Input), `"filename":"voice.ogg"`)
	require.Equal(t, "لال کرتا، ہزار روپے", r.Output)
}

func TestEphemeralTranscriptIsAuditedByMetadataOnly(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c, fake := speechClient(t, rec)
	fake.EnqueueTranscription(aitest.Transcription{Status: 503}, aitest.Transcription{Text: "private words", Seconds: 1})
	tr, err := c.Transcribe(context.Background(), &ai.TranscribeRequest{Task: "test.voice", Audio: oggVoice, Filename: "note.ogg", Ephemeral: true}, rec)
	require.NoError(t, err)
	require.Equal(t, "private words", tr.Text)
	require.Equal(t, 2, tr.Attempts) // the 503 was retried
	require.Len(t, rec.waits, 1)
	require.Len(t, rec.records, 1)
	require.Nil(t, rec.records[0].Input)
	require.Empty(t, rec.records[0].Output)
	require.True(t, rec.records[0].Ephemeral)
}

func TestTranscribeWithoutOpenAIKeyIsRefusedNotInvented(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := ai.New(ai.Options{})
	require.False(t, c.CanTranscribe())
	tr, err := c.Transcribe(context.Background(), &ai.TranscribeRequest{Task: "test.voice", Audio: oggVoice, MIME: "audio/ogg"}, rec)
	require.ErrorIs(t, err, ai.ErrNoTranscriber)
	require.Empty(t, tr.Text)
	require.True(t, tr.Offline)
	require.Len(t, rec.records, 1)
	require.Equal(t, ai.OutcomeRefused, rec.records[0].Outcome)
}

func TestTranscribeRefusesAudioTheAPIWouldRefuse(t *testing.T) {
	t.Parallel()
	c, fake := speechClient(t, &recorder{})
	for name, req := range map[string]*ai.TranscribeRequest{
		"unknown type": {Audio: oggVoice, MIME: "audio/amr"},
		"bad name":     {Audio: oggVoice, Filename: "note.txt"},
		"empty":        {MIME: "audio/ogg"},
		"language":     {Audio: oggVoice, MIME: "audio/ogg", Language: "urdu"},
	} {
		req.Task = "test.voice"
		_, err := c.Transcribe(context.Background(), req, nil)
		require.ErrorIs(t, err, ai.ErrInvalidRequest, name)
	}
	require.Empty(t, fake.Transcriptions())
}

func TestOpenAIFakeRefusesATranscriptionWithoutModelOrFile(t *testing.T) {
	t.Parallel()
	fake := aitest.NewOpenAI(t, "k")
	for body, want := range map[string]string{
		"--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n--b--\r\n":                                          "file",
		"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.ogg\"\r\nContent-Type: audio/ogg\r\n\r\nOggS\r\n--b--\r\n": "model",
	} {
		req, _ := http.NewRequest(http.MethodPost, fake.URL+"/v1/audio/transcriptions", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer k")
		req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
		res, err := fake.Client().Do(req)
		require.NoError(t, err)
		res.Body.Close()
		require.Equal(t, 400, res.StatusCode, want)
	}
	require.Empty(t, fake.Transcriptions())
}
