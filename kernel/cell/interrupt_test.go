package cell

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/subspace-kernel/subspace/native/knn"
	"github.com/subspace-kernel/subspace/native/progress"
	"github.com/traefik/yaegi/interp"
	"gonum.org/v1/gonum/mat"
)

// TestInterruptBlockedNextCell interrupts cells blocked in compiled code
// for longer than the grace period (a sleep of an hour, a WaitGroup and a
// mutex that nothing will release) and checks that the next cell runs at
// once and the state survives.
func TestInterruptBlockedNextCell(t *testing.T) {
	s, _, _ := newSession(t)
	if r := s.Execute(context.Background(), "import (\n\t\"sync\"\n\t\"time\"\n)\nx := 5"); r.Err != nil {
		t.Fatal(r.Err)
	}
	for _, c := range []struct{ name, code string }{
		{"sleep an hour", "time.Sleep(time.Hour)\nx = 1"},
		{"WaitGroup", "var wg sync.WaitGroup\nwg.Add(1)\nwg.Wait()\nx = 2"},
		{"locked mutex", "var mu sync.Mutex\nmu.Lock()\nmu.Lock()\nx = 3"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(100*time.Millisecond, cancel)
			if r := s.Execute(ctx, c.code); r.Err == nil || r.Err.Name != "Interrupted" {
				t.Fatalf("got %+v, want Interrupted", r)
			}
			done := make(chan Result, 1)
			go func() { done <- s.Execute(context.Background(), "x") }()
			select {
			case r := <-done:
				if r.Err != nil || fmt.Sprint(r.Value) != "5" {
					t.Fatalf("next cell: x = %v, err %v", r.Value, r.Err)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("the next cell waits for the interrupted one")
			}
		})
	}
}

// TestInterruptReachesNativeCode interrupts a kNN search whose progress
// callback blocks past the grace period: the search must still see the
// cancellation when it checks again (the progress context stays cancelled
// while the interrupted evaluation runs), and the next cell waits for it
// to return.
func TestInterruptReachesNativeCode(t *testing.T) {
	s, _, _ := newSession(t)
	var searchErr atomic.Value
	var returned atomic.Bool
	search := func() {
		x := mat.NewDense(3000, 4, nil)
		for i := range 3000 {
			x.Set(i, i%4, float64(i))
		}
		first := true
		_, err := knn.SearchSelf(x, knn.Options{K: 2, Workers: 1, Progress: func(done, total int) error {
			if first {
				first = false
				t.Logf("progress %d/%d: sleeping", done, total)
				time.Sleep(1500 * time.Millisecond) // past the grace period
			}
			return nil
		}})
		if err != nil {
			searchErr.Store(err)
		}
		returned.Store(true)
	}
	if err := s.Use(interp.Exports{"example.com/slow/slow": {"Search": reflect.ValueOf(search)}}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	if r := s.Execute(ctx, "import \"example.com/slow\"\nslow.Search()"); r.Err == nil || r.Err.Name != "Interrupted" {
		t.Fatalf("got %+v, want Interrupted", r)
	}
	if r := s.Execute(context.Background(), "1 + 1"); r.Err != nil || fmt.Sprint(r.Value) != "2" {
		t.Fatalf("next cell: %v %v", r.Value, r.Err)
	}
	if !returned.Load() {
		t.Fatal("the next cell ran while the interrupted search was still running")
	}
	err, _ := searchErr.Load().(error)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("the search returned %v, want the cancellation", err)
	}
	if progress.Check() != nil {
		t.Fatal("progress context still cancelled after the next cell")
	}
}

// TestInterruptedSleepDoesNotResume interrupts a cell in time.Sleep and
// checks that the rest of the cell never runs, even after the sleep would
// have ended (yaegi resumes the top-level statements of an abandoned
// evaluation when its blocking call returns), and that a goroutine's
// sleep is not cut by the end of its cell.
func TestInterruptedSleepDoesNotResume(t *testing.T) {
	s, out, _ := newSession(t)
	s.Execute(context.Background(), "import (\n\t\"fmt\"\n\t\"time\"\n)\nbg := 0")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	if r := s.Execute(ctx, "w := 10\ntime.Sleep(1500 * time.Millisecond)\nfmt.Println(\"woke\")\nw = 11"); r.Err == nil || r.Err.Name != "Interrupted" {
		t.Fatalf("got %+v, want Interrupted", r.Err)
	}
	if r := s.Execute(context.Background(), "w = 20\ngo func() {\n\ttime.Sleep(500 * time.Millisecond)\n\tbg = 1\n}()"); r.Err != nil {
		t.Fatal(r.Err)
	}
	time.Sleep(2 * time.Second)
	if r := s.Execute(context.Background(), "fmt.Sprint(w, bg)"); r.Err != nil || r.Value != "20 1" || strings.Contains(out.String(), "woke") {
		t.Fatalf("w, bg = %v (%v); output %q: the interrupted cell resumed, or the goroutine's sleep was cut", r.Value, r.Err, out.String())
	}
}
