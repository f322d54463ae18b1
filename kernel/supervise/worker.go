package supervise

import (
	"os/exec"
	"strings"
	"sync"

	"github.com/subspace-kernel/subspace/api"
)

// lostState is said after every death of the worker.
const lostState = "The session's state (variables, imports, plugins loaded since the start) was lost; a fresh session is ready."

// worker is one worker process as the proxy sees it.
type worker struct {
	cmd      *exec.Cmd
	in       *writer
	inFile   interface{ Close() error }
	log      *stderrLog
	ready    chan struct{} // closed when the engine is up (or the worker died)
	startErr error         // the engine could not start (set before ready)
	up       bool          // the engine started (set before ready)
	dead     chan struct{} // closed when the process has ended
	mu       sync.Mutex
	pending  map[uint64]chan *message
	why      string     // set when the proxy killed the worker
	death    *api.Error // set before dead is closed
}

func (w *worker) register(id uint64) chan *message {
	c := make(chan *message, 1)
	w.mu.Lock()
	w.pending[id] = c
	w.mu.Unlock()
	return c
}

func (w *worker) unregister(id uint64) {
	w.mu.Lock()
	delete(w.pending, id)
	w.mu.Unlock()
}

func (w *worker) deliver(m *message) {
	w.mu.Lock()
	c := w.pending[m.ID]
	w.mu.Unlock()
	if c != nil {
		c <- m
	}
}

// busy tells whether a call waits for the worker.
func (w *worker) busy() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.pending) > 0
}

func (w *worker) reason() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.why
}

// kill ends the worker with SIGKILL, recording why.
func (w *worker) kill(why string) {
	w.mu.Lock()
	if w.why == "" {
		w.why = why
	}
	w.mu.Unlock()
	w.cmd.Process.Kill()
}

// died records the cause of the worker's end (after cmd.Wait) and closes
// dead.
func (w *worker) died() {
	lines := w.log.lines()
	c := cause(w.cmd.ProcessState, lines, w.reason())
	tb := []string{"FatalError: the engine process died: " + c}
	for _, l := range lines {
		tb = append(tb, "    "+strings.TrimRight(l, "\r"))
	}
	tb = append(tb, lostState)
	w.mu.Lock()
	w.death = &api.Error{Name: "FatalError", Value: c + ". " + lostState, Traceback: tb}
	w.mu.Unlock()
	close(w.dead)
}

// deathError is the error of the calls the death interrupted.
func (w *worker) deathError() *api.Error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.death == nil {
		return &api.Error{Name: "FatalError", Value: "the engine process died", Traceback: []string{"the engine process died"}}
	}
	return w.death
}
