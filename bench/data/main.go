// Command data-bench measures the data and model parts against references
// run in the same job:
//
//   - reading an n x d float32 table from .npy (dataset.ReadNPYDense32) and
//     from .safetensors (memory-mapped, (*Safetensors).Dense32) against
//     numpy's np.load and np.fromfile of the same files, best of -reps
//     rounds alternating Go and Python; the ratio is numpy time / Go time
//     (> 1: Go is faster);
//   - MLP training throughput (samples per second) of the 64-128-64-10
//     network on the bundled digits, against scikit-learn's MLPClassifier
//     with the same architecture, optimizer, batch size and epochs;
//   - an intrinsic-dimension sweep (Li et al. 2018): the accuracy curve
//     over subspace dimensions and d_int90.
//
// The files are generated under -dir (build/bench-data by default), never
// in the repository.
//
//	go run -tags openblas ./bench/data -n 100000 -d 768
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/blas"
	"github.com/subspace-kernel/subspace/native/dataset"
	"github.com/subspace-kernel/subspace/native/dataset/digits"
	"github.com/subspace-kernel/subspace/native/mat32"
	"github.com/subspace-kernel/subspace/native/nn"
)

func main() {
	n := flag.Int("n", 100000, "rows of the table")
	d := flag.Int("d", 768, "columns of the table")
	reps := flag.Int("reps", 5, "rounds; the best time of each side is reported")
	dir := flag.String("dir", "build/bench-data", "directory for the generated files")
	py := flag.String("python", "/usr/bin/python3", "python with numpy and scikit-learn")
	scripts := flag.String("scripts", "bench/data", "directory of the Python scripts")
	epochs := flag.Int("epochs", 30, "MLP training epochs")
	dims := flag.String("dims", "10,20,40,80,120,160,240,320,480,640", "subspace dimensions of the sweep")
	sweeps := flag.String("sweeps", "sparse,dense", "projection kinds to sweep (sparse, dense)")
	only := flag.String("only", "", "run only 'io' or 'mlp'")
	flag.Parse()
	fmt.Printf("BLAS backend: %s\n", blas.Backend())
	var err error
	if *only != "mlp" {
		err = benchIO(*n, *d, *reps, *dir, *py, *scripts)
	}
	if err == nil && *only != "io" {
		err = benchMLP(*epochs, *dims, *sweeps, *dir, *py, *scripts)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "data-bench:", err)
		os.Exit(1)
	}
}

func checksum(m *mat32.Dense) float64 {
	r, c := m.Dims()
	s := 0.0
	for i := 0; i < r; i += 997 {
		for j := 0; j < c; j += 31 {
			s += float64(m.At(i, j))
		}
	}
	return s
}

func benchIO(n, d, reps int, dir, py, scripts string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	m := mat32.Zeros(n, d)
	raw := m.RawData()
	for i := range raw {
		raw[i] = float32(rng.NormFloat64())
	}
	npyPath := filepath.Join(dir, "emb.npy")
	stPath := filepath.Join(dir, "emb.safetensors")
	if err := dataset.WriteNPYDense32(npyPath, m); err != nil {
		return err
	}
	w := dataset.NewSafetensorsWriter()
	if err := w.AddDense32("emb", m, dataset.Float32); err != nil {
		return err
	}
	if err := w.Write(stPath); err != nil {
		return err
	}
	want := checksum(m)
	m, raw = nil, nil
	mb := float64(n*d*4) / 1e6
	fmt.Printf("\nreading a %d x %d float32 table (%.0f MB), best of %d rounds, Go and numpy alternating\n", n, d, mb, reps)
	bestGo := map[string]float64{"npy": 1e9, "safetensors": 1e9}
	bestPy := map[string]float64{"npy": 1e9, "safetensors": 1e9}
	for r := 0; r < reps; r++ {
		t := time.Now()
		x, err := dataset.ReadNPYDense32(npyPath)
		if err != nil {
			return err
		}
		bestGo["npy"] = min(bestGo["npy"], time.Since(t).Seconds())
		if c := checksum(x); c != want {
			return fmt.Errorf("npy checksum %v, want %v", c, want)
		}
		x = nil
		t = time.Now()
		st, err := dataset.OpenSafetensors(stPath)
		if err != nil {
			return err
		}
		y, err := st.Dense32("emb")
		st.Close()
		if err != nil {
			return err
		}
		bestGo["safetensors"] = min(bestGo["safetensors"], time.Since(t).Seconds())
		if c := checksum(y); c != want {
			return fmt.Errorf("safetensors checksum %v, want %v", c, want)
		}
		y = nil
		out, err := exec.Command(py, filepath.Join(scripts, "load_numpy.py"), "--npy", npyPath, "--safetensors", stPath).Output()
		if err != nil {
			return fmt.Errorf("numpy reference: %v (run `make deps`)", err)
		}
		var res struct {
			Best  map[string]float64
			Check map[string]float64
		}
		if err := json.Unmarshal(out, &res); err != nil {
			return err
		}
		for k, v := range res.Best {
			bestPy[k] = min(bestPy[k], v)
			if c := res.Check[k]; c != want {
				return fmt.Errorf("numpy %s checksum %v, want %v", k, c, want)
			}
		}
	}
	fmt.Printf("  %-40s %9s %9s %8s %9s\n", "", "Go s", "numpy s", "ratio", "Go GB/s")
	fmt.Printf("  %-40s %9.4f %9.4f %8.2f %9.2f\n", ".npy: ReadNPYDense32 vs np.load", bestGo["npy"], bestPy["npy"], bestPy["npy"]/bestGo["npy"], mb/1e3/bestGo["npy"])
	fmt.Printf("  %-40s %9.4f %9.4f %8.2f %9.2f\n", ".safetensors (mmap) vs np.fromfile", bestGo["safetensors"], bestPy["safetensors"], bestPy["safetensors"]/bestGo["safetensors"], mb/1e3/bestGo["safetensors"])
	fmt.Printf("  %-40s %9.4f %9.4f %8.2f\n", ".safetensors (mmap) vs np.load(.npy)", bestGo["safetensors"], bestPy["npy"], bestPy["npy"]/bestGo["safetensors"])
	fmt.Println("  ratio = numpy time / Go time (> 1: Go faster); checksums of both sides agree")
	return nil
}

