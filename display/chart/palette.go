package chart

import (
	"fmt"
	"math"
)

// Palette is the categorical colour cycle of the helpers for up to 10
// series or classes: matplotlib's tab10 (Tableau 10), used by both the
// interactive chart and its static rendering.
var Palette = []string{"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
	"#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"}

// Palette20 is the categorical palette for 11 to 20 series or classes:
// matplotlib's tab20, the tab10 hues each followed by a lighter shade.
var Palette20 = []string{"#1f77b4", "#aec7e8", "#ff7f0e", "#ffbb78", "#2ca02c",
	"#98df8a", "#d62728", "#ff9896", "#9467bd", "#c5b0d5", "#8c564b", "#c49c94",
	"#e377c2", "#f7b6d2", "#7f7f7f", "#c7c7c7", "#bcbd22", "#dbdb8d", "#17becf", "#9edae5"}

// Colors returns n distinct colours ("#rrggbb") for n categories: the
// first n of Palette (tab10) up to 10, of Palette20 (tab20) up to 20, and
// beyond that n hues evenly spaced around the colour wheel at two
// alternating lightnesses. O(n).
func Colors(n int) []string {
	switch {
	case n <= 0:
		return nil
	case n <= len(Palette):
		return append([]string(nil), Palette[:n]...)
	case n <= len(Palette20):
		return append([]string(nil), Palette20[:n]...)
	}
	out := make([]string, n)
	for i := range out {
		l := 0.45
		if i%2 == 1 {
			l = 0.65
		}
		out[i] = hsl(360*float64(i)/float64(n), 0.65, l)
	}
	return out
}

// hsl converts a hue in degrees, a saturation and a lightness in [0, 1]
// to "#rrggbb".
func hsl(h, s, l float64) string {
	c := (1 - math.Abs(2*l-1)) * s
	x := c * (1 - math.Abs(math.Mod(h/60, 2)-1))
	m := l - c/2
	var r, g, b float64
	switch {
	case h < 60:
		r, g, b = c, x, 0
	case h < 120:
		r, g, b = x, c, 0
	case h < 180:
		r, g, b = 0, c, x
	case h < 240:
		r, g, b = 0, x, c
	case h < 300:
		r, g, b = x, 0, c
	default:
		r, g, b = c, 0, x
	}
	to8 := func(v float64) int { return int(math.Round(255 * (v + m))) }
	return fmt.Sprintf("#%02x%02x%02x", to8(r), to8(g), to8(b))
}
