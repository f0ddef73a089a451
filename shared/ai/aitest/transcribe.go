package aitest

import (
	"encoding/json"
	"io"
	"net/http"
	"path"
	"strings"
)

// TranscriptionRequest is what the OpenAI fake received at /v1/audio/transcriptions.
type TranscriptionRequest struct {
	Header         http.Header
	Model          string
	Filename       string
	FileType       string // the file part's Content-Type
	File           []byte
	Language       string
	ResponseFormat string
}

// Transcription is one scripted transcription answer; Status != 0 answers that error instead
// (with Body, or OpenAI's error JSON).
type Transcription struct {
	Text     string
	Language string  // as verbose_json names it: "urdu", "english"
	Seconds  float64 // the audio's duration
	Status   int
	Header   map[string]string
	Body     string
}

// transcriptionModels are the models the endpoint takes.
var transcriptionModels = map[string]bool{"whisper-1": true, "gpt-4o-transcribe": true, "gpt-4o-mini-transcribe": true, "gpt-transcribe": true}

var audioFormats = map[string]bool{"flac": true, "m4a": true, "mp3": true, "mp4": true, "mpeg": true, "mpga": true, "oga": true, "ogg": true, "wav": true, "webm": true}

// EnqueueTranscription scripts the next transcription answers; after them each file is
// answered with the text "transcript of <filename>", 2 s long, in English.
func (f *OpenAI) EnqueueTranscription(t ...Transcription) {
	f.reqMu.Lock()
	f.transcripts = append(f.transcripts, t...)
	f.reqMu.Unlock()
}

// Transcriptions lists the transcription requests that passed the checks.
func (f *OpenAI) Transcriptions() []TranscriptionRequest {
	f.reqMu.Lock()
	defer f.reqMu.Unlock()
	return append([]TranscriptionRequest(nil), f.transcriptions...)
}

// transcribe checks a request as the real endpoint does (a bearer key, a multipart body with a
// file part whose name has a supported extension, a model it serves, a valid response_format)
// and answers json, text or verbose_json.
func (f *OpenAI) transcribe(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+f.Key {
		f.fail(w, 401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided")
		return
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		f.fail(w, 400, "invalid_request_error", "", "Invalid Content-Type header (expected multipart/form-data)")
		return
	}
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		f.fail(w, 400, "invalid_request_error", "", "Could not parse multipart form")
		return
	}
	req := TranscriptionRequest{Header: r.Header.Clone(), Model: r.FormValue("model"), Language: r.FormValue("language"),
		ResponseFormat: r.FormValue("response_format")}
	file, fh, err := r.FormFile("file")
	if err != nil {
		f.fail(w, 400, "invalid_request_error", "", "you must provide a file parameter")
		return
	}
	req.File, _ = io.ReadAll(file)
	_ = file.Close()
	req.Filename, req.FileType = fh.Filename, fh.Header.Get("Content-Type")
	switch ext := strings.ToLower(strings.TrimPrefix(path.Ext(req.Filename), ".")); {
	case req.Model == "":
		f.fail(w, 400, "invalid_request_error", "", "you must provide a model parameter")
		return
	case !transcriptionModels[req.Model]:
		f.fail(w, 400, "invalid_request_error", "model_not_found", "The model `"+req.Model+"` does not exist or you do not have access to it.")
		return
	case !audioFormats[ext]:
		f.fail(w, 400, "invalid_request_error", "", "Invalid file format. Supported formats: ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm']")
		return
	case len(req.File) == 0:
		f.fail(w, 400, "invalid_request_error", "", "Audio file is empty")
		return
	case req.Language != "" && len(req.Language) != 2:
		f.fail(w, 400, "invalid_request_error", "", "Invalid language '"+req.Language+"'. Language parameter must be specified in ISO-639-1 format.")
		return
	}
	switch req.ResponseFormat {
	case "", "json", "text", "verbose_json":
	default:
		f.fail(w, 400, "invalid_request_error", "", "Invalid response_format '"+req.ResponseFormat+"' for this fake (json, text, verbose_json)")
		return
	}
	f.reqMu.Lock()
	f.transcriptions = append(f.transcriptions, req)
	t := Transcription{Text: "transcript of " + req.Filename, Language: "english", Seconds: 2}
	if len(f.transcripts) > 0 {
		t, f.transcripts = f.transcripts[0], f.transcripts[1:]
	}
	f.reqMu.Unlock()
	for k, v := range t.Header {
		w.Header().Set(k, v)
	}
	if t.Status != 0 {
		body := t.Body
		if body == "" {
			body = openaiErrBody("server_error", "", "The server had an error while processing your request.")
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(t.Status)
		_, _ = io.WriteString(w, body)
		return
	}
	switch req.ResponseFormat {
	case "text":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, t.Text+"\n")
	case "verbose_json":
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"task": "transcribe", "language": t.Language, "duration": t.Seconds, "text": t.Text,
			"segments": []any{map[string]any{"id": 0, "seek": 0, "start": 0.0, "end": t.Seconds, "text": t.Text, "tokens": []int{},
				"temperature": 0.0, "avg_logprob": -0.2, "compression_ratio": 1.1, "no_speech_prob": 0.01}},
			"usage": map[string]any{"type": "duration", "seconds": int(t.Seconds + 0.999)}})
	default:
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"text": t.Text, "usage": map[string]any{"type": "duration", "seconds": int(t.Seconds + 0.999)}})
	}
}