func benchMLP(epochs int, dimList, sweeps string, dir, py, scripts string) error {
	x, y, err := digits.Load()
	if err != nil {
		return err
	}
	x.Scale(1.0/16, x)
	xtr, ytr, xte, yte, err := dataset.Split(x, y, 0.25, 1)
	if err != nil {
		return err
	}
	// The same split for scikit-learn.
	arrs := map[string]*dataset.Array{"xtr": dataset.FromDense(xtr), "xte": dataset.FromDense(xte)}
	arrs["ytr"], _ = dataset.FromInts(ytr)
	arrs["yte"], _ = dataset.FromInts(yte)
	split := filepath.Join(dir, "digits-split.npz")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := dataset.WriteNPZ(split, arrs, false); err != nil {
		return err
	}
	fmt.Printf("\nMLP 64-128-64-10 (ReLU, Adam, batch 32) on the digits: %d training, %d test rows, %d epochs\n", len(ytr), len(yte), epochs)
	var goS, goAcc float64
	for r := 0; r < 3; r++ {
		m, err := nn.NewMLP([]int{64, 128, 64, 10}, nn.ReLU, 1)
		if err != nil {
			return err
		}
		t := time.Now()
		if _, err := m.Train(xtr, ytr, nn.TrainConfig{Epochs: epochs, Seed: 1}); err != nil {
			return err
		}
		s := time.Since(t).Seconds()
		if r == 0 || s < goS {
			goS = s
		}
		goAcc, _ = m.Accuracy(xte, yte)
	}
	out, err := exec.Command(py, filepath.Join(scripts, "mlp_sklearn.py"), split, strconv.Itoa(epochs)).Output()
	if err != nil {
		return fmt.Errorf("sklearn reference: %v (run `make deps`)", err)
	}
	var sk struct {
		Seconds, SamplesPerS, Accuracy float64
	}
	var skm map[string]float64
	if err := json.Unmarshal(out, &skm); err != nil {
		return err
	}
	sk.Seconds, sk.SamplesPerS, sk.Accuracy = skm["seconds"], skm["samples_per_s"], skm["accuracy"]
	goSPS := float64(epochs*len(ytr)) / goS
	fmt.Printf("  %-22s %9s %14s %9s\n", "", "seconds", "samples/s", "accuracy")
	fmt.Printf("  %-22s %9.3f %14.0f %9.4f\n", "Go (native/nn)", goS, goSPS, goAcc)
	fmt.Printf("  %-22s %9.3f %14.0f %9.4f\n", "sklearn MLPClassifier", sk.Seconds, sk.SamplesPerS, sk.Accuracy)
	fmt.Printf("  throughput ratio Go / sklearn: %.2f\n", goSPS/sk.SamplesPerS)

	var dims []int
	for _, f := range strings.Split(dimList, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return fmt.Errorf("bad -dims: %v", err)
		}
		dims = append(dims, v)
	}
	for _, kind := range strings.Split(sweeps, ",") {
		if err := sweep(kind, dims, epochs, xtr, ytr, xte, yte); err != nil {
			return err
		}
	}
	return nil
}

func sweep(kind string, dims []int, epochs int, xtr *mat.Dense, ytr []int, xte *mat.Dense, yte []int) error {
	var sparse bool
	switch kind {
	case "sparse":
		sparse = true
	case "dense":
	default:
		return fmt.Errorf("unknown projection kind %q (want sparse or dense)", kind)
	}
	t := time.Now()
	res, err := nn.IntrinsicDimension(xtr, ytr, xte, yte, nn.SweepConfig{
		Sizes: []int{64, 128, 64, 10}, Activation: nn.ReLU, Seed: 1, Dims: dims, Sparse: sparse,
		Full:     nn.TrainConfig{Epochs: epochs, Seed: 1},
		Subspace: nn.TrainConfig{Epochs: 20, BatchSize: 64, LearningRate: 0.03, Seed: 1},
	})
	if err != nil {
		return err
	}
	desc := map[bool]string{true: "sparse, density 1/sqrt(D)", false: "dense Gaussian"}[sparse]
	fmt.Printf("\nintrinsic dimension sweep (%s projections, Adam lr 0.03, 20 epochs each): %.1f s\n", desc, time.Since(t).Seconds())
	fmt.Printf("  parameters D = %d, full-parameter test accuracy %.4f, 90%% threshold %.4f\n", res.NumParams, res.FullAccuracy, res.Threshold)
	for i, dd := range res.Dims {
		fmt.Printf("  d = %5d  accuracy %.4f\n", dd, res.Accuracy[i])
	}
	if res.DInt > 0 {
		fmt.Printf("  d_int90 = %d (D / d_int90 = %.0f)\n", res.DInt, float64(res.NumParams)/float64(res.DInt))
	} else {
		fmt.Println("  d_int90 not reached in this sweep")
	}
	return nil
}
