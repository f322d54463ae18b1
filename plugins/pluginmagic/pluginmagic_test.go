//go:build cgo

package pluginmagic

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/subspace-kernel/subspace/plugins"
)

// TestMagicLoad loads the test plugin from the plugin path at Install and
// uses it from cells of a cell.Session; %plugins lists it.
func TestMagicLoad(t *testing.T) {
	built, err := geomPlugin()
	if err != nil {
		t.Fatal(err)
	}
	bad := t.TempDir()
	if err := os.WriteFile(filepath.Join(bad, "broken.so"), []byte("not a plugin"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, out, errb := newSession(t, plugins.Config{Path: []string{bad, filepath.Dir(built.File)}})
	if e := errb.String(); e != "" {
		t.Errorf("stderr at Install: %s", e)
	}
	run(t, s, `import "geom"`)
	r := run(t, s, `geom.Add(1.5, 2)`)
	if v, ok := r.Value.(float64); !ok || v != 3.5 {
		t.Errorf("geom.Add(1.5, 2) = %v (%T), want 3.5", r.Value, r.Value)
	}
	// Completion and inspection know the plugin's package and its docs.
	c := s.Complete(`geom.Des`, 8)
	if !contains(c.Matches, "Describe") {
		t.Errorf("completions of geom.Des: %v", c.Matches)
	}
	in := s.Inspect(`geom.Describe`, 12, 0)
	if !in.Found || !strings.Contains(in.Text, "func Describe(x []float64) (Stats, error)") || !strings.Contains(in.Text, "Describe returns the count") {
		t.Errorf("inspect geom.Describe: %+v", in)
	}
	run(t, s, `%plugins`)
	got := out.String()
	if !strings.Contains(got, "geom") || !strings.Contains(got, built.File) || !strings.Contains(got, "gonum") {
		t.Errorf("%%plugins output lacks geom from %s, or gonum:\n%s", built.File, got)
	}
	if !strings.Contains(got, "not loaded at start:\n  "+filepath.Join(bad, "broken.so")+": ") || !strings.Contains(got, "not a subspace plugin") {
		t.Errorf("%%plugins does not report the broken plugin of the path:\n%s", got)
	}
	// Loading it again by magic is harmless.
	run(t, s, `%plugin load `+built.File)
	if !strings.Contains(out.String(), `import "geom"`) {
		t.Errorf("%%plugin load output:\n%s", out.String())
	}
}

// TestMagicGet builds a package of a public module at the kernel's version
// (gonum's stat/combin, which the kernel does not build in) with
// %plugin get, and calls it from a cell.
func TestMagicGet(t *testing.T) {
	s, _, _ := newSession(t, plugins.Config{BuildDir: t.TempDir()})
	run(t, s, `%plugin get gonum.org/v1/gonum/stat/combin@v0.17.0`)
	run(t, s, `import "gonum.org/v1/gonum/stat/combin"`)
	r := run(t, s, `combin.Binomial(10, 3)`)
	if v, ok := r.Value.(int); !ok || v != 120 {
		t.Errorf("combin.Binomial(10, 3) = %v, want 120", r.Value)
	}
	// Asking for another version of a module the kernel links is refused
	// before anything is built.
	r = s.Execute(context.Background(), `%plugin get gonum.org/v1/gonum/stat/combin@v0.16.0`)
	if r.Err == nil || !strings.Contains(r.Err.Value, "linked into the kernel at v0.17.0") {
		t.Errorf("get at v0.16.0: %v", r.Err)
	}
	r = s.Execute(context.Background(), `%plugin get gonum.org/v1/gonum/mat@v0.17.0`)
	if r.Err == nil || !strings.Contains(r.Err.Value, "already built into the kernel (plugin gonum)") {
		t.Errorf("get of a built-in package: %v", r.Err)
	}
}

// TestMagicErrors checks that failing plugin magics are cell errors that
// explain themselves and leave the session working.
func TestMagicErrors(t *testing.T) {
	s, _, _ := newSession(t, plugins.Config{BuildDir: t.TempDir()})
	run(t, s, `x := 7`)
	for _, c := range []struct{ cell, want string }{
		{`%plugin load /nonexistent/p.so`, "no such file"},
		{`%plugin load pluginmagic_test.go`, "not a subspace plugin"},
		{`%plugin build /nonexistent/dir`, "no such file"},
		{`%plugin frobnicate`, "unknown %plugin command"},
	} {
		r := s.Execute(context.Background(), c.cell)
		if r.Err == nil || !strings.Contains(r.Err.Value, c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.cell, r.Err, c.want)
		}
	}
	if r := run(t, s, `x * 6`); r.Value != 42 {
		t.Errorf("state after failed magics: x*6 = %v", r.Value)
	}
}
