package wire

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
)

// Signer computes and checks message signatures: the hex HMAC-SHA256 of the
// header, parent header, metadata and content frames, keyed with the
// connection file's key. A Signer with an empty key signs with "" and
// accepts any signature (Jupyter's "no authentication"). A Signer is safe
// for concurrent use.
type Signer struct {
	key []byte
}

// ErrBadSignature is returned (wrapped) by Verify and Parse when a
// message's signature does not match its frames.
var ErrBadSignature = errors.New("bad signature")

// NewSigner returns a Signer for the connection file's signature scheme and
// key. scheme must be "hmac-sha256" (or empty) when key is not empty.
func NewSigner(scheme, key string) (*Signer, error) {
	if key != "" && scheme != "" && scheme != "hmac-sha256" {
		return nil, fmt.Errorf("unsupported signature scheme %q (want hmac-sha256)", scheme)
	}
	return &Signer{key: []byte(key)}, nil
}

// Enabled reports whether messages are signed (the key is not empty).
func (s *Signer) Enabled() bool { return s != nil && len(s.key) > 0 }

func (s *Signer) mac(header, parent, metadata, content []byte) hash.Hash {
	m := hmac.New(sha256.New, s.key)
	m.Write(header)
	m.Write(parent)
	m.Write(metadata)
	m.Write(content)
	return m
}

// Sign returns the lowercase hex signature of the four JSON frames, or ""
// when signing is disabled. O(total size of the frames).
func (s *Signer) Sign(header, parent, metadata, content []byte) string {
	if !s.Enabled() {
		return ""
	}
	return hex.EncodeToString(s.mac(header, parent, metadata, content).Sum(nil))
}

// Verify checks sig (hex, as received) against the four JSON frames in
// constant time. It always succeeds when signing is disabled.
func (s *Signer) Verify(sig, header, parent, metadata, content []byte) error {
	if !s.Enabled() {
		return nil
	}
	if len(sig) == 0 {
		return fmt.Errorf("%w: message is not signed", ErrBadSignature)
	}
	got := make([]byte, hex.DecodedLen(len(sig)))
	if _, err := hex.Decode(got, sig); err != nil {
		return fmt.Errorf("%w: signature is not hex", ErrBadSignature)
	}
	if !hmac.Equal(got, s.mac(header, parent, metadata, content).Sum(nil)) {
		return fmt.Errorf("%w: HMAC does not match", ErrBadSignature)
	}
	return nil
}
