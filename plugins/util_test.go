package plugins

import (
	"bytes"
	"context"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"sync"
	"testing"

	"github.com/subspace-kernel/subspace/kernel/cell"
	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

func runtimeVersion() string { return runtime.Version() }

func reflectValueOf(v any) reflect.Value { return reflect.ValueOf(v) }

func kernelSettings(t *testing.T) map[string]string {
	t.Helper()
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		t.Fatal("no build info in the test binary")
	}
	return settings(bi)
}

func dirOf(file string) string { return filepath.Dir(file) }

func newInterp(t *testing.T) *interp.Interpreter {
	t.Helper()
	in := interp.New(interp.Options{})
	for _, e := range append([]interp.Exports{stdlib.Symbols}, Symbols()...) {
		if err := in.Use(e); err != nil {
			t.Fatal(err)
		}
	}
	return in
}

// syncBuffer is a bytes.Buffer safe for the session's writer goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func newSession(t *testing.T, cfg Config) (*cell.Session, *syncBuffer, *syncBuffer) {
	t.Helper()
	var out, errb syncBuffer
	s, err := cell.New(cell.Options{Stdout: &out, Stderr: &errb, Symbols: Symbols()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := Install(s, cfg); err != nil {
		t.Fatal(err)
	}
	return s, &out, &errb
}

func run(t *testing.T, s *cell.Session, code string) cell.Result {
	t.Helper()
	r := s.Execute(context.Background(), code)
	if r.Err != nil {
		t.Fatalf("cell %q: %v", code, r.Err)
	}
	return r
}
