package kernel

import (
	"sync"
	"time"
)

// Limits of the log about dropped messages: at most dropBurst lines per
// dropWindow, so that a peer sending garbage cannot flood the log.
const (
	dropBurst  = 10
	dropWindow = time.Minute
)

// dropLog counts the log lines about dropped messages in the current
// window. Safe for concurrent use.
type dropLog struct {
	mu         sync.Mutex
	start      time.Time // beginning of the window
	n          int       // lines logged in the window
	suppressed int       // drops not logged in the window
}

// allow reports whether a drop at now may be logged and, when now opens a
// new window, how many drops went unlogged in the previous one. O(1).
func (d *dropLog) allow(now time.Time) (ok bool, missed int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if now.Sub(d.start) >= dropWindow {
		missed = d.suppressed
		d.start, d.n, d.suppressed = now, 0, 0
	}
	if d.n < dropBurst {
		d.n++
		return true, missed
	}
	d.suppressed++
	return false, missed
}

// dropf logs a dropped message, within the limits of dropLog.
func (k *server) dropf(format string, args ...any) {
	ok, missed := k.drops.allow(time.Now())
	if missed > 0 {
		k.warnf("%d more dropped messages were not logged (at most %d lines per %v)", missed, dropBurst, dropWindow)
	}
	if ok {
		k.warnf(format, args...)
	}
}
