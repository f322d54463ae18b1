// Command knnshapes compares exact kNN and the intrinsic-dimension
// estimators with the tools people would use instead, at every data shape,
// each reference run in the same job on the same data:
//
//   - kNN (self search, K = 20) on clustered data at n in {2,500, 20,000,
//     100,000} x d in {3, 10, 20, 50, 128}: ours (knn.Auto) in float64
//     against scikit-learn NearestNeighbors(algorithm='auto'), ours in
//     float32 against FAISS IndexFlatL2;
//   - every estimator of native/intrinsic on scikit-dimension's benchmark
//     manifolds (n = 2,500, regenerated with native/synthetic) against an
//     sklearn-based reference computing it as skdim does.
//
// It prints the times and the ratio reference / ours (> 1: we are faster).
// With -calibrate it instead times the KD-tree against brute force over a
// grid of (n, d, K), the measurements behind knn.Choose.
//
// Usage: knnshapes [-part all|knn|id] [-reps 3] [-dir build/bench/knnshapes]
package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"codeberg.org/sbinet/npyio"

	nblas "github.com/subspace-kernel/subspace/native/blas"
)

//go:embed reference.py
var referenceScript string

type config struct {
	reps      int
	dir, py   string
	script    string
	ns, ds    []int
	k, idn    int
	manifolds []string
	only      string
	dancoMaxD int
	// refQueries limits the references' queries at n >= 100,000 (their
	// times are scaled to all n): 0 for all.
	refQueries int
}

func main() {
	part := flag.String("part", "all", "all, knn or id")
	calibrate := flag.Bool("calibrate", false, "time the KD-tree against brute force (the measurements behind knn.Choose)")
	reps := flag.Int("reps", 3, "repetitions, best kept (1 at n = 100,000)")
	dir := flag.String("dir", "build/bench/knnshapes", "folder for the data files")
	py := flag.String("python", "/usr/bin/python3", "python with numpy, scikit-learn, scipy and faiss")
	ns := flag.String("n", "2500,20000,100000", "kNN sizes")
	ds := flag.String("d", "3,10,20,50,128", "kNN dimensions")
	k := flag.Int("k", 20, "neighbours for the kNN grid")
	idn := flag.Int("idn", 2500, "points of each benchmark manifold")
	manifolds := flag.String("manifolds", "", "comma-separated manifold names (default: all)")
	only := flag.String("estimators", "", "comma-separated estimator names (default: all)")
	refQueries := flag.Int("ref-queries", 10000, "at n >= 100,000 the references answer this many queries and their times are scaled to n (0: all)")
	dancoMaxD := flag.Int("danco-max-dim", 25, "run DANCo only on manifolds of at most this many columns (its calibration costs one search per column)")
	flag.Parse()
	c := config{reps: *reps, dir: *dir, py: *py, ns: ints(*ns), ds: ints(*ds), k: *k, idn: *idn, only: *only, dancoMaxD: *dancoMaxD}
	c.refQueries = *refQueries
	if *manifolds != "" {
		c.manifolds = strings.Split(*manifolds, ",")
	}
	if err := run(c, *part, *calibrate); err != nil {
		fmt.Fprintln(os.Stderr, "knnshapes:", err)
		os.Exit(1)
	}
}

func run(c config, part string, calibrate bool) error {
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	c.script = filepath.Join(c.dir, "reference.py")
	if err := os.WriteFile(c.script, []byte(referenceScript), 0o644); err != nil {
		return err
	}
	fmt.Printf("BLAS backend: %s, GOMAXPROCS %d, %d CPUs, %s\n", nblas.Backend(), runtime.GOMAXPROCS(0), runtime.NumCPU(), time.Now().Format("2006-01-02"))
	if calibrate {
		return calibrateChoose(c)
	}
	if part == "all" || part == "knn" {
		if err := knnGrid(c); err != nil {
			return err
		}
	}
	if part == "all" || part == "id" {
		return idTable(c)
	}
	return nil
}

func ints(s string) []int {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if v, err := strconv.Atoi(strings.TrimSpace(f)); err == nil {
			out = append(out, v)
		}
	}
	return out
}

// timing is the best wall time and the best CPU time (all threads of the
// process) of some runs, in seconds.
type timing struct{ wall, cpu float64 }

// best times reps runs of f, each after a garbage collection (untimed), so
// that a run does not pay for the garbage of the ones before.
func best(reps int, f func() error) (timing, error) {
	b := timing{math.Inf(1), math.Inf(1)}
	for range reps {
		runtime.GC()
		t, c := time.Now(), cpuTime()
		if err := f(); err != nil {
			return b, err
		}
		b.wall = min(b.wall, time.Since(t).Seconds())
		b.cpu = min(b.cpu, cpuTime()-c)
	}
	return b, nil
}

// cpuTime returns the user and system time of the process so far.
func cpuTime() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return math.NaN()
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

func save(path string, v any) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := npyio.Write(f, v); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// python runs the reference script with args and decodes its JSON.
func python(c config, out any, args ...string) error {
	cmd := exec.Command(c.py, append([]string{c.script}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("python reference failed (run `make deps`): %v\n%s", err, stderr.String())
	}
	return json.Unmarshal(stdout.Bytes(), out)
}

func ms(s float64) string {
	switch {
	case s >= 10:
		return fmt.Sprintf("%.1f s", s)
	case s >= 1:
		return fmt.Sprintf("%.2f s", s)
	}
	return fmt.Sprintf("%.1f ms", s*1e3)
}
