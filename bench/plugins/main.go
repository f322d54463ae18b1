// Command plugins (make bench-plugins) measures what a plugin buys a
// notebook: the same computations written as cells interpreted by yaegi and
// called through a plugin compiled from plugins/testdata/geom, in one run on
// the same data, and the cost of one call from a cell into plugin code.
//
//   - pairwise squared distances of 2,000 x 64 points (same loops both ways)
//   - a 300 x 300 matrix product (same i-k-j loops both ways; gonum's Mul too)
//
// It exits with status 1 when native code is less than 20x faster than the
// interpreted cells, or when results differ.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"time"

	"github.com/subspace-kernel/subspace/kernel/cell"
	"github.com/subspace-kernel/subspace/plugins"
	"github.com/subspace-kernel/subspace/plugins/pluginmagic"
	"github.com/traefik/yaegi/interp"
	"gonum.org/v1/gonum/mat"
)

func main() {
	src := flag.String("src", "plugins/testdata/geom", "directory of the plugin's Go package")
	n := flag.Int("n", 2000, "points for pairwise distances")
	d := flag.Int("d", 64, "dimension of the points")
	m := flag.Int("m", 300, "matrix size for the product")
	flag.Parse()
	if err := run(*src, *n, *d, *m); err != nil {
		fmt.Fprintln(os.Stderr, "bench-plugins:", err)
		os.Exit(1)
	}
}

func run(src string, n, d, m int) error {
	tmp, err := os.MkdirTemp("", "bench-plugins-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	// Outside any module, so that cells import it as "geom".
	pkg := filepath.Join(tmp, "geom")
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		return err
	}
	files, _ := filepath.Glob(filepath.Join(src, "*.go"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(pkg, filepath.Base(f)), data, 0o644); err != nil {
			return err
		}
	}
	start := time.Now()
	built, err := plugins.Build(context.Background(), plugins.BuildOptions{Dir: pkg, OutDir: tmp})
	if err != nil {
		return err
	}
	fmt.Printf("built plugin %s in %.1f s\n", built.File, time.Since(start).Seconds())

	s, err := cell.New(cell.Options{Stdout: io.Discard, Stderr: os.Stderr, Symbols: plugins.Symbols()})
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := pluginmagic.Use(s, built.File); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	x := mat.NewDense(n, d, nil)
	a := mat.NewDense(m, m, nil)
	b := mat.NewDense(m, m, nil)
	for _, md := range []*mat.Dense{x, a, b} {
		raw := md.RawMatrix().Data
		for i := range raw {
			raw[i] = rng.NormFloat64()
		}
	}
	if err := s.Use(interp.Exports{"benchdata/benchdata": {
		"X": reflect.ValueOf(x), "A": reflect.ValueOf(a), "B": reflect.ValueOf(b),
	}}); err != nil {
		return err
	}
	exec := func(code string) (any, time.Duration, error) {
		t := time.Now()
		r := s.Execute(context.Background(), code)
		el := time.Since(t)
		if r.Err != nil {
			return nil, el, fmt.Errorf("cell %q: %v", code, r.Err)
		}
		return r.Value, el, nil
	}
	if _, _, err := exec(`import (
	"benchdata"
	"geom"
	"gonum.org/v1/gonum/mat"
)`); err != nil {
		return err
	}
	if _, _, err := exec(interpretedCode); err != nil {
		return err
	}

	fmt.Printf("\npairwise squared distances, %d x %d points\n", n, d)
	vi, ti, err := exec(`sqdistCell(benchdata.X)`)
	if err != nil {
		return err
	}
	vn, tn, err := medianOf(5, func() (any, time.Duration, error) { return exec(`geom.SqDist(benchdata.X)`) })
	if err != nil {
		return err
	}
	ok := report(vi, vn, ti, tn)

	fmt.Printf("\nmatrix product, %d x %d\n", m, m)
	vi, ti, err = exec(`mulCell(benchdata.A, benchdata.B)`)
	if err != nil {
		return err
	}
	vn, tn, err = medianOf(5, func() (any, time.Duration, error) { return exec(`geom.MulLoops(benchdata.A, benchdata.B)`) })
	if err != nil {
		return err
	}
	ok = report(vi, vn, ti, tn) && ok
	vg, tg, err := medianOf(5, func() (any, time.Duration, error) { return exec(`geom.MatMul(benchdata.A, benchdata.B)`) })
	if err != nil {
		return err
	}
	fmt.Printf("  plugin, gonum mat.Mul (BLAS):   %10.3f ms   %8.0fx faster than the cell, max |diff| %.2g\n",
		ms(tg), ti.Seconds()/tg.Seconds(), maxDiff(vi.(*mat.Dense), vg.(*mat.Dense)))

	fmt.Println("\none call from a cell into plugin code (median of 15 cells, each a loop of 20,000 calls)")
	const calls = 20000
	per := func(code string) (float64, error) {
		_, t, err := medianOf(15, func() (any, time.Duration, error) { return exec(code) })
		return t.Seconds() / calls * 1e6, err
	}
	empty, err := per(fmt.Sprintf(`loopEmpty(%d)`, calls))
	if err != nil {
		return err
	}
	native, err := per(fmt.Sprintf(`loopNative(%d)`, calls))
	if err != nil {
		return err
	}
	interpreted, err := per(fmt.Sprintf(`loopInterpreted(%d)`, calls))
	if err != nil {
		return err
	}
	slice, err := per(fmt.Sprintf(`loopSlice(%d, benchdata.X.RawRowView(0))`, calls))
	if err != nil {
		return err
	}
	fmt.Printf("  plugin func(float64, float64) float64:        %.3f µs a call (%.3f µs after the loop's own %.3f µs)\n", native, native-empty, empty)
	fmt.Printf("  plugin func([]float64) (struct, error):       %.3f µs a call\n", slice)
	fmt.Printf("  interpreted func(float64, float64) float64:   %.3f µs a call\n", interpreted)
	_, tc, err := medianOf(15, func() (any, time.Duration, error) { return exec(`geom.Add(1, 2)`) })
	if err != nil {
		return err
	}
	fmt.Printf("  a whole cell \"geom.Add(1, 2)\" (parse, compile, run): %.1f µs\n", tc.Seconds()*1e6)
	if !ok {
		return fmt.Errorf("native code through the plugin is not >= 20x faster than the interpreted cell, or results differ")
	}
	return nil
}

