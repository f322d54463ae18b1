package chart

import (
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// maxWordMapPoints bounds WordMap: beyond a few hundred names the labels
// overlap into a blot.
const maxWordMapPoints = 500

// WordMap returns a 2-D map of named points, e.g. a word and its nearest
// neighbours in an embedding: the rows of x projected on their two leading
// principal components (the rows themselves when x has 2 columns; see
// PCA), each point written with its name, coloured by groups[i] (e.g. the
// query word whose neighbourhood it belongs to; nil: one colour). The
// static SVG carries the names too. Cost: PCA's plus O(n). Errors: names
// or groups of the wrong length, fewer than 2 columns, more than 500
// points, NaN/Inf.
func WordMap(x mat.Matrix, names, groups []string, title string) (*Chart, error) {
	n, _ := x.Dims()
	switch {
	case len(names) != n:
		return nil, fmt.Errorf("chart.WordMap: %d names for %d points", len(names), n)
	case n > maxWordMapPoints:
		return nil, fmt.Errorf("chart.WordMap: %d points, at most %d", n, maxWordMapPoints)
	}
	p, axes, err := project(x, 2)
	if err != nil {
		return nil, fmt.Errorf("chart.WordMap: %w", err)
	}
	gNames, members, err := groupsOf(n, groups)
	if err != nil {
		return nil, fmt.Errorf("chart.WordMap: %w", err)
	}
	colors := Colors(len(gNames))
	sc := scatter2D(title, "{a}<br/>{b}", len(gNames) > 1, axes, charts.WithColorsOpts(colors))
	for g, name := range gNames {
		data := make([]opts.ScatterData, len(members[g]))
		for k, i := range members[g] {
			data[k] = opts.ScatterData{Name: names[i], Value: []float64{round(p.At(i, 0)), round(p.At(i, 1))}}
		}
		sc.AddSeries(name, data,
			charts.WithScatterChartOpts(opts.ScatterChart{SymbolSize: 7}),
			charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "{b}", Position: "right", FontSize: 11}))
	}
	svg, serr := wordMapSVG(p, names, members, colors, title, axes)
	return finish(sc, svg, serr)
}

// groupsOf is groups in the order of first appearance (the order of the
// queries), with "words" as the name of the single group.
func groupsOf(n int, labels []string) ([]string, [][]int, error) {
	names, members, err := groups(n, labels, false)
	if err == nil && labels == nil {
		names = []string{"words"}
	}
	return names, members, err
}

// wordMapSVG draws the points of each group and their names.
func wordMapSVG(pts *mat.Dense, names []string, members [][]int, colors []string, title string, axes []string) (string, error) {
	p := newPlot(title, axes[0], axes[1])
	for g, idx := range members {
		xy := make(plotter.XYs, len(idx))
		lab := plotter.XYLabels{XYs: make(plotter.XYs, len(idx)), Labels: make([]string, len(idx))}
		for k, i := range idx {
			xy[k].X, xy[k].Y = pts.At(i, 0), pts.At(i, 1)
			lab.XYs[k], lab.Labels[k] = xy[k], names[i]
		}
		s, err := plotter.NewScatter(xy)
		if err != nil {
			return "", err
		}
		s.GlyphStyle.Color = hexColor(colors[g])
		s.GlyphStyle.Radius = vg.Points(2.5)
		s.GlyphStyle.Shape = draw.CircleGlyph{}
		l, err := plotter.NewLabels(lab)
		if err != nil {
			return "", err
		}
		for k := range l.TextStyle {
			l.TextStyle[k].Font.Size = vg.Points(7)
			l.TextStyle[k].Color = hexColor(colors[g])
		}
		l.Offset = vg.Point{X: vg.Points(3), Y: vg.Points(-2)}
		p.Add(s, l)
	}
	return toSVG(p)
}
