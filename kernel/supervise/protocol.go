package supervise

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sync"

	"github.com/subspace-kernel/subspace/api"
)

// The operations of the protocol between the kernel (K) and its worker
// (W): one JSON object a line on each of two pipes.
const (
	opExecute    = "execute"     // K->W: run a cell (ID, Code, Silent)
	opEvaluate   = "evaluate"    // K->W: evaluate an expression (ID, Code)
	opComplete   = "complete"    // K->W: complete (ID, Code, Cursor)
	opInspect    = "inspect"     // K->W: inspect (ID, Code, Cursor, Detail)
	opIsComplete = "is_complete" // K->W: is the code complete (ID, Code)
	opInterrupt  = "interrupt"   // K->W: cancel request ID
	opInputReply = "input_reply" // K->W: the answer to input request ID (Text, Error)
	opReply      = "reply"       // W->K: the answer to request ID
	opReady      = "ready"       // W->K: the engine is up (Error: it could not start)
	opStream     = "stream"      // W->K: Sink.Stream (Name, Text)
	opDisplay    = "display"     // W->K: Sink.Display (Bundle, DisplayID)
	opUpdate     = "update"      // W->K: Sink.Update (Bundle, DisplayID)
	opClear      = "clear"       // W->K: Sink.ClearOutput (Wait)
	opInput      = "input"       // W->K: Sink.Input (ID, Text = prompt, Password)
)

// message is one line of the protocol; the fields used depend on Op.
type message struct {
	Op         string             `json:"op"`
	ID         uint64             `json:"id,omitempty"`
	Code       string             `json:"code,omitempty"`
	Silent     bool               `json:"silent,omitempty"`
	Cursor     int                `json:"cursor,omitempty"`
	Detail     int                `json:"detail,omitempty"`
	Name       string             `json:"name,omitempty"`
	Text       string             `json:"text,omitempty"`
	Password   bool               `json:"password,omitempty"`
	Wait       bool               `json:"wait,omitempty"`
	DisplayID  string             `json:"display_id,omitempty"`
	Bundle     *api.Bundle        `json:"bundle,omitempty"`
	Result     *api.ExecuteResult `json:"result,omitempty"`
	Err        *api.Error         `json:"err,omitempty"`
	Error      string             `json:"error,omitempty"`
	Completion *api.Completion    `json:"completion,omitempty"`
	Inspection *api.Inspection    `json:"inspection,omitempty"`
	Status     string             `json:"status,omitempty"`
	Indent     string             `json:"indent,omitempty"`
}

// maxLine bounds one message (a display of a large chart, a long stream).
const maxLine = 1 << 30

// writer sends messages; safe for concurrent use.
type writer struct {
	mu  sync.Mutex
	w   *bufio.Writer
	enc *json.Encoder
}

func newWriter(w io.Writer) *writer {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &writer{w: bw, enc: enc}
}

// send writes m and flushes it.
func (w *writer) send(m *message) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.enc.Encode(m); err != nil {
		return err
	}
	return w.w.Flush()
}

// reader receives messages (one goroutine).
type reader struct{ s *bufio.Scanner }

func newReader(r io.Reader) *reader {
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 64<<10), maxLine)
	return &reader{s}
}

// next returns the next message, or an error at the end of the stream.
func (r *reader) next() (*message, error) {
	if !r.s.Scan() {
		if err := r.s.Err(); err != nil {
			return nil, err
		}
		return nil, io.EOF
	}
	m := &message{}
	if err := json.Unmarshal(r.s.Bytes(), m); err != nil {
		return nil, fmt.Errorf("supervise: bad message: %w", err)
	}
	return m, nil
}
