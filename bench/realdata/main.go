// Command realdata-bench measures the real data sets against numpy in the
// same run (ratios numpy time / Go time, > 1: Go faster), best of -reps
// rounds with Go and numpy alternating:
//
//   - the converted GloVe matrix (341,479 x 100 float32): the matrix alone
//     (dataset.ReadNPYDense32) and glove.Load(0) (matrix, vocabulary, word
//     index) against np.load, and np.load plus the vocabulary and a dict;
//   - the MNIST files: mnist.Load (float64 images and the split) against
//     np.load of the two files;
//   - training the 784-256-128-10 MLP on the MNIST split (native/nn)
//     against scikit-learn's MLPClassifier with the same architecture,
//     optimizer, batch size, learning rate and epochs.
//
// It reads the files `make data` wrote (see package datadir).
//
//	go run -tags openblas ./bench/realdata -reps 7
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/subspace-kernel/subspace/native/blas"
	"github.com/subspace-kernel/subspace/native/dataset"
	"github.com/subspace-kernel/subspace/native/dataset/datadir"
	"github.com/subspace-kernel/subspace/native/dataset/glove"
	"github.com/subspace-kernel/subspace/native/dataset/mnist"
	"github.com/subspace-kernel/subspace/native/mat32"
	"github.com/subspace-kernel/subspace/native/nn"
)

func main() {
	reps := flag.Int("reps", 7, "rounds; the best time of each side is reported")
	py := flag.String("python", "/usr/bin/python3", "python with numpy and scikit-learn")
	script := flag.String("script", "bench/realdata/load_numpy.py", "the numpy loading script")
	mlpScript := flag.String("mlp-script", "bench/data/mlp_sklearn.py", "the scikit-learn MLP script (shared with bench/data)")
	epochs := flag.Int("epochs", 8, "MLP epochs (0: skip the MLP)")
	flag.Parse()
	fmt.Printf("BLAS backend: %s\n", blas.Backend())
	err := benchLoad(*reps, *py, *script)
	if err == nil && *epochs > 0 {
		err = benchMLP(*epochs, *py, *mlpScript)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "realdata-bench:", err)
		os.Exit(1)
	}
}

// files returns the converted files, or the loaders' missing-file error.
func files() (map[string]string, error) {
	out := map[string]string{}
	for _, f := range [][2]string{{"glove", "vectors.npy"}, {"glove", "vocab.txt"}, {"mnist", "images.npy"}, {"mnist", "labels.npy"}} {
		p, err := datadir.File(f[0], f[1])
		if err != nil {
			return nil, err
		}
		out[f[1]] = p
	}
	return out, nil
}

func checksum(m *mat32.Dense, si, sj int) float64 {
	r, c := m.Dims()
	s := 0.0
	for i := 0; i < r; i += si {
		for j := 0; j < c; j += sj {
			s += float64(m.At(i, j))
		}
	}
	return s
}

// timed runs f, keeps the shortest duration in seconds in *best (0: none
// yet) and returns f's error.
func timed(best *float64, f func() error) error {
	t := time.Now()
	err := f()
	if s := time.Since(t).Seconds(); *best == 0 || s < *best {
		*best = s
	}
	return err
}

// goTimes are the best Go times of the loading benchmark, with checksums.
type goTimes struct {
	vectors, all, mnistRaw, mnist float64
	sumVectors, sumMnist          float64
	words                         int
}

// round times each Go loader once, keeping the best times.
func (g *goTimes) round(f map[string]string) error {
	err := timed(&g.vectors, func() error {
		m, err := dataset.ReadNPYDense32(f["vectors.npy"])
		if err == nil {
			g.sumVectors = checksum(m, 997, 31)
		}
		return err
	})
	if err == nil {
		err = timed(&g.all, func() error {
			e, err := glove.Load(0)
			if err == nil {
				g.words = e.Len()
			}
			return err
		})
	}
	if err == nil {
		err = timed(&g.mnistRaw, func() error {
			x, err := dataset.ReadNPYDense32(f["images.npy"])
			if err != nil {
				return err
			}
			y, err := dataset.ReadNPY(f["labels.npy"])
			if err != nil {
				return err
			}
			l, _ := y.Ints()
			g.sumMnist = checksum(x, 97, 7)
			for _, v := range l {
				g.sumMnist += float64(v)
			}
			return nil
		})
	}
	if err == nil {
		err = timed(&g.mnist, func() error { _, err := mnist.Load(); return err })
	}
	return err
}

// npTimes is what load_numpy.py prints.
type npTimes struct {
	Vectors      float64 `json:"vectors"`
	GloveAll     float64 `json:"glove_all"`
	Mnist        float64 `json:"mnist"`
	CheckVectors float64 `json:"check_vectors"`
	CheckMnist   float64 `json:"check_mnist"`
	Words        int     `json:"words"`
}

