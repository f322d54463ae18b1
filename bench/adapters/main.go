// Command adapters-bench times native/lowrank and native/merge against
// references run in the same job on the same data: a rank-16 randomized
// SVD of a 4096 x 4096 matrix against numpy's full SVD and
// torch.svd_lowrank (same oversampling and power iterations), and a TIES
// merge of two ~100M-parameter float32 .safetensors files against a
// tensor-by-tensor numpy implementation, each merge in its own process so
// that its wall time and peak resident memory (getrusage of the child) are
// its own.
//
// Usage: adapters-bench [-n 4096] [-rank 16] [-params 100000000] [-reps 3]
// [-dir build/bench/adapters] [-python /usr/bin/python3] [-scripts bench/adapters]
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/bench/internal/timing"
	nblas "github.com/subspace-kernel/subspace/native/blas"
	"github.com/subspace-kernel/subspace/native/dataset"
	"github.com/subspace-kernel/subspace/native/lowrank"
	"github.com/subspace-kernel/subspace/native/merge"
)

func main() {
	n := flag.Int("n", 4096, "matrix size for the SVD benchmark")
	rank := flag.Int("rank", 16, "rank of the truncated SVD")
	params := flag.Int("params", 100_000_000, "parameters per model for the TIES benchmark")
	reps := flag.Int("reps", 3, "repetitions (best time kept)")
	dir := flag.String("dir", "build/bench/adapters", "folder for the data files")
	py := flag.String("python", "/usr/bin/python3", "python with numpy and torch")
	scripts := flag.String("scripts", "bench/adapters", "folder of the Python scripts")
	child := flag.String("child-ties", "", "internal: run one TIES merge into this output (base and tuned files follow)")
	flag.Parse()
	var err error
	if *child != "" {
		err = childTIES(*child, flag.Args())
	} else {
		err = run(*n, *rank, *params, *reps, *dir, *py, *scripts)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "adapters-bench:", err)
		os.Exit(1)
	}
}

const density, lambda = 0.2, 1.0

// childTIES is the merge the parent times in a separate process.
func childTIES(out string, files []string) error {
	t := time.Now()
	_, err := merge.Merge(out, files[0], files[1:], merge.Options{Method: merge.TIES, Density: density, Lambda: lambda})
	fmt.Printf(`{"seconds": %.6f}`, time.Since(t).Seconds())
	return err
}

func run(n, rank, params, reps int, dir, py, scripts string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	fmt.Printf("BLAS backend: %s, GOMAXPROCS %d, %d CPUs\n\n", nblas.Backend(), runtime.GOMAXPROCS(0), runtime.NumCPU())
	if err := benchSVD(n, rank, reps, dir, py, scripts); err != nil {
		return err
	}
	return benchTIES(params, reps, dir, py, scripts)
}

// testMatrix returns U diag(s) V^T + noise with 64 singular values
// 100 * 0.9^i and Gaussian noise of standard deviation 1e-3.
func testMatrix(n int) *mat.Dense {
	rng := rand.New(rand.NewPCG(1, 2))
	orth := func() *mat.Dense {
		g := mat.NewDense(n, 64, nil)
		for i := range g.RawMatrix().Data {
			g.RawMatrix().Data[i] = rng.NormFloat64()
		}
		var qr mat.QR
		qr.Factorize(g)
		var q mat.Dense
		qr.QTo(&q)
		return mat.DenseCopyOf(q.Slice(0, n, 0, 64))
	}
	u, v := orth(), orth()
	for j := 0; j < 64; j++ {
		s := 100 * math.Pow(0.9, float64(j))
		for i := 0; i < n; i++ {
			u.Set(i, j, u.At(i, j)*s)
		}
	}
	a := mat.NewDense(n, n, nil)
	a.Mul(u, v.T())
	for i, x := range a.RawMatrix().Data {
		a.RawMatrix().Data[i] = x + 1e-3*rng.NormFloat64()
	}
	return a
}

// svdRounds is how many times the Go and torch timings alternate: the
// load of a shared machine changes from second to second, so each side
// keeps its best over every round.
const svdRounds = 3

