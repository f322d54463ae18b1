// Package digits ships the 8x8 handwritten digits (1,797 images, 10
// classes; UCI "Optical Recognition of Handwritten Digits", CC BY 4.0, see
// LICENSE.md) inside the binary, so notebooks and tests have real data
// without a network: the same data as scikit-learn's load_digits.
package digits

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"gonum.org/v1/gonum/mat"
)

//go:embed digits.csv.gz
var raw []byte

// Samples, Features and Classes describe the dataset.
const (
	Samples  = 1797
	Features = 64
	Classes  = 10
)

// Load decodes the embedded data: images as a 1797 x 64 matrix of pixel
// counts 0..16 (row-major 8x8 images, rows in the file's order, the same
// as sklearn.datasets.load_digits) and labels 0..9. It returns fresh
// copies on every call (about 1 MB; a few milliseconds).
func Load() (*mat.Dense, []int, error) {
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, nil, fmt.Errorf("digits: embedded data: %w", err)
	}
	r := csv.NewReader(zr)
	r.FieldsPerRecord = Features + 1
	r.ReuseRecord = true
	x := mat.NewDense(Samples, Features, nil)
	y := make([]int, 0, Samples)
	for i := 0; ; i++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("digits: embedded data: %w", err)
		}
		if i >= Samples {
			return nil, nil, fmt.Errorf("digits: embedded data has more than %d rows", Samples)
		}
		for j := 0; j <= Features; j++ {
			v, err := strconv.ParseFloat(rec[j], 64)
			if err != nil {
				return nil, nil, fmt.Errorf("digits: row %d column %d: %w", i, j, err)
			}
			if j < Features {
				x.Set(i, j, v)
			} else {
				y = append(y, int(v))
			}
		}
	}
	if len(y) != Samples {
		return nil, nil, fmt.Errorf("digits: embedded data has %d rows, want %d", len(y), Samples)
	}
	return x, y, nil
}

// Image returns image i of x as an 8 x 8 matrix (a copy). O(64).
func Image(x mat.Matrix, i int) (*mat.Dense, error) {
	r, c := x.Dims()
	if c != Features || i < 0 || i >= r {
		return nil, fmt.Errorf("digits: image %d of a %dx%d matrix (want 64 columns, 0 <= i < %d)", i, r, c, r)
	}
	im := mat.NewDense(8, 8, nil)
	for k := 0; k < Features; k++ {
		im.Set(k/8, k%8, x.At(i, k))
	}
	return im, nil
}
