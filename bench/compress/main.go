// Command compress-bench times exact float32 kNN, HNSW, product
// quantisation and binary Hamming search (native/knn, native/ann,
// native/compress) against FAISS (IndexFlatL2, IndexPQ, IndexBinaryFlat)
// and hnswlib, run in the same job on the same data, one comparison after
// the other, and prints the times, the recalls and the ratios
// (reference / ours: above 1 means we are faster).
//
// With -glove N it prints instead the recall@10 / memory / speed table of
// every method on N GloVe words (100 dimensions, make data).
//
// Usage: compress-bench [-n 20000] [-d 128] [-k 20] [-big 100000] [-reps 3] [-threads 0] [-dir build/bench/compress] [-glove 0]
package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	nblas "github.com/subspace-kernel/subspace/native/blas"
	"github.com/subspace-kernel/subspace/native/dataset"
	"github.com/subspace-kernel/subspace/native/mat32"
	"github.com/subspace-kernel/subspace/native/synthetic"
)

//go:embed reference.py
var referenceScript string

// config holds the flags.
type config struct {
	n, d, k, big, queries, reps, threads int
	glove                                int
	dir, py                              string
}

func main() {
	var c config
	flag.IntVar(&c.n, "n", 20000, "points for exact kNN and HNSW")
	flag.IntVar(&c.d, "d", 128, "dimension")
	flag.IntVar(&c.k, "k", 20, "neighbours of the exact self search")
	flag.IntVar(&c.big, "big", 100000, "points for PQ and binary search")
	flag.IntVar(&c.queries, "queries", 1000, "queries for HNSW, PQ and binary search")
	flag.IntVar(&c.reps, "reps", 3, "repetitions of each search (best time kept)")
	flag.IntVar(&c.threads, "threads", 0, "threads on both sides (0: all cores; OpenBLAS in Go follows OPENBLAS_NUM_THREADS)")
	flag.StringVar(&c.dir, "dir", "build/bench/compress", "folder for the data files")
	flag.StringVar(&c.py, "python", "/usr/bin/python3", "python with faiss and hnswlib")
	flag.IntVar(&c.glove, "glove", 0, "if > 0: only print the recall / memory / speed table of every method on this many GloVe words (make data)")
	flag.Parse()
	if c.threads > 0 {
		runtime.GOMAXPROCS(c.threads)
	}
	run := run
	if c.glove > 0 {
		run = func(c config) error { return gloveTable(c.glove) }
	}
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "compress-bench:", err)
		os.Exit(1)
	}
}

func run(c config) error {
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("BLAS %s, GOMAXPROCS %d, %d CPUs, load average %s\n", nblas.Backend(), runtime.GOMAXPROCS(0), runtime.NumCPU(), strings.Join(strings.Fields(string(load))[:3], " "))
	var rows []row
	steps := []func(config) ([]row, error){benchExact, benchHNSW, benchPQ, benchBinary}
	for _, step := range steps {
		r, err := step(c)
		if err != nil {
			return err
		}
		rows = append(rows, r...)
	}
	fmt.Printf("\n%-52s %10s %10s %8s\n", "benchmark", "ours (s)", "ref (s)", "speed-up")
	for _, r := range rows {
		fmt.Printf("%-52s %10.3f %10.3f %7.2fx\n", r.name, r.ours, r.ref, r.ref/r.ours)
	}
	fmt.Println("\nspeed-up = reference time / our time (> 1: we are faster); the goal is >= 1 for exact search and >= 0.67 (within 1.5x) for the others.")
	return nil
}

// row is one line of the final table.
type row struct {
	name      string
	ours, ref float64
}

// mixture returns n points in d dimensions from a 50-cluster Gaussian
// mixture (unit spread, centres in [-3, 3]^d), rows shuffled, as float32.
func mixture(n, d int, seed uint64) (*mat32.Dense, error) {
	x, _, err := synthetic.GaussianMixture(n, 50, d, 1, 3, seed)
	if err != nil {
		return nil, err
	}
	perm := rand.New(rand.NewPCG(seed, 1)).Perm(n)
	out := mat32.Zeros(n, d)
	for i, p := range perm {
		for j := range d {
			out.Set(i, j, float32(x.At(p, j)))
		}
	}
	return out, nil
}

// split cuts x into its first n rows and the rest.
func split(x *mat32.Dense, n int) (*mat32.Dense, *mat32.Dense) {
	r, d := x.Dims()
	a, _ := mat32.New(n, d, x.RawData()[:n*d])
	b, _ := mat32.New(r-n, d, x.RawData()[n*d:])
	return a, b
}

// save writes x as a float32 .npy file in the bench folder.
func save(c config, name string, x *mat32.Dense) error {
	return dataset.WriteNPYDense32(filepath.Join(c.dir, name), x)
}

// python runs one task of reference.py and decodes its JSON into out.
func python(c config, out any, task string, args ...any) error {
	script := filepath.Join(c.dir, "reference.py")
	if err := os.WriteFile(script, []byte(referenceScript), 0o644); err != nil {
		return err
	}
	argv := []string{script, task, c.dir, fmt.Sprint(c.threads), fmt.Sprint(c.reps)}
	for _, a := range args {
		argv = append(argv, fmt.Sprint(a))
	}
	cmd := exec.Command(c.py, argv...)
	if c.threads > 0 {
		t := fmt.Sprint(c.threads)
		cmd.Env = append(os.Environ(), "OMP_NUM_THREADS="+t, "OPENBLAS_NUM_THREADS="+t)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("python reference %s failed (needs python3-faiss and python3-hnswlib: run `make deps`): %v\n%s", task, err, stderr.String())
	}
	if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
		return fmt.Errorf("python reference %s: %v\n%s", task, err, stdout.String())
	}
	return nil
}