// interpretedCode is the cell that defines the interpreted versions: the
// same loops as geom.SqDist and geom.MulLoops.
const interpretedCode = `
func sqdistCell(x *mat.Dense) *mat.Dense {
	n, d := x.Dims()
	raw := x.RawMatrix()
	data, stride := raw.Data, raw.Stride
	out := make([]float64, n*n)
	for i := 0; i < n; i++ {
		a := data[i*stride : i*stride+d]
		for j := i + 1; j < n; j++ {
			b := data[j*stride : j*stride+d]
			s := 0.0
			for k := 0; k < d; k++ {
				t := a[k] - b[k]
				s += t * t
			}
			out[i*n+j] = s
			out[j*n+i] = s
		}
	}
	return mat.NewDense(n, n, out)
}

func mulCell(a, b *mat.Dense) *mat.Dense {
	n, m := a.Dims()
	_, k := b.Dims()
	ra, rb := a.RawMatrix(), b.RawMatrix()
	c := make([]float64, n*k)
	for i := 0; i < n; i++ {
		ci := c[i*k : (i+1)*k]
		for p := 0; p < m; p++ {
			av := ra.Data[i*ra.Stride+p]
			bp := rb.Data[p*rb.Stride : p*rb.Stride+k]
			for j := 0; j < k; j++ {
				ci[j] += av * bp[j]
			}
		}
	}
	return mat.NewDense(n, k, c)
}

func addCell(a, b float64) float64 { return a + b }

func loopEmpty(n int) float64 {
	acc := 0.0
	for i := 0; i < n; i++ {
		acc += 1
	}
	return acc
}

func loopNative(n int) float64 {
	acc := 0.0
	for i := 0; i < n; i++ {
		acc = geom.Add(acc, 1)
	}
	return acc
}

func loopInterpreted(n int) float64 {
	acc := 0.0
	for i := 0; i < n; i++ {
		acc = addCell(acc, 1)
	}
	return acc
}

func loopSlice(n int, row []float64) float64 {
	acc := 0.0
	for i := 0; i < n; i++ {
		st, _ := geom.Describe(row)
		acc += st.Mean
	}
	return acc
}
`

func medianOf(reps int, f func() (any, time.Duration, error)) (any, time.Duration, error) {
	var v any
	ts := make([]time.Duration, reps)
	for i := range ts {
		var err error
		if v, ts[i], err = f(); err != nil {
			return nil, 0, err
		}
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
	return v, ts[reps/2], nil
}

func report(vi, vn any, ti, tn time.Duration) bool {
	diff := maxDiff(vi.(*mat.Dense), vn.(*mat.Dense))
	ratio := ti.Seconds() / tn.Seconds()
	fmt.Printf("  interpreted cell (yaegi):       %10.3f ms\n", ms(ti))
	fmt.Printf("  plugin, same loops (native):    %10.3f ms   %8.1fx faster, max |diff| %.2g\n", ms(tn), ratio, diff)
	return ratio >= 20 && diff <= 1e-9
}

func ms(t time.Duration) float64 { return t.Seconds() * 1e3 }

func maxDiff(a, b *mat.Dense) float64 {
	ra, ca := a.Dims()
	rb, cb := b.Dims()
	if ra != rb || ca != cb {
		return math.Inf(1)
	}
	m := 0.0
	for i := 0; i < ra; i++ {
		for j := 0; j < ca; j++ {
			m = math.Max(m, math.Abs(a.At(i, j)-b.At(i, j)))
		}
	}
	return m
}
