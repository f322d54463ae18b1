package kernel

import (
	"bytes"
	"errors"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/subspace-kernel/subspace/api"
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
	s.k.publish(s.parent, wire.Stream{Name: s.name, Text: text})
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

// sink is the engine's api.Sink: streams and displays go to iopub with the
// current (or last) execute request as parent, input requests to the
// client's stdin channel.
type sink struct{ k *server }

// Stream buffers text of a stream (see streams).
func (s sink) Stream(name, text string) { s.k.streams.write(name, []byte(text)) }

func (s sink) Display(b api.Bundle, id string) error {
	s.k.streams.Flush()
	s.k.publish(s.k.outputParent(), wire.NewDisplayData(b, id))
	return nil
}

func (s sink) Update(b api.Bundle, id string) error {
	if id == "" {
		return errors.New("display: Update needs a display id")
	}
	s.k.streams.Flush()
	s.k.publish(s.k.outputParent(), wire.UpdateDisplayData(wire.NewDisplayData(b, id)))
	return nil
}

func (s sink) ClearOutput(wait bool) error {
	s.k.streams.Flush()
	s.k.publish(s.k.outputParent(), wire.ClearOutput{Wait: wait})
	return nil
}

// Input asks the client for a line of input (input_request on the stdin
// socket, to the identity of the executing shell request), the prompt
// being the unterminated last line the cell printed followed by prompt.
func (s sink) Input(prompt string, password bool) (string, error) {
	k := s.k
	req := k.current()
	if req == nil || !req.allowStdin {
		return "", ErrNoStdin
	}
	// A prompt the cell printed just before reading may still be on its way
	// through the engine's output pipes: give it a moment (input is human
	// paced).
	time.Sleep(inputSettle)
	prompt = k.streams.takePrompt() + prompt
	// Forget replies to earlier requests.
	select {
	case <-k.inputReply:
	default:
	}
	content := wire.InputRequest{Prompt: prompt, Password: password}
	m, err := wire.New(content.MsgType(), k.session, "kernel", &req.msg.Header, req.msg.Identities, content)
	if err != nil {
		return "", err
	}
	// Sent asynchronously: a ROUTER socket that never had a peer blocks in
	// Send, and an interrupt must still end the wait.
	go k.send(k.stdin, m)
	select {
	case rep := <-k.inputReply:
		var c struct {
			Value string `json:"value"`
		}
		if err := rep.DecodeContent(&c); err != nil {
			return "", err
		}
		return c.Value, nil
	case <-req.ctx.Done():
		return "", errors.New("input interrupted")
	}
}
