package display

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/subspace-kernel/subspace/native/progress"
)

// ProgressInterval is the minimum time between two updates a Progress
// publishes (the final update is always published): at most 10 a second.
const ProgressInterval = 100 * time.Millisecond

// Progress is a progress bar shown as one output that is updated in place
// (update_display_data). Long native work reports through Func; the bar
// shows the fraction done, the rate and the time left, and ends with Done
// (100%) or Fail (the error, e.g. an interrupt). In a client that shows only
// text, the text/plain twin reads like
//
//	kNN  45% |█████████           | 450/1000 [3.1s<3.8s, 145.2/s]
//
// Safe for concurrent use: native workers may report from many goroutines.
type Progress struct {
	mu        sync.Mutex
	name      string
	id        string
	total     int
	done      int
	start     time.Time
	lastPub   time.Time
	published int // number of updates published (for tests and stats)
	finished  bool
	err       error
	end       time.Time
	now       func() time.Time
	pubErr    error
	// completeShown is set once the state done >= total was published
	// (published at once, then throttled like any other update).
	completeShown bool
}

// NewProgress shows a new progress bar named name for total units of work
// (total <= 0 when unknown: the bar then shows only the count and rate).
// Errors of the publisher are kept and returned by Done or Fail.
func NewProgress(name string, total int) *Progress {
	return newProgress(name, total, time.Now)
}

func newProgress(name string, total int, now func() time.Time) *Progress {
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	p := &Progress{name: name, total: total, now: now, id: "subspace-progress-" + hex.EncodeToString(rnd[:])}
	p.start = now()
	p.lastPub = p.start
	p.pubErr = CurrentPublisher().Display(p.bundleLocked(), p.id)
	p.published++
	return p
}

// ID returns the display id of the bar's output.
func (p *Progress) ID() string { return p.id }

// Func returns a progress.Func to pass to native code: each call records
// done (and total when positive) and publishes at most every
// ProgressInterval. When the running cell has been interrupted
// (progress.Check), the bar finishes as failed and the call returns the
// cancellation error so that the native routine stops.
func (p *Progress) Func() progress.Func {
	return func(done, total int) error {
		if err := progress.Check(); err != nil {
			_ = p.Fail(err)
			return err
		}
		p.report(done, total, false)
		return nil
	}
}

// Set records that done units are finished and publishes if the last
// update is older than ProgressInterval or the work is complete. O(1)
// between publications.
func (p *Progress) Set(done int) { p.report(done, 0, false) }

// Add records n more finished units (see Set); concurrent Adds all count.
func (p *Progress) Add(n int) { p.report(n, 0, true) }

// report sets (or, with add, increments) the done count and publishes
// when due.
func (p *Progress) report(done, total int, add bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.finished {
		return
	}
	if total > 0 {
		p.total = total
	}
	if add {
		done += p.done
	}
	p.done = max(done, 0)
	t := p.now()
	complete := p.total > 0 && p.done >= p.total && !p.completeShown
	if complete || t.Sub(p.lastPub) >= ProgressInterval {
		p.completeShown = p.completeShown || complete
		p.lastPub = t
		p.publishLocked()
	}
}

func (p *Progress) publishLocked() {
	if err := CurrentPublisher().Update(p.bundleLocked(), p.id); err != nil && p.pubErr == nil {
		p.pubErr = err
	}
	p.published++
}

// Done finishes the bar at 100% (the done count becomes the total) and
// publishes the final state. It returns the first publisher error, if any.
// Calling Done or Fail again does nothing.
func (p *Progress) Done() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.finished {
		return p.pubErr
	}
	if p.total > 0 {
		p.done = p.total
	} else {
		p.total = p.done
	}
	p.finished = true
	p.end = p.now()
	p.publishLocked()
	return p.pubErr
}

// Fail finishes the bar where it stands, showing err (or "stopped" when err
// is nil), and publishes the final state. It returns the first publisher
// error, if any.
func (p *Progress) Fail(err error) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.finished {
		return p.pubErr
	}
	if err == nil {
		err = errors.New("stopped")
	}
	p.finished, p.err, p.end = true, err, p.now()
	p.publishLocked()
	return p.pubErr
}

