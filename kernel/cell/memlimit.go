package cell

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/subspace-kernel/subspace/api"
	"github.com/subspace-kernel/subspace/kernel/magic"
)

// memPoll is how often the memory guard reads the heap size.
const memPoll = 10 * time.Millisecond

// heapMetric is the heap memory occupied by objects, live or not yet
// swept (runtime/metrics).
const heapMetric = "/memory/classes/heap/objects:bytes"

// memGuard enforces %memlimit. The Go runtime cannot make an allocation
// fail: debug.SetMemoryLimit only makes the garbage collector work harder
// as the process approaches the limit, and an allocation the operating
// system refuses is a fatal error of the whole process. So the guard also
// polls the heap every memPoll while a cell runs and, once it exceeds the
// limit, stops the cell as an interrupt would, with a MemoryLimit error.
// A cell that allocates its way up (appending, allocating in a loop) is
// stopped within about memPoll of crossing the limit; a single allocation
// larger than what the machine can give still ends the process (which the
// supervising kernel then reports).
type memGuard struct {
	mu     sync.Mutex
	limit  int64 // bytes; 0: no limit
	cancel context.CancelCauseFunc
	start  int64 // heap when the running cell started
	stop   chan struct{}
}

// memSlack is how much a cell must have grown the heap before the guard
// stops it: a cell that starts above the limit (data kept from before) can
// still run, e.g. to free memory.
const memSlack = 16 << 20

// heapNow reads heapMetric. O(1).
func heapNow() int64 {
	s := []metrics.Sample{{Name: heapMetric}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64())
}

// fromEnv applies $SUBSPACE_MEMLIMIT (a size as %memlimit takes it, or
// off), the limit every session starts with; a bad value is reported on w.
func (g *memGuard) fromEnv(w io.Writer) {
	v := strings.TrimSpace(os.Getenv("SUBSPACE_MEMLIMIT"))
	if v == "" || v == "off" {
		return
	}
	n, err := parseBytes(v)
	if err != nil {
		fmt.Fprintf(w, "SUBSPACE_MEMLIMIT ignored: %v\n", err)
		return
	}
	g.set(n)
}

// memLimitError is the cause of a cell stopped by the guard.
type memLimitError struct{ heap, limit int64 }

func (e memLimitError) Error() string {
	return fmt.Sprintf("the cell's heap reached %s, above the limit of %s set by %%memlimit", formatBytes(e.heap), formatBytes(e.limit))
}

// watch returns the context of a cell that the guard may stop, and the
// function to call when the cell has ended: it turns the interrupt of a
// stopped cell into a MemoryLimit error.
func (g *memGuard) watch(ctx context.Context) (context.Context, func(*Result)) {
	cctx, cancel := context.WithCancelCause(ctx)
	g.mu.Lock()
	g.cancel = cancel
	if g.limit > 0 {
		g.start = heapNow()
	}
	g.mu.Unlock()
	return cctx, func(r *Result) {
		g.mu.Lock()
		g.cancel = nil
		g.mu.Unlock()
		var me memLimitError
		if errors.As(context.Cause(cctx), &me) {
			// what the stopped cell allocated is garbage now: collect it
			// before the next cell, and give it back to the system
			debug.FreeOSMemory()
		}
		if errors.As(context.Cause(cctx), &me) && r.Err != nil {
			r.Err = &api.Error{Name: "MemoryLimit", Value: me.Error(),
				Traceback: []string{"MemoryLimit: " + me.Error(), "the cell was stopped; the state from before it is kept (raise the limit with %memlimit SIZE, or %memlimit off)"}}
		}
		cancel(nil)
	}
}

// set changes the limit (0: none) and starts or stops the polling
// goroutine.
func (g *memGuard) set(limit int64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.stop != nil {
		close(g.stop)
		g.stop = nil
	}
	g.limit = limit
	if limit <= 0 {
		debug.SetMemoryLimit(math.MaxInt64)
		return
	}
	debug.SetMemoryLimit(limit)
	g.stop = make(chan struct{})
	go g.poll(limit, g.stop)
}

// poll stops the running cell whenever the heap exceeds limit.
func (g *memGuard) poll(limit int64, stop chan struct{}) {
	s := []metrics.Sample{{Name: heapMetric}}
	t := time.NewTicker(memPoll)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		metrics.Read(s)
		g.mu.Lock()
		start := g.start
		g.mu.Unlock()
		if !over(int64(s[0].Value.Uint64()), limit, start) {
			continue
		}
		runtime.GC() // garbage is not use: count what is live
		heap := heapNow()
		g.mu.Lock()
		if g.cancel != nil && over(heap, limit, g.start) {
			g.cancel(memLimitError{heap: heap, limit: limit})
			g.cancel = nil
		}
		g.mu.Unlock()
	}
}

// over tells whether heap exceeds limit by the doing of the running
// cell, which started with the heap at start.
func over(heap, limit, start int64) bool {
	return heap > limit && heap > start+memSlack
}

// memlimitMagic is %memlimit [SIZE | off].
func (g *memGuard) magic() magic.Magic {
	return magic.Magic{Name: "memlimit", Help: "%memlimit SIZE (e.g. 4GiB, 500MB) stops a cell whose heap grows past SIZE with an error; %memlimit off; %memlimit shows it",
		Run: func(ctx context.Context, s magic.Session, args, body string) error {
			return g.run(s.Stdout(), strings.TrimSpace(args))
		}}
}

func (g *memGuard) run(w io.Writer, args string) error {
	switch args {
	case "":
	case "off", "none", "0":
		g.set(0)
	default:
		n, err := parseBytes(args)
		if err != nil {
			return err
		}
		g.set(n)
	}
	s := []metrics.Sample{{Name: heapMetric}}
	metrics.Read(s)
	g.mu.Lock()
	limit := g.limit
	g.mu.Unlock()
	heap := formatBytes(int64(s[0].Value.Uint64()))
	if limit == 0 {
		fmt.Fprintf(w, "memory limit: none (heap %s)\n", heap)
	} else {
		fmt.Fprintf(w, "memory limit: %s (heap %s); a cell whose heap grows past it is stopped\n", formatBytes(limit), heap)
	}
	return nil
}

// byteUnits are the suffixes parseBytes accepts (case-insensitive).
var byteUnits = []struct {
	suffix string
	mult   float64
}{
	{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40},
	{"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12},
	{"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"t", 1 << 40}, {"b", 1},
}

// parseBytes reads a size such as 4GiB, 1.5G, 500MB or 1048576.
func parseBytes(s string) (int64, error) {
	t := strings.ToLower(strings.ReplaceAll(s, " ", ""))
	mult := 1.0
	for _, u := range byteUnits {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSuffix(t, u.suffix), u.mult
			break
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || !(v > 0) || v*mult > math.MaxInt64/2 {
		return 0, fmt.Errorf("%%memlimit: cannot read the size %q (examples: 4GiB, 1.5G, 500MB, off)", s)
	}
	if v*mult < 16<<20 {
		return 0, fmt.Errorf("%%memlimit: %s is below 16 MiB, too small for the kernel itself", s)
	}
	return int64(v * mult), nil
}

// formatBytes prints n in binary units.
func formatBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KiB", n>>10)
}
