package kernel

import (
	"bytes"
	"errors"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/subspace-kernel/subspace/display"
	"github.com/subspace-kernel/subspace/kernel/wire"
)

const (
	// flushDelay is how long stream output may wait in the buffer.
	flushDelay = 50 * time.Millisecond
	// flushSize is the buffered size that triggers an immediate flush.
	flushSize = 16 << 10
	// inputSettle is the wait before an input_request takes the prompt.
	inputSettle = 20 * time.Millisecond
)

// streams buffers the cells' stdout and stderr and publishes them as
// iopub stream messages while cells run: at most flushDelay after the first
// buffered byte, at once when flushSize bytes are buffered, and whenever
// the other stream, the parent request, or another kind of output comes
// next (so that the order of outputs is kept). Text is cut only at UTF-8
// character boundaries.
type streams struct {
	k      *server
	mu     sync.Mutex
	name   string // stream of buf
	parent *wire.Header
	buf    []byte
	timer  *time.Timer
}

type streamWriter struct {
	s    *streams
	name string
}

// Write implements io.Writer; it never fails.
func (w streamWriter) Write(p []byte) (int, error) {
	w.s.write(w.name, p)
	return len(p), nil
}

func (s *streams) write(name string, p []byte) {
	if len(p) == 0 {
		return
	}
	parent := s.k.outputParent()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.buf) > 0 && (name != s.name || parent != s.parent) {
		s.flushLocked(true)
	}
	s.name, s.parent = name, parent
	s.buf = append(s.buf, p...)
	if len(s.buf) >= flushSize {
		s.flushLocked(false)
		return
	}
	if s.timer == nil {
		s.timer = time.AfterFunc(flushDelay, s.Flush)
	}
}

// Flush publishes everything buffered.
func (s *streams) Flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flushLocked(true)
}

// flushLocked publishes the buffer; unless all, an incomplete UTF-8
// sequence at the end stays buffered.
func (s *streams) flushLocked(all bool) {
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	n := len(s.buf)
	if !all {
		n = completeUTF8(s.buf)
	}
	if n == 0 {
		return
	}
	text := string(s.buf[:n])
	s.buf = append(s.buf[:0], s.buf[n:]...)
	s.k.publish(s.parent, "stream", map[string]any{"name": s.name, "text": text})
	if len(s.buf) > 0 {
		s.timer = time.AfterFunc(flushDelay, s.Flush)
	}
}

// takePrompt removes and returns the unterminated last line of buffered
// stdout (what a cell printed just before reading input), flushing the
// rest.
func (s *streams) takePrompt() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.name != "stdout" || len(s.buf) == 0 {
		s.flushLocked(true)
		return ""
	}
	i := bytes.LastIndexByte(s.buf, '\n') + 1
	prompt := string(s.buf[i:])
	s.buf = s.buf[:i]
	s.flushLocked(true)
	return prompt
}

// completeUTF8 returns the length of the longest prefix of b that does not
// end inside a UTF-8 sequence.
func completeUTF8(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if utf8.FullRune(b[i:]) {
				return len(b)
			}
			return i
		}
	}
	return len(b)
}

// ErrNoStdin is returned by reads of stdin when the executing request did
// not allow input.
var ErrNoStdin = errors.New("stdin is not available: the client did not allow input")

// stdinReader asks the client for a line of input (input_request on the
// stdin socket, to the identity of the executing shell request) whenever a
// cell reads past what it already received.
type stdinReader struct {
	k       *server
	mu      sync.Mutex
	pending []byte
}

// Read implements io.Reader.
func (r *stdinReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(p) == 0 {
		return 0, nil
	}
	if len(r.pending) == 0 {
		line, err := r.k.requestInput()
		if err != nil {
			return 0, err
		}
		r.pending = append(r.pending, line...)
	}
	n := copy(p, r.pending)
	r.pending = r.pending[n:]
	return n, nil
}

func (k *server) requestInput() (string, error) {
	req := k.current()
	if req == nil || !req.allowStdin {
		return "", ErrNoStdin
	}
	// A prompt the cell printed just before reading may still be on its way
	// through the engine's output pipes: give it a moment (input is human
	// paced).
	time.Sleep(inputSettle)
	prompt := k.streams.takePrompt()
	// Forget replies to earlier requests.
	select {
	case <-k.inputReply:
	default:
	}
	m, err := wire.New("input_request", k.session, "kernel", &req.msg.Header, req.msg.Identities,
		map[string]any{"prompt": prompt, "password": false})
	if err != nil {
		return "", err
	}
	// Sent asynchronously: a ROUTER socket that never had a peer blocks in
	// Send, and an interrupt must still end the wait.
	go k.send(k.stdin, &k.stdinMu, m)
	select {
	case rep := <-k.inputReply:
		var c struct {
			Value string `json:"value"`
		}
		if err := rep.DecodeContent(&c); err != nil {
			return "", err
		}
		return c.Value + "\n", nil
	case <-req.ctx.Done():
		return "", errors.New("input interrupted")
	}
}

// publisher implements display.Publisher on iopub, with the current (or
// last) execute request as parent.
type publisher struct{ k *server }

func transient(id string) map[string]any {
	if id == "" {
		return map[string]any{}
	}
	return map[string]any{"display_id": id}
}

func (p publisher) Display(b display.Bundle, id string) error {
	p.k.streams.Flush()
	p.k.publish(p.k.outputParent(), "display_data", map[string]any{
		"data": dataOf(b), "metadata": metadataOf(b), "transient": transient(id),
	})
	return nil
}

func (p publisher) Update(b display.Bundle, id string) error {
	if id == "" {
		return errors.New("display: Update needs a display id")
	}
	p.k.streams.Flush()
	p.k.publish(p.k.outputParent(), "update_display_data", map[string]any{
		"data": dataOf(b), "metadata": metadataOf(b), "transient": transient(id),
	})
	return nil
}

func (p publisher) ClearOutput(wait bool) error {
	p.k.streams.Flush()
	p.k.publish(p.k.outputParent(), "clear_output", map[string]any{"wait": wait})
	return nil
}

func dataOf(b display.Bundle) map[string]any {
	if b.Data == nil {
		return map[string]any{}
	}
	return b.Data
}
