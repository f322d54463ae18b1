// Command similarity-bench times linear CKA (feature form) on two n x d
// matrices against numpy's feature-form implementation run in the same job
// on the same data, in float64 and float32, and prints the ratio
// numpy time / Go time (> 1 means Go is faster). Each side reports its best
// of -reps rounds, the two alternating so that both see the same machine
// load; input conversion is outside the timings, centring inside. With
// -offset 1000 the columns get large means, which makes Go centre copies
// first instead of correcting raw products (see similarity.LinearCKA).
//
//	go run -tags openblas ./bench/similarity -n 10000 -d 768
package main

import (
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/blas"
	"github.com/subspace-kernel/subspace/native/mat32"
	"github.com/subspace-kernel/subspace/native/similarity"
)

func main() {
	n := flag.Int("n", 10000, "rows (stimuli)")
	d := flag.Int("d", 768, "columns of each representation")
	offset := flag.Float64("offset", 0, "add column means of about offset standard deviations (>= 100 makes Go centre copies first)")
	reps := flag.Int("reps", 5, "repetitions; the best time is reported")
	py := flag.String("python", "/usr/bin/python3", "python with numpy")
	script := flag.String("script", "bench/similarity/cka_numpy.py", "numpy reference script")
	flag.Parse()
	if err := run(*n, *d, *reps, *offset, *py, *script); err != nil {
		fmt.Fprintln(os.Stderr, "similarity-bench:", err)
		os.Exit(1)
	}
}

func run(n, d, reps int, offset float64, py, script string) error {
	rng := rand.New(rand.NewPCG(1, 2))
	x := mat.NewDense(n, d, nil)
	noise := mat.NewDense(n, d, nil)
	r := mat.NewDense(d, d, nil)
	for _, m := range []*mat.Dense{x, noise, r} {
		raw := m.RawMatrix().Data
		for i := range raw {
			raw[i] = rng.NormFloat64()
		}
	}
	r.Scale(1/math.Sqrt(float64(d)), r)
	var y mat.Dense // Y = X R + noise: related, CKA well inside (0, 1)
	y.Mul(x, r)
	y.Add(&y, noise)
	if offset != 0 {
		for _, m := range []*mat.Dense{x, &y} {
			for j := 0; j < d; j++ {
				c := offset * (0.5 + rng.Float64())
				for i := 0; i < n; i++ {
					m.Set(i, j, m.At(i, j)+c)
				}
			}
		}
	}

	dir, err := os.MkdirTemp("", "similarity-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	for name, m := range map[string]*mat.Dense{"x.f64": x, "y.f64": &y} {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if err := binary.Write(f, binary.LittleEndian, m.RawMatrix().Data); err != nil {
			return err
		}
		f.Close()
	}

	fmt.Printf("linear CKA, feature form, X and Y %d x %d, column means ~%g sd; BLAS: %s; best of %d rounds (numpy and Go alternate, 2 runs each)\n", n, d, offset, blas.Backend(), reps)
	type timing struct {
		Seconds float64 `json:"seconds"`
		Value   float64 `json:"value"`
	}
	ref := map[string]timing{"float64": {Seconds: math.Inf(1)}, "float32": {Seconds: math.Inf(1)}}
	x32, y32 := mat32.FromDense(x), mat32.FromDense(&y)
	best := func(f func() (float64, error)) (float64, float64, error) {
		b := math.Inf(1)
		var v float64
		for i := 0; i < 2; i++ {
			t := time.Now()
			var err error
			if v, err = f(); err != nil {
				return 0, 0, err
			}
			b = math.Min(b, time.Since(t).Seconds())
		}
		return b, v, nil
	}
	t64, t32 := math.Inf(1), math.Inf(1)
	var v64, v32 float64
	for round := 0; round < reps; round++ {
		out, err := exec.Command(py, script, dir, fmt.Sprint(n), fmt.Sprint(d), "2").Output()
		if err != nil {
			if ee, ok := err.(*exec.ExitError); ok {
				return fmt.Errorf("numpy reference failed (run `make deps`): %v\n%s", err, ee.Stderr)
			}
			return fmt.Errorf("numpy reference failed (run `make deps`): %v", err)
		}
		var r map[string]timing
		if err := json.Unmarshal(out, &r); err != nil {
			return fmt.Errorf("decoding numpy output %q: %v", out, err)
		}
		for k, v := range r {
			if v.Seconds < ref[k].Seconds {
				ref[k] = v
			}
		}
		t, v, err := best(func() (float64, error) { return similarity.LinearCKA(x, &y) })
		if err != nil {
			return err
		}
		t64, v64 = math.Min(t64, t), v
		if t, v, err = best(func() (float64, error) { return similarity.LinearCKA32(x32, y32) }); err != nil {
			return err
		}
		t32, v32 = math.Min(t32, t), v
	}
	flops := float64(n) * float64(2*d) * float64(2*d)
	fmt.Printf("%-8s %12s %12s %10s %14s %14s\n", "dtype", "Go (s)", "numpy (s)", "numpy/Go", "Go value", "|Go-numpy|/x")
	for _, row := range []struct {
		name  string
		t, v  float64
		refID string
	}{{"float64", t64, v64, "float64"}, {"float32", t32, v32, "float32"}} {
		rf := ref[row.refID]
		fmt.Printf("%-8s %12.4f %12.4f %10.2f %14.10f %14.2e   (Go %.0f GFLOP/s)\n", row.name, row.t, rf.Seconds,
			rf.Seconds/row.t, row.v, math.Abs(row.v-rf.Value)/math.Abs(rf.Value), flops/row.t/1e9)
	}
	return nil
}
