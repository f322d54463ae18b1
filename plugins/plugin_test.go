//go:build cgo

package plugins

import (
	"context"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/traefik/yaegi/interp"
	"gonum.org/v1/gonum/mat"
)

// geomPlugin builds testdata/geom (copied outside the module, so it is
// imported as "geom") once for all tests.
var geomPlugin = sync.OnceValues(func() (*Manifest, error) {
	dir, err := os.MkdirTemp("", "geom-src-")
	if err != nil {
		return nil, err
	}
	src := filepath.Join(dir, "geom")
	if err := os.MkdirAll(src, 0o755); err != nil {
		return nil, err
	}
	data, err := os.ReadFile("testdata/geom/geom.go")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(src, "geom.go"), data, 0o644); err != nil {
		return nil, err
	}
	return Build(context.Background(), BuildOptions{Dir: src, OutDir: dir})
})

func loadGeom(t *testing.T, in *interp.Interpreter) *Manifest {
	t.Helper()
	built, err := geomPlugin()
	if err != nil {
		t.Fatalf("building the test plugin: %v", err)
	}
	m, exports, err := Load(built.File)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if err := in.Use(exports); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestBuildManifest(t *testing.T) {
	m, err := geomPlugin()
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "geom" || len(m.Packages) != 1 || m.Packages[0] != "geom" {
		t.Errorf("name %q packages %v, want geom [geom]", m.Name, m.Packages)
	}
	if !strings.HasPrefix(m.Description, "Package geom is a small native package") {
		t.Errorf("description %q", m.Description)
	}
	if m.GoVersion != runtimeVersion() {
		t.Errorf("go version %s, want %s", m.GoVersion, runtimeVersion())
	}
	if v := m.Modules["gonum.org/v1/gonum"]; v != "v0.17.0" {
		t.Errorf("plugin built with gonum %q, want the kernel's v0.17.0", v)
	}
	d, ok := m.Docs["geom"]["Describe"]
	if !ok || d.Kind != "func" || d.Signature != "func Describe(x []float64) (Stats, error)" || !strings.HasPrefix(d.Doc, "Describe returns") {
		t.Errorf("docs of Describe: %+v", d)
	}
	if d := m.Docs["geom"]["Stats.Spread"]; d.Kind != "method" {
		t.Errorf("docs of Stats.Spread: %+v", d)
	}
}

// TestCrossBoundary calls the plugin from interpreted code with every kind
// of value: *mat.Dense in and out, []float64, []float32, structs with
// methods, *mat32.Dense, errors, and interpreted funcs as callbacks.
func TestCrossBoundary(t *testing.T) {
	in := newInterp(t)
	loadGeom(t, in)
	eval := func(src string) any {
		t.Helper()
		v, err := in.Eval(src)
		if err != nil {
			t.Fatalf("eval %q: %v", src, err)
		}
		if !v.IsValid() {
			return nil
		}
		return v.Interface()
	}
	eval(`import (
		"geom"
		"gonum.org/v1/gonum/mat"
		"github.com/subspace-kernel/subspace/native/mat32"
	)`)
	eval(`x := mat.NewDense(3, 2, []float64{0, 0, 3, 4, 1, 1})`)
	d, ok := eval(`geom.SqDist(x)`).(*mat.Dense)
	if !ok {
		t.Fatalf("SqDist did not return a *mat.Dense the kernel knows")
	}
	want := mat.NewDense(3, 3, []float64{0, 25, 2, 25, 0, 13, 2, 13, 0})
	if !mat.Equal(d, want) {
		t.Errorf("SqDist = %v, want %v", mat.Formatted(d), mat.Formatted(want))
	}
	// mat.Det of the kernel's gonum on the plugin's result: same type.
	if got := eval(`mat.Det(geom.MatMul(mat.DenseCopyOf(x.T()), x))`).(float64); math.Abs(got-(10*17-13*13)) > 1e-9 {
		t.Errorf("det(XᵀX) = %v", got)
	}
	s := eval(`s, err := geom.Describe([]float64{1, 2, 6}); s`)
	if st := reflectField(t, s, "Mean"); st != 3 {
		t.Errorf("Describe mean = %v, want 3", st)
	}
	if got := eval(`s.Spread()`).(float64); got != 3 {
		t.Errorf("Stats.Spread = %v, want 3", got)
	}
	if got := eval(`_, err = geom.Describe(nil); err.Error()`).(string); got != "geom.Describe: empty input" {
		t.Errorf("error = %q", got)
	}
	if got := eval(`triple := geom.Scaler(3); triple(2.5)`).(float64); got != 7.5 {
		t.Errorf("native closure triple(2.5) = %v, want 7.5", got)
	}
	if got := eval(`geom.Scale32([]float32{1, -2.5}, 2)`).([]float32); len(got) != 2 || got[0] != 2 || got[1] != -5 {
		t.Errorf("Scale32 = %v", got)
	}
	if got := eval(`m32, _ := mat32.New(2, 2, []float32{1, 2, 3, 4.5}); geom.Sum32(m32)`).(float64); got != 10.5 {
		t.Errorf("Sum32 = %v, want 10.5", got)
	}
	// An interpreted func as the distance callback: Manhattan distance.
	eval(`var calls = 0`)
	eval(`func manhattan(a, b []float64) float64 {
		calls++
		s := 0.0
		for i := range a {
			d := a[i] - b[i]
			if d < 0 {
				d = -d
			}
			s += d
		}
		return s
	}`)
	p := eval(`geom.Pairwise(x, manhattan)`).(*mat.Dense)
	wantL1 := mat.NewDense(3, 3, []float64{0, 7, 2, 7, 0, 5, 2, 5, 0})
	if !mat.Equal(p, wantL1) {
		t.Errorf("Pairwise(manhattan) = %v, want %v", mat.Formatted(p), mat.Formatted(wantL1))
	}
	if got := eval(`calls`).(int); got != 3 {
		t.Errorf("callback called %d times, want 3", got)
	}
	// A progress callback that stops the native loop at step 4.
	eval(`import "errors"`)
	eval(`var seen []int`)
	eval(`func stopAt4(done, total int) error {
		seen = append(seen, done)
		if done == 4 {
			return errors.New("enough")
		}
		return nil
	}`)
	if got := eval(`n, err := geom.Steps(10, stopAt4); n`).(int); got != 4 {
		t.Errorf("Steps ran %d steps, want 4", got)
	}
	if got := eval(`err.Error()`).(string); got != "enough" {
		t.Errorf("Steps error %q, want enough", got)
	}
	if got := eval(`len(seen)`).(int); got != 4 {
		t.Errorf("progress callback saw %d reports, want 4", got)
	}
}

func reflectField(t *testing.T, v any, name string) float64 {
	t.Helper()
	rv := reflectValueOf(v)
	f := rv.FieldByName(name)
	if !f.IsValid() {
		t.Fatalf("%T has no field %s", v, name)
	}
	return f.Float()
}

// TestLoadTwice checks that loading the same file again returns the same
// plugin, and that Manifests lists it with where it came from.
func TestLoadTwice(t *testing.T) {
	in := newInterp(t)
	m1 := loadGeom(t, in)
	m2 := loadGeom(t, in)
	if m1.File != m2.File || m1.Name != m2.Name {
		t.Errorf("second load: %+v vs %+v", m1, m2)
	}
	n := 0
	for _, m := range Manifests() {
		if m.Name == "geom" {
			n++
			if m.File != m1.File || m.Builtin() {
				t.Errorf("Manifests lists geom from %q", m.File)
			}
		}
	}
	if n != 1 {
		t.Errorf("Manifests lists geom %d times, want once", n)
	}
	// A file changed since it was loaded (a rebuild) cannot be loaded again.
	st, err := os.Stat(m1.File)
	if err != nil {
		t.Fatal(err)
	}
	defer os.Chtimes(m1.File, st.ModTime(), st.ModTime())
	if err := os.Chtimes(m1.File, st.ModTime().Add(time.Second), st.ModTime().Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Load(m1.File); err == nil || !strings.Contains(err.Error(), "restart the kernel to load the new one") {
		t.Errorf("loading a changed file: %v", err)
	}
}

// TestMismatchedPlugin builds a plugin against gonum v0.16.0 (the kernel
// links v0.17.0) outside Build's pinning, and checks that Load refuses it
// naming the module, both versions and the rebuild command, and that the
// interpreter's state survives.
func TestMismatchedPlugin(t *testing.T) {
	dir := t.TempDir()
	gomod := "module example.com/oldgonum\n\ngo 1.22\n\nrequire gonum.org/v1/gonum v0.16.0\n"
	main := `package main

import (
	"reflect"

	"gonum.org/v1/gonum/floats"
)

var Symbols = map[string]map[string]reflect.Value{
	"example.com/oldgonum/oldgonum": {"Sum": reflect.ValueOf(floats.Sum)},
}

var Manifest = "` + manifestStart + `{\"name\":\"oldgonum\",\"packages\":[\"example.com/oldgonum\"],\"origin\":\"/src/oldgonum\"}` + manifestEnd + `"

func main() {}
`
	for name, content := range map[string]string{"go.mod": gomod, "main.go": main} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	kernel := kernelSettings(t)
	args := []string{"build", "-buildmode=plugin", "-o", "old.so"}
	if tags := kernel["-tags"]; tags != "" {
		args = append(args, "-tags", tags)
	}
	cmd := exec.Command("go", append(args, ".")...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOTOOLCHAIN=local")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the mismatched plugin (needs gonum v0.16.0 from the module proxy): %v\n%s", err, out)
	}
	in := newInterp(t)
	if _, err := in.Eval(`before := 41`); err != nil {
		t.Fatal(err)
	}
	m, _, err := Load(filepath.Join(dir, "old.so"))
	var mm *MismatchError
	if !errors.As(err, &mm) {
		t.Fatalf("Load error %v, want a *MismatchError", err)
	}
	msg := err.Error()
	for _, want := range []string{
		"module gonum.org/v1/gonum v0.16.0 (plugin) vs v0.17.0 (kernel)",
		"subspace plugin build /src/oldgonum",
		"%plugin build /src/oldgonum",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not contain %q", msg, want)
		}
	}
	if m == nil || m.Name != "oldgonum" {
		t.Errorf("manifest of the refused plugin: %+v", m)
	}
	for _, l := range Manifests() {
		if l.Name == "oldgonum" {
			t.Errorf("refused plugin listed in Manifests")
		}
	}
	v, err := in.Eval(`before + 1`)
	if err != nil || v.Interface().(int) != 42 {
		t.Errorf("interpreter state after the refused load: %v, %v", v, err)
	}
}
