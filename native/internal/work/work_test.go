package work

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

// TestRangeCovers checks that every index is visited exactly once, in
// contiguous chunks no more numerous than the workers, for sizes below,
// at and above the worker count.
func TestRangeCovers(t *testing.T) {
	for _, c := range []struct{ n, w int }{{0, 4}, {1, 4}, {3, 4}, {4, 4}, {10, 3}, {1000, 7}, {5, 1}, {9, 0}} {
		seen := make([]int32, c.n)
		var calls atomic.Int32
		Range(c.n, c.w, func(lo, hi int) {
			calls.Add(1)
			if lo >= hi {
				t.Errorf("n=%d w=%d: empty chunk [%d, %d)", c.n, c.w, lo, hi)
			}
			for i := lo; i < hi; i++ {
				atomic.AddInt32(&seen[i], 1)
			}
		})
		for i, s := range seen {
			if s != 1 {
				t.Fatalf("n=%d w=%d: index %d visited %d times", c.n, c.w, i, s)
			}
		}
		if want := min(Workers(c.w), c.n); int(calls.Load()) != want {
			t.Errorf("n=%d w=%d: %d chunks, want %d", c.n, c.w, calls.Load(), want)
		}
	}
}

// TestRangeErrLowest checks that the error of the lowest failing chunk is
// returned although a later chunk fails too.
func TestRangeErrLowest(t *testing.T) {
	err := RangeErr(100, 4, func(lo, hi int) error {
		if lo >= 25 {
			return fmt.Errorf("chunk at %d", lo)
		}
		return nil
	})
	if err == nil || err.Error() != "chunk at 25" {
		t.Errorf("error %v, want the chunk at 25", err)
	}
	if err := RangeErr(10, 3, func(lo, hi int) error { return nil }); err != nil {
		t.Errorf("no failure: %v", err)
	}
}

// TestQueue checks that every task runs once with per-goroutine state,
// that progress sees the running total of units ending at the total, and
// that a task error or a progress error stops the hand-out.
func TestQueue(t *testing.T) {
	const n = 50
	ran := make([]int32, n)
	var mu sync.Mutex
	var reports []int
	var tasks atomic.Int32
	err := Queue(n, 3, func(done, total int) error {
		mu.Lock()
		defer mu.Unlock()
		if total != 2*n {
			t.Errorf("total %d, want %d", total, 2*n)
		}
		reports = append(reports, done)
		return nil
	}, 2*n, func() func(int) (int, error) {
		tasks.Add(1)
		scratch := make([]int, 1)
		return func(i int) (int, error) {
			scratch[0]++
			atomic.AddInt32(&ran[i], 1)
			return 2, nil
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range ran {
		if r != 1 {
			t.Fatalf("index %d ran %d times", i, r)
		}
	}
	if tasks.Load() != 3 {
		t.Errorf("%d tasks built, want 3 (one per goroutine)", tasks.Load())
	}
	if len(reports) != n || reports[n-1] != 2*n {
		t.Fatalf("%d reports ending at %v, want %d ending at %d", len(reports), reports[len(reports)-1], n, 2*n)
	}
	for i := 1; i < n; i++ {
		if reports[i] != reports[i-1]+2 {
			t.Fatalf("report %d: %d after %d", i, reports[i], reports[i-1])
		}
	}

	stop := errors.New("stop")
	var count atomic.Int32
	err = Queue(1000, 2, nil, 1000, func() func(int) (int, error) {
		return func(i int) (int, error) {
			count.Add(1)
			if i == 10 {
				return 0, stop
			}
			return 1, nil
		}
	})
	if !errors.Is(err, stop) || count.Load() > 20 {
		t.Errorf("task error: %v after %d tasks, want stop soon after index 10", err, count.Load())
	}
	count.Store(0)
	err = Queue(1000, 2, func(done, _ int) error {
		if done >= 5 {
			return stop
		}
		return nil
	}, 1000, func() func(int) (int, error) {
		return func(int) (int, error) { count.Add(1); return 1, nil }
	})
	if !errors.Is(err, stop) || count.Load() > 10 {
		t.Errorf("progress error: %v after %d tasks, want stop soon after 5", err, count.Load())
	}
	if err := Queue(0, 4, nil, 0, func() func(int) (int, error) {
		t.Error("task built for an empty queue")
		return nil
	}); err != nil {
		t.Error(err)
	}
}
