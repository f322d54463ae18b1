//go:build !cgo

package plugins

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestUnsupported checks, in a kernel built without cgo (make
// test-plugins-nocgo), that built-in packages still work and that loading
// or building a plugin explains why it cannot.
func TestUnsupported(t *testing.T) {
	if ok, why := Supported(); ok || !strings.Contains(why, "without cgo") {
		t.Fatalf("Supported() = %v, %q", ok, why)
	}
	_, _, err := Load("testdata/geom/geom.go")
	if !errors.Is(err, ErrUnsupported) {
		t.Errorf("Load error %v, want ErrUnsupported", err)
	}
	if _, err := Build(context.Background(), BuildOptions{Dir: "testdata/geom"}); err == nil || !strings.Contains(err.Error(), "CGO_ENABLED=1") {
		t.Errorf("Build error %v", err)
	}
	s, _, _ := newSession(t, Config{})
	r := s.Execute(context.Background(), `%plugin load /some/where/p.so`)
	if r.Err == nil || !strings.Contains(r.Err.Value, "without cgo") || !strings.Contains(r.Err.Value, "Built-in packages still work") {
		t.Errorf("%%plugin load error: %v", r.Err)
	}
	run(t, s, `import "gonum.org/v1/gonum/mat"`)
	if v := run(t, s, `mat.Det(mat.NewDense(2, 2, []float64{2, 0, 0, 3}))`).Value; v != 6.0 {
		t.Errorf("built-in gonum without cgo: det = %v, want 6", v)
	}
}
