package plugins

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/subspace-kernel/subspace/plugins/internal/symgen"
	"github.com/subspace-kernel/subspace/plugins/symbols"
)

// TestSymbolsUpToDate fails when the generated symbol tables in
// plugins/symbols are stale. It regenerates the list of built-in plugins
// (zz_builtin.go) in memory and compares it with the checked-in file: the
// list comes from go list of native/... and display/... now, third-party
// tables are determined by their module versions (recorded in the list), and
// the tables of this module's packages by the API fingerprint of their
// source (recorded too). It also checks that there is one table per package.
// That takes a second or two; with SUBSPACE_FULL_SYMBOL_CHECK=1 (make
// check-generate) the tables of this module's packages are also fully
// regenerated with yaegi's extract and compared byte for byte (slower: each
// package type-checks its dependencies from source).
func TestSymbolsUpToDate(t *testing.T) {
	const fix = "run `make generate` (go generate ./plugins/...) and commit plugins/symbols"
	third, err := symgen.List("..", symgen.ThirdParty)
	if err != nil {
		t.Fatal(err)
	}
	local, err := symgen.List("..", symgen.LocalPatterns)
	if err != nil {
		t.Fatal(err)
	}
	all := append(append([]symgen.Package(nil), third...), local...)
	groups, err := symgen.Groups(all, symgen.Descriptions)
	if err != nil {
		t.Fatal(err)
	}
	want, err := symgen.BuiltinSource(groups)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join("symbols", symgen.BuiltinFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("symbols/%s is stale: %s", symgen.BuiltinFile, fix)
		old := map[string]symbols.Group{}
		for _, g := range symbols.Builtin {
			old[g.Name] = g
		}
		for _, g := range groups {
			o, ok := old[g.Name]
			delete(old, g.Name)
			switch {
			case !ok:
				t.Errorf("  %s: new built-in plugin (%s)", g.Name, strings.Join(g.Packages, " "))
			case o.API != g.API:
				t.Errorf("  %s: exported API changed", g.Name)
			case o.Version != g.Version:
				t.Errorf("  %s: module version %s, tables are for %s", g.Name, g.Version, o.Version)
			case o.Description != g.Description:
				t.Errorf("  %s: package doc changed", g.Name)
			case strings.Join(o.Packages, " ") != strings.Join(g.Packages, " "):
				t.Errorf("  %s: packages changed", g.Name)
			}
		}
		for name := range old {
			t.Errorf("  %s: no longer a built-in package", name)
		}
	}
	existing, err := filepath.Glob(filepath.Join("symbols", "zz_*.go"))
	if err != nil {
		t.Fatal(err)
	}
	expected := map[string]bool{symgen.BuiltinFile: true}
	for _, p := range all {
		expected[symgen.FileName(p.ImportPath)] = true
	}
	var names []string
	for _, f := range existing {
		names = append(names, filepath.Base(f))
		if !expected[filepath.Base(f)] {
			t.Errorf("symbols/%s belongs to no built-in package: %s", filepath.Base(f), fix)
		}
	}
	sort.Strings(names)
	for name := range expected {
		if i := sort.SearchStrings(names, name); i == len(names) || names[i] != name {
			t.Errorf("symbols/%s is missing: %s", name, fix)
		}
	}
	if os.Getenv("SUBSPACE_FULL_SYMBOL_CHECK") == "" {
		return
	}
	files, err := symgen.Extract(local, runtime.GOMAXPROCS(0))
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		old, err := os.ReadFile(filepath.Join("symbols", name))
		if err == nil && !bytes.Equal(old, content) {
			t.Errorf("symbols/%s is stale (the package's exported API changed): %s", name, fix)
		}
	}
}

// TestBuiltinSymbols checks that the generated tables reach the interpreter:
// a program using gonum, go-echarts and native/mat32 through them.
func TestBuiltinSymbols(t *testing.T) {
	in := newInterp(t)
	for _, src := range []string{
		`import (
			"gonum.org/v1/gonum/mat"
			"gonum.org/v1/gonum/stat"
			"gonum.org/v1/gonum/stat/distuv"
			"github.com/go-echarts/go-echarts/v2/charts"
			"github.com/go-echarts/go-echarts/v2/opts"
			"github.com/subspace-kernel/subspace/native/mat32"
		)`,
		`a := mat.NewDense(2, 2, []float64{4, 1, 2, 3})`,
		`bar := charts.NewBar()`,
		`bar.SetGlobalOptions(charts.WithTitleOpts(opts.Title{Title: "t"}))`,
	} {
		if _, err := in.Eval(src); err != nil {
			t.Fatalf("eval %q: %v", src, err)
		}
	}
	for _, c := range []struct {
		src  string
		want float64
	}{
		{`mat.Det(a)`, 10},
		{`stat.Mean([]float64{1, 2, 6}, nil)`, 3},
		{`distuv.Normal{Mu: 0, Sigma: 1}.CDF(0)`, 0.5},
		{`m, _ := mat32.New(1, 2, []float32{1.5, 2}); float64(m.At(0, 1))`, 2},
	} {
		v, err := in.Eval(c.src)
		if err != nil {
			t.Fatalf("eval %q: %v", c.src, err)
		}
		if got := v.Interface().(float64); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s = %v, want %v", c.src, got, c.want)
		}
	}
	if _, ok := symbols.Symbols["gonum.org/v1/gonum/mat/mat"]["NewDense"]; !ok {
		t.Error("gonum mat table lacks NewDense")
	}
}

// TestManifests checks the built-in manifests: the standard library first,
// gonum at the kernel's version with the packages cells are promised.
func TestManifests(t *testing.T) {
	ms := Manifests()
	if len(ms) == 0 || ms[0].Name != "stdlib" || !ms[0].Builtin() {
		t.Fatalf("first manifest %+v, want stdlib", ms[0])
	}
	m, ok := Provider("gonum.org/v1/gonum/stat/distuv")
	if !ok || m.Name != "gonum" || m.Version != "v0.17.0" || m.Modules["gonum.org/v1/gonum"] != "v0.17.0" {
		t.Errorf("provider of distuv: %+v", m)
	}
	for _, p := range []string{"gonum.org/v1/gonum/mat", "gonum.org/v1/gonum/optimize", "gonum.org/v1/gonum/blas/blas64",
		"github.com/go-echarts/go-echarts/v2/types", "github.com/subspace-kernel/subspace/display", "fmt", "math/rand"} {
		if _, ok := Provider(p); !ok {
			t.Errorf("no built-in plugin provides %s", p)
		}
	}
	for _, p := range []string{"os/exec", "syscall"} {
		if _, ok := Provider(p); ok {
			t.Errorf("%s should not be built in (yaegi's unrestricted and syscall tables are left out)", p)
		}
	}
}
