package wire

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ProtocolVersion is the version of the messaging protocol the kernel
// speaks; it goes into every header.
const ProtocolVersion = "5.3"

// Delimiter separates the routing identities from the message proper.
var Delimiter = []byte("<IDS|MSG>")

// DateFormat is the layout of header dates: RFC 3339 with microseconds.
const DateFormat = "2006-01-02T15:04:05.000000Z07:00"

// Header is a message header (also used as the parent header).
type Header struct {
	MsgID    string `json:"msg_id"`
	Session  string `json:"session"`
	Username string `json:"username"`
	Date     string `json:"date"`
	MsgType  string `json:"msg_type"`
	Version  string `json:"version"`
}

// Message is a Jupyter message as sent on the wire.
type Message struct {
	// Identities are the ZeroMQ routing frames before the delimiter (the
	// sender's socket identity on ROUTER sockets; the topic on iopub).
	Identities [][]byte
	Header     Header
	// Parent is the header of the request this message answers; nil is
	// serialised as {}.
	Parent *Header
	// Metadata is a JSON object; nil is serialised as {}.
	Metadata map[string]any
	// Content is the JSON object of the message body. Parse keeps it raw;
	// use DecodeContent to read it into a struct.
	Content json.RawMessage
	// Buffers are the binary frames after content.
	Buffers [][]byte
	// Signature is the signature frame as received (set by Parse; Frames
	// computes its own).
	Signature string
}

// NewID returns a random message or session id (32 hex digits, UUID-like).
func NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return hex.EncodeToString(b[:])
}

// NewHeader returns a header for a new message of msgType with a fresh id
// and the current time.
func NewHeader(msgType, session, username string) Header {
	return Header{
		MsgID:    NewID(),
		Session:  session,
		Username: username,
		Date:     time.Now().UTC().Format(DateFormat),
		MsgType:  msgType,
		Version:  ProtocolVersion,
	}
}

// New builds a message of msgType with content (any JSON-encodable value)
// answering parent (may be nil), sent with the given identities.
func New(msgType, session, username string, parent *Header, identities [][]byte, content any) (*Message, error) {
	c, err := json.Marshal(content)
	if err != nil {
		return nil, fmt.Errorf("encoding %s content: %w", msgType, err)
	}
	if len(c) == 0 || c[0] != '{' {
		if string(c) == "null" {
			c = []byte("{}")
		} else {
			return nil, fmt.Errorf("%s content must be a JSON object, got %.20s", msgType, c)
		}
	}
	return &Message{
		Identities: identities,
		Header:     NewHeader(msgType, session, username),
		Parent:     parent,
		Content:    c,
	}, nil
}

// DecodeContent unmarshals the message's content into v.
func (m *Message) DecodeContent(v any) error {
	if err := json.Unmarshal(m.Content, v); err != nil {
		return fmt.Errorf("%s content: %w", m.Header.MsgType, err)
	}
	return nil
}

// Parse errors. Parse wraps them with details; test with errors.Is.
var (
	ErrNoDelimiter   = errors.New("missing <IDS|MSG> delimiter")
	ErrTooFewFrames  = errors.New("too few frames")
	ErrInvalidJSON   = errors.New("invalid JSON")
	ErrMissingHeader = errors.New("incomplete header")
)

// Parse decodes the frames of a multipart message: identities, delimiter,
// signature, header, parent header, metadata, content, buffers. The
// signature is verified with s (nil or empty key: not checked). The header
// must carry msg_type and msg_id; parent header and metadata must be JSON
// objects (possibly empty); content must be a JSON object. O(total size).
func Parse(frames [][]byte, s *Signer) (*Message, error) {
	d := -1
	for i, f := range frames {
		if bytes.Equal(f, Delimiter) {
			d = i
			break
		}
	}
	if d < 0 {
		return nil, fmt.Errorf("%w in %d frames", ErrNoDelimiter, len(frames))
	}
	rest := frames[d+1:]
	if len(rest) < 5 {
		return nil, fmt.Errorf("%w: %d after the delimiter, want at least 5 (signature, header, parent_header, metadata, content)", ErrTooFewFrames, len(rest))
	}
	sig, header, parent, metadata, content := rest[0], rest[1], rest[2], rest[3], rest[4]
	if err := s.Verify(sig, header, parent, metadata, content); err != nil {
		return nil, err
	}
	m := &Message{Signature: string(sig)}
	if d > 0 {
		m.Identities = make([][]byte, d)
		copy(m.Identities, frames[:d])
	}
	if err := decodeObject(header, &m.Header); err != nil {
		return nil, fmt.Errorf("%w in header: %v", ErrInvalidJSON, err)
	}
	if m.Header.MsgType == "" || m.Header.MsgID == "" {
		return nil, fmt.Errorf("%w: msg_type and msg_id are required", ErrMissingHeader)
	}
	var ph Header
	if err := decodeObject(parent, &ph); err != nil {
		return nil, fmt.Errorf("%w in parent_header: %v", ErrInvalidJSON, err)
	}
	if ph != (Header{}) {
		m.Parent = &ph
	}
	if err := decodeObject(metadata, &m.Metadata); err != nil {
		return nil, fmt.Errorf("%w in metadata: %v", ErrInvalidJSON, err)
	}
	var probe map[string]json.RawMessage
	if err := decodeObject(content, &probe); err != nil {
		return nil, fmt.Errorf("%w in content: %v", ErrInvalidJSON, err)
	}
	if len(bytes.TrimSpace(content)) == 0 {
		content = []byte("{}")
	}
	m.Content = append(json.RawMessage(nil), content...)
	if len(rest) > 5 {
		m.Buffers = rest[5:]
	}
	return m, nil
}

// decodeObject decodes a JSON object frame; an empty frame counts as {}.
func decodeObject(frame []byte, v any) error {
	t := bytes.TrimSpace(frame)
	if len(t) == 0 {
		return nil
	}
	if t[0] != '{' {
		return fmt.Errorf("want a JSON object, got %.20q", t)
	}
	return json.Unmarshal(t, v)
}

// Frames serialises the message into multipart frames, signed with s.
func (m *Message) Frames(s *Signer) ([][]byte, error) {
	header, err := json.Marshal(m.Header)
	if err != nil {
		return nil, fmt.Errorf("encoding header: %w", err)
	}
	parent := []byte("{}")
	if m.Parent != nil {
		if parent, err = json.Marshal(m.Parent); err != nil {
			return nil, fmt.Errorf("encoding parent_header: %w", err)
		}
	}
	metadata := []byte("{}")
	if len(m.Metadata) > 0 {
		if metadata, err = json.Marshal(m.Metadata); err != nil {
			return nil, fmt.Errorf("encoding metadata: %w", err)
		}
	}
	content := []byte(m.Content)
	if len(content) == 0 {
		content = []byte("{}")
	}
	frames := make([][]byte, 0, len(m.Identities)+6+len(m.Buffers))
	frames = append(frames, m.Identities...)
	frames = append(frames, Delimiter, []byte(s.Sign(header, parent, metadata, content)),
		header, parent, metadata, content)
	frames = append(frames, m.Buffers...)
	return frames, nil
}
