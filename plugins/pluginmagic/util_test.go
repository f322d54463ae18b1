package pluginmagic

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/subspace-kernel/subspace/kernel/cell"
	"github.com/subspace-kernel/subspace/plugins"
)

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

func newSession(t *testing.T, cfg plugins.Config) (*cell.Session, *syncBuffer, *syncBuffer) {
	t.Helper()
	var out, errb syncBuffer
	s, err := cell.New(cell.Options{Stdout: &out, Stderr: &errb, Symbols: plugins.Symbols()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := Install(s.Magics(), s, cfg); err != nil {
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

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// geomPlugin builds ../testdata/geom (copied outside the module, so it is
// imported as "geom") once for all tests.
var geomPlugin = sync.OnceValues(func() (*plugins.Manifest, error) {
	dir, err := os.MkdirTemp("", "geom-src-")
	if err != nil {
		return nil, err
	}
	src := filepath.Join(dir, "geom")
	if err := os.MkdirAll(src, 0o755); err != nil {
		return nil, err
	}
	data, err := os.ReadFile("../testdata/geom/geom.go")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(src, "geom.go"), data, 0o644); err != nil {
		return nil, err
	}
	return plugins.Build(context.Background(), plugins.BuildOptions{Dir: src, OutDir: dir})
})
