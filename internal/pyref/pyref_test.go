package pyref

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestJSONRoundTrip has numpy compute a product and a sum of matrices sent
// as JSON (one through the At path of Rows: a transposed view) and compares
// them with gonum's; the script also echoes its arguments.
func TestJSONRoundTrip(t *testing.T) {
	a := mat.NewDense(2, 3, []float64{1, 2, 3, 4, 5, 6.5})
	b := mat.NewDense(3, 2, []float64{0.5, -1, 2, 0, 1e-3, 7})
	var out struct {
		Prod [][]float64 `json:"prod"`
		Sum  float64     `json:"sum"`
		Argv []string    `json:"argv"`
	}
	JSON(t, `
import json, sys
import numpy as np
req = json.load(sys.stdin)
a, bt = np.array(req["a"]), np.array(req["bt"])
json.dump({"prod": (a @ bt.T).tolist(), "sum": float(a.sum()), "argv": sys.argv[1:]}, sys.stdout)
`, map[string]any{"a": Rows(a), "bt": Rows(b.T())}, &out, "x", "y z")
	var p mat.Dense
	p.Mul(a, b)
	got := mat.NewDense(2, 2, nil)
	for i, row := range out.Prod {
		got.SetRow(i, row)
	}
	if !mat.EqualApprox(got, &p, 1e-12) {
		t.Errorf("numpy product %v, gonum %v", mat.Formatted(got), mat.Formatted(&p))
	}
	if out.Sum != 21.5 {
		t.Errorf("sum %v, want 21.5", out.Sum)
	}
	if strings.Join(out.Argv, "|") != "x|y z" {
		t.Errorf("arguments %q, want [x, y z]", out.Argv)
	}
}

// TestNPY writes a matrix with NaN, Inf, -0 and subnormals and has numpy
// report its shape, dtype and every value's bits.
func TestNPY(t *testing.T) {
	for _, c := range []struct{ r, c int }{{3, 4}, {1, 1}, {7, 1}, {2, 9}} {
		m := mat.NewDense(c.r, c.c, nil)
		special := []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1), 5e-324, math.MaxFloat64}
		for i := 0; i < c.r; i++ {
			for j := 0; j < c.c; j++ {
				k := i*c.c + j
				if k < len(special) {
					m.Set(i, j, special[k])
				} else {
					m.Set(i, j, float64(k)/3)
				}
			}
		}
		var out struct {
			Shape []int    `json:"shape"`
			DType string   `json:"dtype"`
			Bits  []string `json:"bits"`
		}
		JSON(t, `
import json, sys
import numpy as np
a = np.load(sys.argv[1])
json.dump({"shape": list(a.shape), "dtype": str(a.dtype), "bits": [format(int(v), "x") for v in a.view(np.uint64).ravel()]}, sys.stdout)
`, nil, &out, WriteNPY(t, m))
		if len(out.Shape) != 2 || out.Shape[0] != c.r || out.Shape[1] != c.c || out.DType != "float64" {
			t.Fatalf("%dx%d: numpy sees %v %s", c.r, c.c, out.Shape, out.DType)
		}
		for k, s := range out.Bits {
			if want := strings.TrimLeft(strings.ToLower(fmtBits(m.At(k/c.c, k%c.c))), "0"); strings.TrimLeft(s, "0") != want {
				t.Errorf("%dx%d: element %d has bits %s, want %s", c.r, c.c, k, s, want)
			}
		}
	}
}

func fmtBits(v float64) string {
	const hex = "0123456789abcdef"
	b := math.Float64bits(v)
	out := make([]byte, 16)
	for i := 15; i >= 0; i-- {
		out[i] = hex[b&15]
		b >>= 4
	}
	return string(out)
}

func TestMissingModule(t *testing.T) {
	for _, c := range []struct{ stderr, want string }{
		{"Traceback (most recent call last):\n  File \"<string>\", line 1\nModuleNotFoundError: No module named 'sklearn'\n", "sklearn"},
		{"ModuleNotFoundError: No module named 'scipy.special'", "scipy.special"},
		{"ValueError: bad", ""},
	} {
		if got := missingModule(c.stderr); got != c.want {
			t.Errorf("missingModule(%q) = %q, want %q", c.stderr, got, c.want)
		}
	}
}

// fatalTB records the message of Fatalf and ends the goroutine, as
// testing.T does.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Helper() {}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// TestFailures checks that a missing module and a failing script fail the
// test with the advice to run `make deps` and Python's message.
func TestFailures(t *testing.T) {
	for _, c := range []struct{ script, want string }{
		{"import numpy, no_such_module_xyz", `needs the Python module "no_such_module_xyz"`},
		{"raise SystemExit('boom')", "boom"},
		{"print('not json')", "decoding the output"},
	} {
		f := &fatalTB{TB: t}
		done := make(chan struct{})
		go func() {
			defer close(done)
			var v any
			JSON(f, c.script, nil, &v)
		}()
		<-done
		if !strings.Contains(f.msg, c.want) {
			t.Errorf("%s: message %q does not contain %q", c.script, f.msg, c.want)
		}
		if c.want != "decoding the output" && !strings.Contains(f.msg, "run `make deps`") {
			t.Errorf("%s: message %q does not say to run `make deps`", c.script, f.msg)
		}
	}
}
