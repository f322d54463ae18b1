package chart

import (
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"
	"gonum.org/v1/gonum/mat"
)

// groups splits point indices by label, the groups in the order of
// sortLabels (numbers numerically) when sorted is set, else in the order
// of first appearance; nil labels put everything in one group named
// "points", and so do more than maxLabelSeries distinct labels.
// O(n + k log k) for k distinct labels.
func groups(n int, labels []string, sorted bool) (names []string, members [][]int, err error) {
	if labels != nil && len(labels) != n {
		return nil, nil, fmt.Errorf("%d labels for %d points", len(labels), n)
	}
	byLabel := map[string][]int{}
	for i, l := range labels {
		g, ok := byLabel[l]
		if !ok {
			names = append(names, l)
		}
		byLabel[l] = append(g, i)
	}
	if labels == nil || len(names) > maxLabelSeries {
		all := make([]int, n)
		for i := range all {
			all[i] = i
		}
		return []string{"points"}, [][]int{all}, nil
	}
	if sorted {
		sortLabels(names)
	}
	members = make([][]int, len(names))
	for g, l := range names {
		members[g] = byLabel[l]
	}
	return names, members, nil
}

func pointName(i int, labels []string) string {
	if labels == nil {
		return fmt.Sprintf("#%d", i)
	}
	return fmt.Sprintf("#%d %s", i, labels[i])
}

func symbolSize(n int) int {
	switch {
	case n > 5000:
		return 3
	case n > 500:
		return 5
	}
	return 8
}

// project returns x itself (as a Dense) when it has exactly k columns, or
// its PCA scores, with axis names.
func project(x mat.Matrix, k int) (*mat.Dense, []string, error) {
	n, d := x.Dims()
	if n == 0 {
		return nil, nil, fmt.Errorf("no points")
	}
	if d < k {
		return nil, nil, fmt.Errorf("%d columns, need at least %d", d, k)
	}
	if d == k {
		axes := []string{"x", "y", "z"}[:k]
		dense := mat.DenseCopyOf(x)
		for i := 0; i < n; i++ {
			if err := checkFinite(fmt.Sprintf("row %d", i), dense.RawRowView(i)); err != nil {
				return nil, nil, err
			}
		}
		return dense, axes, nil
	}
	s, ev, err := PCA(x, k)
	if err != nil {
		return nil, nil, err
	}
	axes := make([]string, k)
	for j := range axes {
		axes[j] = fmt.Sprintf("PC%d (%.1f%%)", j+1, 100*ev[j])
	}
	return s, axes, nil
}

// projectGroups projects x on k coordinates (project) and groups its rows
// by label (labelTexts, groups); errors are prefixed with fn. It returns
// the labels' texts too.
func projectGroups(fn string, x mat.Matrix, k int, labels any) (p *mat.Dense, axes, texts, names []string, members [][]int, err error) {
	p, axes, err = project(x, k)
	if err != nil {
		return nil, nil, nil, nil, nil, fmt.Errorf("%s: %w", fn, err)
	}
	n, _ := p.Dims()
	if texts, err = labelTexts(labels, n); err != nil {
		return nil, nil, nil, nil, nil, fmt.Errorf("%s: %w", fn, err)
	}
	if names, members, err = groups(n, texts, true); err != nil {
		return nil, nil, nil, nil, nil, fmt.Errorf("%s: %w", fn, err)
	}
	return p, axes, texts, names, members, nil
}

// Embedding returns a 2-D scatter of the rows of x (n points × d): the
// points themselves when d = 2, else their projection on the two leading
// principal components (see PCA; axis names give the explained variance).
// Points are coloured by label: labels is nil or one label a point, a
// slice of strings, integers ([]int, []uint8, ...) or floats; each
// distinct label gets a series, a legend entry and a colour of Colors
// (tab10 up to 10 labels, tab20 up to 20; beyond 30 labels all points form
// one series), the legend sorted (numbers numerically: 2 before 10). The
// tooltip shows the point's index and label. Cost: PCA's, plus O(n) for
// the option and the SVG. Errors: labels of another type or length than
// n, fewer than 2 columns, NaN/Inf.
func Embedding(x mat.Matrix, labels any, title string) (*Chart, error) {
	p, axes, texts, names, members, err := projectGroups("chart.Embedding", x, 2, labels)
	if err != nil {
		return nil, err
	}
	n, _ := p.Dims()
	colors := Colors(len(names))
	sc := scatter2D(title, "{a}<br/>{b}: ({c})", len(names) > 1, axes,
		charts.WithToolboxOpts(opts.Toolbox{Show: opts.Bool(false)}), charts.WithColorsOpts(colors))
	size := symbolSize(n)
	for g, name := range names {
		data := make([]opts.ScatterData, len(members[g]))
		for k, i := range members[g] {
			data[k] = opts.ScatterData{Name: pointName(i, texts), Value: []float64{round(p.At(i, 0)), round(p.At(i, 1))}}
		}
		sc.AddSeries(name, data, charts.WithScatterChartOpts(opts.ScatterChart{SymbolSize: size}))
	}
	svg, png, serr := scatterStatic(p, names, members, colors, title, axes)
	c, err := finish(sc, svg, serr)
	if c != nil && serr == nil {
		c.PNG = png
	}
	return c, err
}

