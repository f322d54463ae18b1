package chart

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
	"gonum.org/v1/gonum/mat"
)

// maxGridImages bounds ImageGrid: a grid is for looking at examples, and
// the PNG grows with every image.
const maxGridImages = 400

// Layout of an image grid, in pixels: every image is scaled by an integer
// factor to at least gridCell pixels a side, with a caption line below.
const (
	gridCell    = 56
	gridGap     = 6
	gridCaption = 14
	gridTitle   = 40
)

// ImageGrid returns a grid of grey-level images, e.g. MNIST digits: row i
// of images is one square image of side sqrt(columns) pixels in row-major
// order (784 columns: 28 x 28), drawn dark on white with the darkness
// scaled linearly from the matrix's minimum (white) to its maximum
// (black), cols images a row (0: up to 10), labels[i] (nil: none) written
// under image i. The grid is one PNG (pixelated upscaling to at least 56
// pixels a side), shown by the chart as an echarts graphic and kept as the
// static rendering. O(n * columns) time; at most 400 images. Errors:
// empty matrix, a column count that is not a square, NaN/Inf, label count
// differing from n, too many images.
func ImageGrid(images mat.Matrix, labels []string, cols int, title string) (*Chart, error) {
	n, d := images.Dims()
	side := int(math.Round(math.Sqrt(float64(d))))
	switch {
	case n == 0 || d == 0:
		return nil, fmt.Errorf("chart.ImageGrid: empty %d×%d matrix", n, d)
	case side*side != d:
		return nil, fmt.Errorf("chart.ImageGrid: %d columns is not a square image (side²)", d)
	case n > maxGridImages:
		return nil, fmt.Errorf("chart.ImageGrid: %d images, at most %d (pass a slice of the rows)", n, maxGridImages)
	case labels != nil && len(labels) != n:
		return nil, fmt.Errorf("chart.ImageGrid: %d labels for %d images", len(labels), n)
	case cols < 0:
		return nil, fmt.Errorf("chart.ImageGrid: cols = %d, want >= 0", cols)
	}
	if cols == 0 {
		cols = min(n, 10)
	}
	lo, hi, err := finiteRange(images)
	if err != nil {
		return nil, fmt.Errorf("chart.ImageGrid: %w", err)
	}
	img := gridImage(images, labels, side, cols, lo, hi)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("chart.ImageGrid: %w", err)
	}
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	c := &Chart{
		Option: map[string]any{
			"title": map[string]any{"text": title},
			"graphic": []any{map[string]any{
				"type": "image", "left": "center", "top": gridTitle,
				"style": map[string]any{"image": "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()),
					"width": float64(w), "height": float64(h)},
			}},
		},
		Height:      h + gridTitle + 10,
		PNG:         buf.Bytes(),
		Description: fmt.Sprintf("<image grid %q: %d images of %d×%d>", title, n, side, side),
	}
	return c, nil
}

// finiteRange returns the minimum and maximum of m, or an error naming a
// non-finite element.
func finiteRange(m mat.Matrix) (lo, hi float64, err error) {
	r, c := m.Dims()
	lo, hi = math.Inf(1), math.Inf(-1)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			v := m.At(i, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, 0, fmt.Errorf("non-finite value %v at row %d, column %d", v, i, j)
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	return lo, hi, nil
}

// gridScale is the integer upscaling factor of a side-pixel image.
func gridScale(side int) int { return max(1, (gridCell+side-1)/side) }

// gridImage draws the mosaic: white background, each image at
// (gap + col*(cell+gap), gap + row*(cell+caption+gap)).
func gridImage(images mat.Matrix, labels []string, side, cols int, lo, hi float64) *image.Gray {
	n, _ := images.Dims()
	s := gridScale(side)
	cell := side * s
	caption := 0
	if labels != nil {
		caption = gridCaption
	}
	rows := (n + cols - 1) / cols
	img := image.NewGray(image.Rect(0, 0, gridGap+cols*(cell+gridGap), gridGap+rows*(cell+caption+gridGap)))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for k := 0; k < n; k++ {
		x0, y0 := gridOrigin(k, cols, cell, caption)
		for p := 0; p < side*side; p++ {
			g := gridGrey(images.At(k, p), lo, hi)
			for dy := 0; dy < s; dy++ {
				off := img.PixOffset(x0+(p%side)*s, y0+(p/side)*s+dy)
				for dx := 0; dx < s; dx++ {
					img.Pix[off+dx] = g
				}
			}
		}
		if labels != nil {
			drawCaption(img, labels[k], x0, y0+cell, cell)
		}
	}
	return img
}

// gridOrigin is the top-left pixel of image k.
func gridOrigin(k, cols, cell, caption int) (x, y int) {
	return gridGap + (k%cols)*(cell+gridGap), gridGap + (k/cols)*(cell+caption+gridGap)
}

// gridGrey maps v in [lo, hi] to 255 (white, lo) .. 0 (black, hi).
func gridGrey(v, lo, hi float64) uint8 {
	if hi == lo {
		return 255
	}
	return uint8(math.Round(255 * (1 - (v-lo)/(hi-lo))))
}

// drawCaption writes s centred under an image (cut to the cell's width).
func drawCaption(img *image.Gray, s string, x0, y0, width int) {
	face := basicfont.Face7x13
	r := []rune(s)
	if maxRunes := width / 7; len(r) > maxRunes {
		r = r[:maxRunes]
	}
	w := font.MeasureString(face, string(r)).Round()
	d := font.Drawer{Dst: img, Src: image.NewUniform(color.Gray{Y: 0}), Face: face,
		Dot: fixed.P(x0+(width-w)/2, y0+11)}
	d.DrawString(string(r))
}
