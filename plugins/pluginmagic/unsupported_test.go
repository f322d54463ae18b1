//go:build !cgo

package pluginmagic

import (
	"context"
	"strings"
	"testing"

	"github.com/subspace-kernel/subspace/plugins"
)

// TestUnsupported checks, in a kernel built without cgo (make
// test-plugins-nocgo), that built-in packages still work and that %plugin
// load explains why a plugin cannot be loaded.
func TestUnsupported(t *testing.T) {
	s, _, _ := newSession(t, plugins.Config{})
	r := s.Execute(context.Background(), `%plugin load /some/where/p.so`)
	if r.Err == nil || !strings.Contains(r.Err.Value, "without cgo") || !strings.Contains(r.Err.Value, "Built-in packages still work") {
		t.Errorf("%%plugin load error: %v", r.Err)
	}
	run(t, s, `import "gonum.org/v1/gonum/mat"`)
	if v := run(t, s, `mat.Det(mat.NewDense(2, 2, []float64{2, 0, 0, 3}))`).Value; v != 6.0 {
		t.Errorf("built-in gonum without cgo: det = %v, want 6", v)
	}
}