// numpyRound runs the numpy script once.
func numpyRound(py, script string, f map[string]string) (npTimes, error) {
	var res npTimes
	out, err := exec.Command(py, script, "--vectors", f["vectors.npy"], "--vocab", f["vocab.txt"],
		"--images", f["images.npy"], "--labels", f["labels.npy"]).Output()
	if err != nil {
		return res, fmt.Errorf("numpy reference: %v (run `make deps`)", err)
	}
	return res, json.Unmarshal(out, &res)
}

func benchLoad(reps int, py, script string) error {
	f, err := files()
	if err != nil {
		return err
	}
	var g goTimes
	np := npTimes{Vectors: 1e9, GloveAll: 1e9, Mnist: 1e9}
	for r := 0; r < reps; r++ {
		if err := g.round(f); err != nil {
			return err
		}
		res, err := numpyRound(py, script, f)
		if err != nil {
			return err
		}
		np.Vectors, np.GloveAll, np.Mnist = min(np.Vectors, res.Vectors), min(np.GloveAll, res.GloveAll), min(np.Mnist, res.Mnist)
		if res.CheckVectors != g.sumVectors || res.CheckMnist != g.sumMnist || res.Words != g.words {
			return fmt.Errorf("checksums differ: numpy %v %v %d words, Go %v %v %d words", res.CheckVectors, res.CheckMnist, res.Words, g.sumVectors, g.sumMnist, g.words)
		}
	}
	mb := func(name string) float64 { st, _ := os.Stat(f[name]); return float64(st.Size()) / 1e6 }
	fmt.Printf("\nloading the converted data, best of %d rounds, Go and numpy alternating (%d words)\n", reps, g.words)
	fmt.Printf("  %-56s %9s %9s %8s\n", "", "Go s", "numpy s", "ratio")
	row := func(what string, gs, ps float64) { fmt.Printf("  %-56s %9.4f %9.4f %8.2f\n", what, gs, ps, ps/gs) }
	row(fmt.Sprintf("GloVe matrix (%.0f MB): ReadNPYDense32 vs np.load", mb("vectors.npy")), g.vectors, np.Vectors)
	row("glove.Load(0) vs np.load + vocabulary + dict", g.all, np.GloveAll)
	row(fmt.Sprintf("MNIST files (%.0f MB): ReadNPYDense32+ReadNPY vs np.load", mb("images.npy")), g.mnistRaw, np.Mnist)
	row("mnist.Load (float64 + split) vs np.load", g.mnist, np.Mnist)
	fmt.Println("  ratio = numpy time / Go time (> 1: Go faster); checksums of both sides agree")
	return nil
}

func benchMLP(epochs int, py, script string) error {
	s, err := mnist.Load()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "realdata-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	arrs := map[string]*dataset.Array{"xtr": dataset.FromDense(s.TrainImages), "xte": dataset.FromDense(s.TestImages)}
	arrs["ytr"], _ = dataset.FromInts(s.TrainLabels)
	arrs["yte"], _ = dataset.FromInts(s.TestLabels)
	split := filepath.Join(dir, "mnist-split.npz")
	if err := dataset.WriteNPZ(split, arrs, false); err != nil {
		return err
	}
	const batch, lr = 128, 2e-3
	fmt.Printf("\nMLP 784-256-128-10 (ReLU, Adam lr %g, batch %d) on MNIST: %d training, %d test images, %d epochs\n",
		lr, batch, len(s.TrainLabels), len(s.TestLabels), epochs)
	m, err := nn.NewMLP([]int{mnist.Features, 256, 128, mnist.Classes}, nn.ReLU, 1)
	if err != nil {
		return err
	}
	t := time.Now()
	if _, err := m.Train(s.TrainImages, s.TrainLabels, nn.TrainConfig{Epochs: epochs, BatchSize: batch, LearningRate: lr, Seed: 1}); err != nil {
		return err
	}
	goS := time.Since(t).Seconds()
	goAcc, _ := m.Accuracy(s.TestImages, s.TestLabels)
	out, err := exec.Command(py, script, split, strconv.Itoa(epochs), "256,128", strconv.Itoa(batch), strconv.FormatFloat(lr, 'g', -1, 64)).Output()
	if err != nil {
		return fmt.Errorf("sklearn reference: %v (run `make deps`)", err)
	}
	var sk map[string]float64
	if err := json.Unmarshal(out, &sk); err != nil {
		return err
	}
	goSPS := float64(epochs*len(s.TrainLabels)) / goS
	fmt.Printf("  %-22s %9s %14s %9s\n", "", "seconds", "samples/s", "accuracy")
	fmt.Printf("  %-22s %9.3f %14.0f %9.4f\n", "Go (native/nn)", goS, goSPS, goAcc)
	fmt.Printf("  %-22s %9.3f %14.0f %9.4f\n", "sklearn MLPClassifier", sk["seconds"], sk["samples_per_s"], sk["accuracy"])
	fmt.Printf("  throughput ratio Go / sklearn: %.2f\n", goSPS/sk["samples_per_s"])
	return nil
}