func benchSVD(n, rank, reps int, dir, py, scripts string) error {
	const over, niter = 10, 2
	a := testMatrix(n)
	path := filepath.Join(dir, "svd.npy")
	if err := dataset.WriteNPYDense(path, a); err != nil {
		return err
	}
	script := filepath.Join(scripts, "svd_reference.py")
	var full struct {
		Numpy       string
		FullSeconds float64 `json:"full_seconds"`
		S           []float64
	}
	if err := python(py, &full, script, "full", path); err != nil {
		return err
	}
	var torch struct {
		Torch   string
		Seconds float64
		Threads int
		SRuns   [][]float64 `json:"s_runs"`
	}
	ours, theirs := math.Inf(1), math.Inf(1)
	var oursErr, torchErr []float64
	maxErr := func(s []float64) float64 {
		var e float64
		for i := 0; i < rank; i++ {
			e = max(e, math.Abs(s[i]-full.S[i])/full.S[i])
		}
		return e
	}
	for round := 0; round < svdRounds; round++ {
		t, err := timing.Best(reps, func() error {
			f, err := lowrank.TruncatedSVD(a, rank, lowrank.SVDOptions{Randomized: true, Oversample: over, PowerIters: niter, Seed: uint64(len(oursErr) + 1)})
			if err == nil {
				oursErr = append(oursErr, maxErr(f.S))
			}
			return err
		})
		if err != nil {
			return err
		}
		ours = min(ours, t)
		args := []string{script, "lowrank", path, fmt.Sprint(rank), fmt.Sprint(over), fmt.Sprint(niter), fmt.Sprint(reps)}
		if err := python(py, &torch, args...); err != nil {
			return err
		}
		theirs = min(theirs, torch.Seconds)
		for _, s := range torch.SRuns {
			torchErr = append(torchErr, maxErr(s))
		}
	}
	sort.Float64s(oursErr)
	sort.Float64s(torchErr)
	fmt.Printf("randomized SVD, rank %d of a %d x %d matrix (oversampling %d, %d power iterations for both)\n", rank, n, n, over, niter)
	fmt.Printf("reference: numpy %s, torch %s (1 thread and all, best kept); %d rounds alternating Go and torch, %d runs each\n",
		full.Numpy, torch.Torch, svdRounds, reps)
	fmt.Printf("%-40s %10s %14s\n", "", "seconds", "max rel. err")
	fmt.Printf("%-40s %10.3f %14.2g\n", "ours: lowrank.TruncatedSVD (randomized)", ours, oursErr[len(oursErr)/2])
	fmt.Printf("%-40s %10.3f %14.2g   ours faster by %.2fx\n", "torch.svd_lowrank", theirs, torchErr[len(torchErr)/2], theirs/ours)
	fmt.Printf("%-40s %10.3f %14s   ours faster by %.1fx\n", "numpy.linalg.svd (full)", full.FullSeconds, "(exact)", full.FullSeconds/ours)
	fmt.Printf("(error: largest relative error of the %d singular values against numpy's, median over the runs' seeds)\n\n", rank)
	return nil
}

// python runs a script and decodes its JSON output into out.
func python(py string, out any, args ...string) error {
	cmd := exec.Command(py, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s failed (run `make deps`): %v\n%s", args[0], err, stderr.String())
	}
	return json.Unmarshal(stdout.Bytes(), out)
}

// models writes base and two fine-tuned float32 files of about params
// parameters (tensors of 4096 x 1024 plus a bias each), streamed; files
// already there with the right size are kept.
func models(params int, dir string) ([]string, int64, error) {
	const rows, cols = 4096, 1024
	count := max(1, (params+rows*cols-1)/(rows*cols))
	var infos []dataset.TensorInfo
	var total int64
	for i := 0; i < count; i++ {
		infos = append(infos, dataset.TensorInfo{Name: fmt.Sprintf("layers.%02d.weight", i), DType: dataset.Float32, Shape: []int{rows, cols}},
			dataset.TensorInfo{Name: fmt.Sprintf("layers.%02d.bias", i), DType: dataset.Float32, Shape: []int{rows}})
		total += rows*cols + rows
	}
	var paths []string
	for m, name := range []string{"base", "tuned1", "tuned2"} {
		p := filepath.Join(dir, fmt.Sprintf("%s-%d.safetensors", name, total))
		paths = append(paths, p)
		if st, err := os.Stat(p); err == nil && st.Size() > total*4 {
			continue
		}
		w, err := dataset.CreateSafetensors(p, infos, map[string]string{"bench": name})
		if err != nil {
			return nil, 0, err
		}
		for i, t := range infos {
			rb := rand.New(rand.NewPCG(uint64(i), 0))         // the base's values
			rt := rand.New(rand.NewPCG(uint64(i), uint64(m))) // this model's change
			size := 1
			for _, d := range t.Shape {
				size *= d
			}
			v := make([]float32, size)
			for j := range v {
				v[j] = float32(0.02 * rb.NormFloat64())
				if m > 0 {
					v[j] += float32(1e-3 * rt.NormFloat64())
				}
			}
			if err := w.WriteFloat32s(t.Name, v); err != nil {
				return nil, 0, err
			}
		}
		if err := w.Close(); err != nil {
			return nil, 0, err
		}
	}
	return paths, total, nil
}