// Track shows a progress bar named name while fn runs with the bar's Func,
// then finishes it with Done when fn returns nil and with Fail otherwise. It
// returns fn's error. Typical use from a cell:
//
//	err := display.Track("kNN", queries.RawMatrix().Rows, func(f progress.Func) error {
//		_, err := knn.Search(data, queries, knn.Options{K: 10, Progress: f})
//		return err
//	})
//
// (ExampleTrack compiles it against the real knn.Search.)
func Track(name string, total int, fn func(progress.Func) error) error {
	p := NewProgress(name, total)
	if err := fn(p.Func()); err != nil {
		_ = p.Fail(err)
		return err
	}
	return p.Done()
}

// Fraction returns the fraction done in [0,1] (0 when the total is unknown).
func (p *Progress) Fraction() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.fractionLocked()
}

func (p *Progress) fractionLocked() float64 {
	if p.total <= 0 {
		return 0
	}
	return math.Min(1, float64(p.done)/float64(p.total))
}

// DisplayBundle implements Renderer: text/html (a bar with the fraction,
// counts, rate and time left) and a text/plain twin.
func (p *Progress) DisplayBundle() Bundle {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.bundleLocked()
}

func fmtDuration(d time.Duration) string {
	s := d.Seconds()
	switch {
	case s < 60:
		return fmt.Sprintf("%.1fs", s)
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", int(s)/60, int(s)%60)
	default:
		return fmt.Sprintf("%dh%02dm", int(s)/3600, int(s)%3600/60)
	}
}

// stats returns elapsed, rate (units per second) and the time left (-1
// when unknown).
func (p *Progress) statsLocked() (elapsed time.Duration, rate float64, left time.Duration) {
	end := p.now()
	if p.finished {
		end = p.end
	}
	elapsed = end.Sub(p.start)
	left = -1
	if elapsed > 0 {
		rate = float64(p.done) / elapsed.Seconds()
	}
	if rate > 0 && p.total > 0 && !p.finished {
		left = time.Duration(float64(p.total-p.done) / rate * float64(time.Second))
	}
	return
}

func (p *Progress) statusLocked() (pct string, detail string) {
	elapsed, rate, left := p.statsLocked()
	frac := p.fractionLocked()
	pct = fmt.Sprintf("%3.0f%%", 100*frac)
	if p.total <= 0 {
		pct = ""
	}
	count := fmt.Sprintf("%d", p.done)
	if p.total > 0 {
		count = fmt.Sprintf("%d/%d", p.done, p.total)
	}
	timing := fmtDuration(elapsed)
	if left >= 0 {
		timing += "<" + fmtDuration(left)
	}
	detail = fmt.Sprintf("%s [%s, %s/s]", count, timing, FormatFloat(rate, 4))
	switch {
	case p.err != nil:
		detail += " failed: " + p.err.Error()
	case p.finished:
		detail += " done"
	}
	return pct, detail
}

func (p *Progress) bundleLocked() Bundle {
	pct, detail := p.statusLocked()
	frac := p.fractionLocked()
	const width = 20
	filled := int(math.Round(frac * width))
	if p.total <= 0 {
		filled = 0
	}
	text := strings.TrimSpace(fmt.Sprintf("%s %s |%s%s| %s", p.name, pct,
		strings.Repeat("█", filled), strings.Repeat(" ", width-filled), detail))
	color := "#4c78a8"
	state := "running"
	switch {
	case p.err != nil:
		color, state = "#d62728", "failed"
	case p.finished:
		color, state = "#2ca02c", "done"
	}
	html := fmt.Sprintf(`<div class="subspace-progress" data-state="%s" data-fraction="%.4f" style="display:flex;align-items:center;gap:8px;font-family:monospace;font-size:12px">`+
		`<span>%s</span><span style="display:inline-block;position:relative;width:240px;height:12px;background:#e5e5e5;border-radius:3px;overflow:hidden">`+
		`<span style="position:absolute;left:0;top:0;bottom:0;width:%.2f%%;background:%s"></span></span>`+
		`<span class="subspace-progress-pct">%s</span><span>%s</span></div>`,
		state, frac, EscapeHTML(p.name), 100*frac, color, EscapeHTML(strings.TrimSpace(pct)), EscapeHTML(detail))
	return Bundle{Data: map[string]any{"text/html": html, "text/plain": text}}
}
