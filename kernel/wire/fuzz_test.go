package wire

import (
	"bytes"
	"testing"
)

// fuzzSep separates frames in a fuzz input: one []byte holds a whole
// multipart message.
var fuzzSep = []byte("\x00|frame|\x00")

// FuzzParse feeds arbitrary multipart messages to Parse (unsigned, and
// signed with a fixed key). Parse must never panic, and a message it
// accepts must serialise back to frames that parse to the same message.
// The seeds in testdata/fuzz/FuzzParse run with go test.
func FuzzParse(f *testing.F) {
	signed, _ := NewSigner("hmac-sha256", "fuzz-key")
	f.Add(bytes.Join(validFrames(f, nil, "id"), fuzzSep), false)
	f.Add(bytes.Join(validFrames(f, signed, "id"), fuzzSep), true)
	f.Fuzz(func(t *testing.T, data []byte, useKey bool) {
		s := &Signer{}
		if useKey {
			s = signed
		}
		frames := bytes.Split(data, fuzzSep)
		m, err := Parse(frames, s)
		if err != nil {
			if m != nil {
				t.Fatalf("Parse returned a message and error %v", err)
			}
			return
		}
		out, err := m.Frames(s)
		if err != nil {
			t.Fatalf("Frames of a parsed message: %v", err)
		}
		back, err := Parse(out, s)
		if err != nil {
			t.Fatalf("re-Parse: %v", err)
		}
		if back.Header != m.Header || !bytes.Equal(back.Content, m.Content) ||
			len(back.Identities) != len(m.Identities) || len(back.Buffers) != len(m.Buffers) ||
			(back.Parent == nil) != (m.Parent == nil) {
			t.Fatalf("round trip changed the message: %+v -> %+v", m, back)
		}
	})
}