// measured runs a command under GNU time and returns its wall time, CPU
// time (user + system), peak RSS (bytes) and stdout. The child's own
// getrusage would not do: Go starts children with vfork, and the kernel
// then counts the parent's resident memory in the child's maximum.
func measured(name string, args ...string) (float64, float64, int64, []byte, error) {
	cmd := exec.Command("/usr/bin/time", append([]string{"-f", "\nRUSAGE %U %S %M", name}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	t := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, 0, 0, nil, fmt.Errorf("%s: %v\n%s", name, err, stderr.String())
	}
	wall := time.Since(t).Seconds()
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	var user, sys float64
	var kb int64
	if _, err := fmt.Sscanf(lines[len(lines)-1], "RUSAGE %f %f %d", &user, &sys, &kb); err != nil {
		return 0, 0, 0, nil, fmt.Errorf("%s: reading /usr/bin/time's report: %v\n%s", name, err, stderr.String())
	}
	return wall, user + sys, kb << 10, stdout.Bytes(), nil
}

func benchTIES(params, reps int, dir, py, scripts string) error {
	paths, total, err := models(params, dir)
	if err != nil {
		return err
	}
	for _, p := range paths { // warm the page cache for both sides
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, f)
		f.Close()
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	outGo, outPy := filepath.Join(dir, "ties-go.safetensors"), filepath.Join(dir, "ties-numpy.safetensors")
	type side struct {
		wall, inner, cpu float64
		rss              int64
	}
	run := func(s *side, name string, args ...string) error {
		wall, cpu, rss, out, err := measured(name, args...)
		if err != nil {
			return err
		}
		var r struct{ Seconds float64 }
		if err := json.Unmarshal(out, &r); err != nil {
			return fmt.Errorf("%s: %v: %s", name, err, out)
		}
		if s.wall == 0 || wall < s.wall {
			s.wall, s.inner = wall, r.Seconds
		}
		if s.cpu == 0 || cpu < s.cpu {
			s.cpu = cpu
		}
		s.rss = max(s.rss, rss)
		return nil
	}
	var ours, ref side
	for range reps {
		if err := run(&ours, self, append([]string{"-child-ties", outGo}, paths...)...); err != nil {
			return err
		}
		if err := run(&ref, py, append([]string{filepath.Join(scripts, "ties_numpy.py"), outPy, fmt.Sprint(density), fmt.Sprint(lambda)}, paths...)...); err != nil {
			return err
		}
	}
	diff, differ, ties, err := compareFiles(outGo, outPy)
	if err != nil {
		return err
	}
	size := float64(total*4) / (1 << 20)
	fmt.Printf("TIES merge (k = %.0f%%, lambda %.0f) of two fine-tuned models, %d float32 parameters each (%.0f MiB a file)\n", density*100, lambda, total, size)
	fmt.Printf("%-40s %10s %10s %10s %12s\n", "", "wall (s)", "merge (s)", "CPU (s)", "peak RSS")
	fmt.Printf("%-40s %10.2f %10.2f %10.2f %9.0f MiB\n", "ours: merge.Merge (one process)", ours.wall, ours.inner, ours.cpu, float64(ours.rss)/(1<<20))
	fmt.Printf("%-40s %10.2f %10.2f %10.2f %9.0f MiB\n", "numpy, tensor by tensor (one process)", ref.wall, ref.inner, ref.cpu, float64(ref.rss)/(1<<20))
	fmt.Printf("ours faster by %.2fx (wall), uses %.2fx less CPU time and %.2fx less peak memory\n",
		ref.wall/ours.wall, ref.cpu/ours.cpu, float64(ref.rss)/float64(ours.rss))
	fmt.Printf("outputs: %d of %d values differ, %d of them by more than 1e-6 (max %.2g): numpy's |tau| >= threshold keeps\n", differ, total, ties, diff)
	fmt.Println("every entry tied with the k-th magnitude, ours keeps exactly k (the first by position, as PEFT's topk);")
	fmt.Println("the rest is float32 rounding (ours accumulates the mean in float64).")
	return nil
}

// compareFiles returns the largest absolute difference between two files'
// tensors, the number of differing values and of those differing by more
// than 1e-6.
func compareFiles(a, b string) (worst float64, differ, large int64, err error) {
	fa, err := dataset.OpenSafetensors(a)
	if err != nil {
		return 0, 0, 0, err
	}
	defer fa.Close()
	fb, err := dataset.OpenSafetensors(b)
	if err != nil {
		return 0, 0, 0, err
	}
	defer fb.Close()
	for _, name := range fa.Names() {
		x, err := fa.Float32s(name)
		if err != nil {
			return 0, 0, 0, err
		}
		y, err := fb.Float32s(name)
		if err != nil {
			return 0, 0, 0, err
		}
		for i := range x {
			if d := math.Abs(float64(x[i]) - float64(y[i])); d != 0 {
				differ++
				worst = max(worst, d)
				if d > 1e-6 {
					large++
				}
			}
		}
		fa.Release(name)
		fb.Release(name)
	}
	return worst, differ, large, nil
}
