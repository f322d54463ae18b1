package progress

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestReport checks the three outcomes of Report: the callback's own
// error, a panic of the callback returned as an error, and the
// cancellation of the context set with SetContext.
func TestReport(t *testing.T) {
	if err := Report(nil, 1, 2); err != nil {
		t.Fatal(err)
	}
	stop := errors.New("stop")
	if err := Report(func(done, total int) error { return stop }, 1, 2); err != stop {
		t.Fatalf("got %v, want the callback's error", err)
	}
	err := Report(func(done, total int) error { panic("boom") }, 1, 2)
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("got %v, want the panic as an error", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	SetContext(ctx)
	defer SetContext(nil)
	cancel()
	if err := Report(nil, 1, 2); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want the cancellation", err)
	}
}
