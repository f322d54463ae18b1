package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"strconv"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Static renderings of the helper charts with gonum/plot, stored as
// image/svg+xml in the bundle for viewers that do not run scripts. They are
// 16 cm × 10 cm; O(points) to draw.

const staticW, staticH = 16 * vg.Centimeter, 10 * vg.Centimeter

func hexColor(s string) color.Color {
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil || len(s) != 7 {
		return color.Black
	}
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}
}

func paletteColor(i int) color.Color { return hexColor(Palette[i%len(Palette)]) }

func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = x
	p.Y.Label.Text = y
	return p
}

func toSVG(p *plot.Plot) (s string, err error) {
	defer func() {
		if r := recover(); r != nil { // gonum/plot panics on some degenerate ranges
			err = fmt.Errorf("static chart: %v", r)
		}
	}()
	wt, err := p.WriterTo(staticW, staticH, "svg")
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if _, err := wt.WriteTo(&b); err != nil {
		return "", err
	}
	return b.String(), nil
}

// pngPoints is the number of points above which a scatter's static
// rendering is a PNG (about 100 kB) rather than an SVG (about 100 bytes a
// point).
const pngPoints = 2000

// toPNG renders p as a PNG at 100 dpi.
func toPNG(p *plot.Plot) (b []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("static chart: %v", r)
		}
	}()
	c := vgimg.NewWith(vgimg.UseWH(staticW, staticH), vgimg.UseDPI(100))
	p.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// scatterStatic draws the scatter as an SVG, or as a PNG above pngPoints
// points.
func scatterStatic(pts *mat.Dense, names []string, members [][]int, colors []string, title string, axes []string) (string, []byte, error) {
	p := newPlot(title, axes[0], axes[1])
	n, _ := pts.Dims()
	radius := vg.Points(2.5)
	if n > 500 {
		radius = vg.Points(1.5)
	}
	for g, idx := range members {
		xy := make(plotter.XYs, len(idx))
		for k, i := range idx {
			xy[k].X, xy[k].Y = pts.At(i, 0), pts.At(i, 1)
		}
		s, err := plotter.NewScatter(xy)
		if err != nil {
			return "", nil, err
		}
		s.GlyphStyle.Color = hexColor(colors[g])
		s.GlyphStyle.Radius = radius
		s.GlyphStyle.Shape = draw.CircleGlyph{}
		p.Add(s)
		if len(names) > 1 {
			p.Legend.Add(names[g], s)
		}
	}
	p.Legend.Top = true
	if n > pngPoints {
		png, err := toPNG(p)
		return "", png, err
	}
	svg, err := toSVG(p)
	return svg, nil, err
}

// ramp interpolates heatColors into a gonum palette.
type ramp int

func (r ramp) Colors() []color.Color {
	out := make([]color.Color, int(r))
	for k := range out {
		t := float64(k) / float64(int(r)-1) * float64(len(heatColors)-1)
		i := min(int(t), len(heatColors)-2)
		f := t - float64(i)
		a, b := hexColor(heatColors[i]).(color.RGBA), hexColor(heatColors[i+1]).(color.RGBA)
		mix := func(x, y uint8) uint8 { return uint8(float64(x) + f*(float64(y)-float64(x)) + 0.5) }
		out[k] = color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 255}
	}
	return out
}

type grid struct {
	m    mat.Matrix
	rows int
}

func (g grid) Dims() (c, r int) { r, c = g.m.Dims(); return c, r }
func (g grid) Z(c, r int) float64 {
	return g.m.At(g.rows-1-r, c)
}
func (g grid) X(c int) float64 { return float64(c) }
func (g grid) Y(r int) float64 { return float64(r) }

func heatmapSVG(m mat.Matrix, rowLabels, colLabels []string, title string, lo, hi float64) (string, error) {
	r, _ := m.Dims()
	p := newPlot(title, "", "")
	h := plotter.NewHeatMap(grid{m, r}, ramp(64))
	h.Min, h.Max = lo, hi
	p.Add(h)
	rev := make([]string, r)
	for i := range rev {
		rev[i] = rowLabels[r-1-i]
	}
	if len(colLabels) <= 40 {
		p.NominalX(colLabels...)
	}
	if r <= 40 {
		p.NominalY(rev...)
	}
	return toSVG(p)
}

func histogramSVG(counts []int, edges []float64, title, xLabel string) (string, error) {
	p := newPlot(title, xLabel, "count")
	bins := make([]plotter.HistogramBin, len(counts))
	for i, c := range counts {
		bins[i] = plotter.HistogramBin{Min: edges[i], Max: edges[i+1], Weight: float64(c)}
	}
	h := &plotter.Histogram{Bins: bins, Width: edges[1] - edges[0], FillColor: paletteColor(0)}
	h.LineStyle.Width = vg.Points(0.5)
	h.LineStyle.Color = color.White
	p.Add(h)
	return toSVG(p)
}

// boxSVG draws the precomputed boxes (the same statistics as the
// interactive chart) as polygons and lines.
func boxSVG(names []string, boxes []Box, title, yLabel string) (string, error) {
	p := newPlot(title, "", yLabel)
	const half = 0.3
	for g, b := range boxes {
		x := float64(g)
		rect, err := plotter.NewPolygon(plotter.XYs{{X: x - half, Y: b.Q1}, {X: x + half, Y: b.Q1}, {X: x + half, Y: b.Q3}, {X: x - half, Y: b.Q3}})
		if err != nil {
			return "", err
		}
		rect.Color = color.RGBA{0x54, 0x70, 0xc6, 0x40}
		rect.LineStyle.Color = paletteColor(0)
		p.Add(rect)
		for _, seg := range []plotter.XYs{
			{{X: x - half, Y: b.Median}, {X: x + half, Y: b.Median}},
			{{X: x, Y: b.Q3}, {X: x, Y: b.High}},
			{{X: x, Y: b.Q1}, {X: x, Y: b.Low}},
			{{X: x - half/2, Y: b.High}, {X: x + half/2, Y: b.High}},
			{{X: x - half/2, Y: b.Low}, {X: x + half/2, Y: b.Low}},
		} {
			l, err := plotter.NewLine(seg)
			if err != nil {
				return "", err
			}
			l.LineStyle.Color = paletteColor(0)
			l.LineStyle.Width = vg.Points(1)
			p.Add(l)
		}
		if len(b.Outliers) > 0 {
			xy := make(plotter.XYs, len(b.Outliers))
			for i, o := range b.Outliers {
				xy[i].X, xy[i].Y = x, o
			}
			s, err := plotter.NewScatter(xy)
			if err != nil {
				return "", err
			}
			s.GlyphStyle.Color = paletteColor(3)
			s.GlyphStyle.Radius = vg.Points(2)
			p.Add(s)
		}
	}
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.6, float64(len(boxes))-0.4
	return toSVG(p)
}