// scatter2D returns a scatter chart with an item tooltip of formatter, a
// scrolling legend at the bottom (shown when legend is set), value axes
// named axes[0] and axes[1], and the extra options.
func scatter2D(title, formatter string, legend bool, axes []string, extra ...charts.GlobalOpts) *charts.Scatter {
	sc := charts.NewScatter()
	sc.SetGlobalOptions(append(append(initOpts(title),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item", Formatter: types.FuncStr(formatter)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(legend), Type: "scroll", Top: "bottom"}),
		charts.WithXAxisOpts(opts.XAxis{Name: axes[0], Type: "value", Scale: opts.Bool(true), NameLocation: "middle", NameGap: 25}),
		charts.WithYAxisOpts(opts.YAxis{Name: axes[1], Type: "value", Scale: opts.Bool(true)}),
	), extra...)...)
	return sc
}

// round keeps 6 significant digits: enough for a screen, and it keeps the
// option JSON small.
func round(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	e := math.Pow(10, 5-math.Floor(math.Log10(math.Abs(x))))
	return math.Round(x*e) / e
}

// Embedding3D returns a 3-D scatter (echarts-gl scatter3D, rotatable) of
// the rows of x: the points when d = 3, else their three leading principal
// components. Labels, colours, legend and tooltips as in Embedding. Its
// static SVG shows the first two coordinates. Errors as Embedding's.
func Embedding3D(x mat.Matrix, labels any, title string) (*Chart, error) {
	p, axes, texts, names, members, err := projectGroups("chart.Embedding3D", x, 3, labels)
	if err != nil {
		return nil, err
	}
	n, _ := p.Dims()
	colors := Colors(len(names))
	sc := charts.NewScatter3D()
	sc.SetGlobalOptions(append(initOpts(title),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Formatter: "{a}<br/>{b}"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(len(names) > 1), Type: "scroll", Top: "bottom"}),
		charts.WithXAxis3DOpts(opts.XAxis3D{Name: axes[0], Type: "value"}),
		charts.WithYAxis3DOpts(opts.YAxis3D{Name: axes[1], Type: "value"}),
		charts.WithZAxis3DOpts(opts.ZAxis3D{Name: axes[2], Type: "value"}),
		charts.WithGrid3DOpts(opts.Grid3D{}),
		charts.WithColorsOpts(colors),
	)...)
	size := symbolSize(n)
	for g, name := range names {
		data := make([]opts.Chart3DData, len(members[g]))
		for k, i := range members[g] {
			data[k] = opts.Chart3DData{Name: pointName(i, texts),
				Value: []interface{}{round(p.At(i, 0)), round(p.At(i, 1)), round(p.At(i, 2))}}
		}
		sc.AddSeries(name, data, charts.WithScatterChartOpts(opts.ScatterChart{SymbolSize: size}))
	}
	svg, png, serr := scatterStatic(p, names, members, colors, title+" (PC1-PC2 of the 3-D chart)", axes[:2])
	c, err := finish(sc, svg, serr)
	if c != nil {
		c.GL = true
		if serr == nil {
			c.PNG = png
		}
	}
	return c, err
}

// EmbeddingRows is Embedding for points given as rows of a slice (one
// []float64 per point, all of the same length). O(n·d) extra for the copy.
func EmbeddingRows(points [][]float64, labels any, title string) (*Chart, error) {
	m, err := denseRows("chart.EmbeddingRows", points)
	if err != nil {
		return nil, err
	}
	return Embedding(m, labels, title)
}

// Embedding3DRows is Embedding3D for points given as rows of a slice.
func Embedding3DRows(points [][]float64, labels any, title string) (*Chart, error) {
	m, err := denseRows("chart.Embedding3DRows", points)
	if err != nil {
		return nil, err
	}
	return Embedding3D(m, labels, title)
}
