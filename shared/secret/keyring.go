// Package secret seals values at rest with AES-256-GCM under a keyring of identified keys.
// A sealed value records the id of its key, so old keys keep decrypting after a new primary key
// is added, and associated data binds each ciphertext to its table, row and field: a value
// copied into another row or column no longer opens.
package secret

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// Errors callers can test for.
var (
	ErrUnknownKey = errors.New("secret: sealed with a key id the keyring does not have")
	ErrOpen       = errors.New("secret: cannot open: wrong key or associated data, or tampered")
	ErrFormat     = errors.New("secret: not a sealed value")
)

const version = 1

// Keyring holds keys by id; the first is the primary used to seal.
type Keyring struct {
	primary string
	aeads   map[string]cipher.AEAD
}

// Parse reads "id:base64key,id2:base64key2" (32-byte keys, standard or URL base64).
func Parse(spec string) (*Keyring, error) {
	kr := &Keyring{aeads: map[string]cipher.AEAD{}}
	var errs []error
	for i, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		id, b64, ok := strings.Cut(item, ":")
		if !ok || id == "" || len(id) > 32 {
			errs = append(errs, fmt.Errorf("key %d: want id:base64key with an id of 1-32 characters", i+1))
			continue
		}
		raw, err := decode(b64)
		if err != nil || len(raw) != 32 {
			errs = append(errs, fmt.Errorf("key %q: want 32 bytes of base64 (openssl rand -base64 32)", id))
			continue
		}
		if _, dup := kr.aeads[id]; dup {
			errs = append(errs, fmt.Errorf("key %q appears twice", id))
			continue
		}
		block, _ := aes.NewCipher(raw)
		aead, _ := cipher.NewGCM(block)
		kr.aeads[id] = aead
		if kr.primary == "" {
			kr.primary = id
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("ALORIG_ENCRYPTION_KEYS: %w", errors.Join(errs...))
	}
	if kr.primary == "" {
		return nil, errors.New("ALORIG_ENCRYPTION_KEYS: no keys")
	}
	return kr, nil
}

func decode(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, ErrFormat
}

// Primary is the id new values are sealed with.
func (k *Keyring) Primary() string { return k.primary }

// AD builds associated data that binds a value to its place: table, row id and field.
func AD(table string, row int64, field string) []byte {
	return fmt.Appendf(nil, "%s\x00%d\x00%s", table, row, field)
}

// Seal encrypts plaintext under the primary key. Layout: version byte, key id length, key id,
// nonce, ciphertext+tag.
func (k *Keyring) Seal(plaintext, ad []byte) ([]byte, error) {
	aead := k.aeads[k.primary]
	out := make([]byte, 0, 2+len(k.primary)+aead.NonceSize()+len(plaintext)+aead.Overhead())
	out = append(out, version, byte(len(k.primary)))
	out = append(out, k.primary...)
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	out = append(out, nonce...)
	return aead.Seal(out, nonce, plaintext, ad), nil
}

// KeyID returns the id a sealed value was sealed with.
func KeyID(sealed []byte) (string, error) {
	if len(sealed) < 2 || sealed[0] != version || len(sealed) < 2+int(sealed[1]) {
		return "", ErrFormat
	}
	return string(sealed[2 : 2+int(sealed[1])]), nil
}

// Open decrypts a sealed value with whichever key sealed it.
func (k *Keyring) Open(sealed, ad []byte) ([]byte, error) {
	id, err := KeyID(sealed)
	if err != nil {
		return nil, err
	}
	aead, ok := k.aeads[id]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownKey, id)
	}
	rest := sealed[2+len(id):]
	if len(rest) < aead.NonceSize()+aead.Overhead() {
		return nil, ErrFormat
	}
	pt, err := aead.Open(nil, rest[:aead.NonceSize()], rest[aead.NonceSize():], ad)
	if err != nil {
		return nil, ErrOpen
	}
	return pt, nil
}

// NeedsRotation reports whether a sealed value is under a key other than the primary.
func (k *Keyring) NeedsRotation(sealed []byte) bool {
	id, err := KeyID(sealed)
	return err == nil && id != k.primary
}

// Reseal opens a value and seals it again under the primary key.
func (k *Keyring) Reseal(sealed, ad []byte) ([]byte, error) {
	pt, err := k.Open(sealed, ad)
	if err != nil {
		return nil, err
	}
	defer clear(pt)
	return k.Seal(pt, ad)
}

// Equal reports whether two keyrings have the same primary (for tests and logs).
func (k *Keyring) Equal(o *Keyring) bool { return bytes.Equal([]byte(k.primary), []byte(o.primary)) }
