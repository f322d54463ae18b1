package chart

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// decodePNG decodes a grid's PNG into grey levels.
func decodePNG(t *testing.T, b []byte) *image.Gray {
	t.Helper()
	im, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	g, ok := im.(*image.Gray)
	if !ok {
		t.Fatalf("PNG decodes to %T, want *image.Gray", im)
	}
	return g
}

// TestImageGridPixels draws 12 images of 28 x 28 and 3 of 8 x 8 and checks
// every pixel of every image in the PNG: value v shows as grey
// round(255 (1 - (v - min) / (max - min))) over a scale x scale block, at
// its grid position; the option's graphic carries the same PNG.
func TestImageGridPixels(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for _, c := range []struct{ n, side, cols, scale int }{{12, 28, 5, 2}, {3, 8, 0, 7}} {
		d := c.side * c.side
		x := mat.NewDense(c.n, d, nil)
		for i := 0; i < c.n; i++ {
			for j := 0; j < d; j++ {
				x.Set(i, j, 3*rng.Float64()-1)
			}
		}
		lo, hi := mat.Min(x), mat.Max(x)
		labels := make([]string, c.n)
		for i := range labels {
			labels[i] = string(rune('a' + i))
		}
		ch, err := ImageGrid(x, labels, c.cols, "grid")
		if err != nil {
			t.Fatal(err)
		}
		g := decodePNG(t, ch.PNG)
		cols := c.cols
		if cols == 0 {
			cols = c.n
		}
		cell := c.side * c.scale
		rows := (c.n + cols - 1) / cols
		if b := g.Bounds(); b.Dx() != 6+cols*(cell+6) || b.Dy() != 6+rows*(cell+14+6) {
			t.Fatalf("%d images of %d²: PNG %v", c.n, c.side, b)
		}
		for k := 0; k < c.n; k++ {
			x0, y0 := 6+(k%cols)*(cell+6), 6+(k/cols)*(cell+14+6)
			for p := 0; p < d; p++ {
				want := uint8(math.Round(255 * (1 - (x.At(k, p)-lo)/(hi-lo))))
				for dy := 0; dy < c.scale; dy++ {
					for dx := 0; dx < c.scale; dx++ {
						if got := g.GrayAt(x0+(p%c.side)*c.scale+dx, y0+(p/c.side)*c.scale+dy).Y; got != want {
							t.Fatalf("image %d pixel %d: grey %d, want %d", k, p, got, want)
						}
					}
				}
			}
			dark := 0
			for y := y0 + cell; y < y0+cell+14; y++ {
				for xx := x0; xx < x0+cell; xx++ {
					if g.GrayAt(xx, y).Y < 128 {
						dark++
					}
				}
			}
			if dark == 0 {
				t.Errorf("no caption drawn under image %d", k)
			}
		}
		gr := ch.Option["graphic"].([]any)[0].(map[string]any)
		if src := gr["style"].(map[string]any)["image"]; src != "data:image/png;base64,"+base64.StdEncoding.EncodeToString(ch.PNG) {
			t.Error("the graphic does not carry the PNG")
		}
		if _, ok := ch.DisplayBundle().Data["image/png"]; !ok {
			t.Error("no static image/png in the bundle")
		}
	}
}

// TestImageGridLayout: without labels there is no caption strip; a
// constant matrix is white; bad inputs are errors.
func TestImageGridLayout(t *testing.T) {
	x := mat.NewDense(4, 64, nil)
	ch, err := ImageGrid(x, nil, 2, "")
	if err != nil {
		t.Fatal(err)
	}
	g := decodePNG(t, ch.PNG)
	if b := g.Bounds(); b.Dx() != 6+2*62 || b.Dy() != 6+2*62 {
		t.Errorf("unlabelled 2x2 grid of 8² images: %v", b)
	}
	for _, v := range g.Pix {
		if v != 255 {
			t.Fatal("a constant matrix is not drawn white")
		}
	}
	nan := mat.NewDense(2, 4, nil)
	nan.Set(1, 3, math.NaN())
	for _, c := range []struct {
		x      mat.Matrix
		labels []string
		cols   int
		want   string
	}{
		{mat.NewDense(2, 10, nil), nil, 0, "10 columns is not a square"},
		{nan, nil, 0, "non-finite value NaN at row 1, column 3"},
		{mat.NewDense(2, 4, nil), []string{"a"}, 0, "1 labels for 2 images"},
		{mat.NewDense(401, 4, nil), nil, 0, "401 images"},
		{mat.NewDense(2, 4, nil), nil, -1, "cols = -1"},
	} {
		if _, err := ImageGrid(c.x, c.labels, c.cols, ""); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v, want %q", err, c.want)
		}
	}
}
