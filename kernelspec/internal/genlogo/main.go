// Command genlogo draws the kernel's logos (logo-32x32.png, logo-64x64.png)
// into the current directory: two planes (lines through the origin) on a
// dark disc, the picture of two subspaces and their principal angle.
// Run by go generate in package kernelspec.
package main

import (
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
	"strconv"
)

func main() {
	for _, n := range []int{32, 64} {
		if err := write(n); err != nil {
			log.Fatal(err)
		}
	}
}

// coverage of a pixel by a shape, supersampled 4x4.
func sample(n, x, y int, in func(u, v float64) bool) float64 {
	c := 0
	for i := 0; i < 4; i++ {
		for j := 0; j < 4; j++ {
			u := (float64(x)+(float64(i)+0.5)/4)/float64(n)*2 - 1
			v := (float64(y)+(float64(j)+0.5)/4)/float64(n)*2 - 1
			if in(u, v) {
				c++
			}
		}
	}
	return float64(c) / 16
}

func write(n int) error {
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	bg := [3]float64{0x1b, 0x2a, 0x4a}
	line := func(angle, width float64) func(u, v float64) bool {
		s, c := math.Sincos(angle)
		return func(u, v float64) bool { return math.Abs(u*s-v*c) < width && u*u+v*v < 0.72 }
	}
	a := line(math.Pi/6, 0.09)
	b := line(math.Pi/2.4, 0.09)
	disc := func(u, v float64) bool { return u*u+v*v < 0.96 }
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			cov := sample(n, x, y, disc)
			ca := sample(n, x, y, a)
			cb := sample(n, x, y, b)
			col := bg
			mix := func(c [3]float64, t float64) {
				for k := range col {
					col[k] = col[k]*(1-t) + c[k]*t
				}
			}
			mix([3]float64{0x00, 0xad, 0xd8}, ca) // Go blue
			mix([3]float64{0xff, 0xb0, 0x3b}, cb)
			img.SetNRGBA(x, y, color.NRGBA{uint8(col[0]), uint8(col[1]), uint8(col[2]), uint8(255 * cov)})
		}
	}
	f, err := os.Create("logo-" + strconv.Itoa(n) + "x" + strconv.Itoa(n) + ".png")
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
