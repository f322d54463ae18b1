package engine

import (
	"sync"

	"github.com/subspace-kernel/subspace/api"
)

// streamWriter writes to a stream of a sink; it never fails.
type streamWriter struct {
	sink api.Sink
	name string
}

func (w streamWriter) Write(p []byte) (int, error) {
	if len(p) > 0 {
		w.sink.Stream(w.name, string(p))
	}
	return len(p), nil
}

// inputReader is the cells' stdin: whenever a cell reads past the line it
// already received, it asks the sink for another.
type inputReader struct {
	sink    api.Sink
	mu      sync.Mutex
	pending []byte
}

func (r *inputReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(p) == 0 {
		return 0, nil
	}
	if len(r.pending) == 0 {
		line, err := r.sink.Input("", false)
		if err != nil {
			return 0, err
		}
		r.pending = append(r.pending, line...)
		r.pending = append(r.pending, '\n')
	}
	n := copy(p, r.pending)
	r.pending = r.pending[n:]
	return n, nil
}
