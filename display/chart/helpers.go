package chart

import (
	"fmt"
	"math"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/subspace-kernel/subspace/display"
	"gonum.org/v1/gonum/mat"
)

// heatColors is the colour ramp of heatmaps (viridis stops).
var heatColors = []string{"#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"}

// maxLabelSeries is the largest number of distinct labels that get one
// series (and legend entry, and colour) each; beyond it all points go in
// one series and labels stay in the tooltips.
const maxLabelSeries = 30

func initOpts(title string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{Height: fmt.Sprintf("%dpx", DefaultHeight)}),
		charts.WithTitleOpts(opts.Title{Title: title}),
		charts.WithColorsOpts(opts.Colors(Palette)),
		charts.WithAnimation(false),
	}
}

func finish(src any, svg string, err error) (*Chart, error) {
	c, ferr := FromECharts(src)
	if ferr != nil {
		return nil, ferr
	}
	if err == nil {
		c.SVG = svg
	}
	return c, nil
}

// Heatmap returns a heatmap of the matrix m (e.g. layer × layer CKA) with
// row and column labels (nil: indices), row 0 at the top, a continuous
// colour scale over [min, max] of m, and each cell's value in its tooltip
// (and written in the cell up to 16×16). O(rows·cols). Errors: label
// counts differ from m's dimensions, empty matrix, NaN/Inf.
func Heatmap(m mat.Matrix, rowLabels, colLabels []string, title string) (*Chart, error) {
	r, c := m.Dims()
	if r == 0 || c == 0 {
		return nil, fmt.Errorf("chart.Heatmap: empty %d×%d matrix", r, c)
	}
	if rowLabels == nil {
		rowLabels = indexLabels(r)
	}
	if colLabels == nil {
		colLabels = indexLabels(c)
	}
	if len(rowLabels) != r || len(colLabels) != c {
		return nil, fmt.Errorf("chart.Heatmap: %d row and %d column labels for a %d×%d matrix", len(rowLabels), len(colLabels), r, c)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	integers := true
	data := make([]opts.HeatMapData, 0, r*c)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			v := m.At(i, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("chart.Heatmap: non-finite value %v at row %d, column %d", v, i, j)
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
			integers = integers && v == math.Trunc(v)
			data = append(data, opts.HeatMapData{
				Name:  fmt.Sprintf("%s × %s: %s", rowLabels[i], colLabels[j], display.FormatFloat(v, 4)),
				Value: []interface{}{j, i, round(v)}})
		}
	}
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	prec := barPrecision(lo, hi, integers)
	hm := charts.NewHeatMap()
	hm.SetGlobalOptions(append(initOpts(title),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Formatter: "{b}"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: colLabels, SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: rowLabels, Inverse: opts.Bool(true), SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
		charts.WithVisualMapOpts(opts.VisualMap{Calculable: opts.Bool(true), Min: float32(lo), Max: float32(hi),
			Text:   []string{strconv.FormatFloat(hi, 'f', prec, 64), strconv.FormatFloat(lo, 'f', prec, 64)},
			Orient: "vertical", Right: "0", Top: "middle", InRange: &opts.VisualMapInRange{Color: heatColors}}),
		charts.WithGridOpts(opts.Grid{Right: "90"}),
	)...)
	hm.SetXAxis(colLabels)
	showValues := r <= 16 && c <= 16
	hm.AddSeries("value", data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(showValues)}))
	svg, serr := heatmapSVG(m, rowLabels, colLabels, title, lo, hi)
	ch, err := finish(hm, svg, serr)
	if err != nil {
		return nil, err
	}
	// go-echarts keeps min/max as float32 and omits zeros: set them
	// exactly, and the decimals of the colour bar's handles (echarts
	// shows none by default, so that 0.95 and 1 both read "1").
	if vms, ok := ch.Option["visualMap"].([]any); ok && len(vms) > 0 {
		if vm, ok := vms[0].(map[string]any); ok {
			vm["min"], vm["max"], vm["precision"] = lo, hi, prec
		}
	}
	return ch, nil
}

// barPrecision is the number of decimals a colour bar over [lo, hi] shows:
// none for integer data, else enough for two significant digits of the
// range (0.95 to 1 gives 3: "0.950", "1.000"), at most 10.
func barPrecision(lo, hi float64, integers bool) int {
	if integers {
		return 0
	}
	return min(max(1-int(math.Floor(math.Log10(hi-lo))), 0), 10)
}

func indexLabels(n int) []string {
	l := make([]string, n)
	for i := range l {
		l[i] = fmt.Sprint(i)
	}
	return l
}

// Histogram returns a histogram of values (e.g. local intrinsic dimension
// estimates) with bins equal-width bins (see HistogramCounts; bins <= 0
// picks Sturges' rule). The tooltip shows each bin's range and count. O(n).
func Histogram(values []float64, bins int, title, xLabel string) (*Chart, error) {
	counts, edges, err := HistogramCounts(values, bins)
	if err != nil {
		return nil, fmt.Errorf("chart.Histogram: %w", err)
	}
	cats := make([]string, len(counts))
	data := make([]opts.BarData, len(counts))
	for i, c := range counts {
		cats[i] = display.FormatFloat((edges[i]+edges[i+1])/2, 3)
		data[i] = opts.BarData{Name: fmt.Sprintf("[%s, %s%s: %d", display.FormatFloat(edges[i], 4),
			display.FormatFloat(edges[i+1], 4), map[bool]string{true: "]", false: ")"}[i == len(counts)-1], c), Value: c}
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(initOpts(title),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Formatter: "{b}"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithXAxisOpts(opts.XAxis{Name: xLabel, Type: "category", NameLocation: "middle", NameGap: 25}),
		charts.WithYAxisOpts(opts.YAxis{Name: "count", Type: "value"}),
	)...)
	bar.SetXAxis(cats)
	bar.AddSeries("count", data, charts.WithBarChartOpts(opts.BarChart{BarCategoryGap: "1%"}))
	svg, serr := histogramSVG(counts, edges, title, xLabel)
	return finish(bar, svg, serr)
}

// BoxPlot returns box plots of several groups of values side by side (e.g.
// local intrinsic dimension per layer): Tukey boxes from BoxStats, with
// outliers drawn as points. O(n log n) over all values. Errors: names and
// groups of different lengths, an empty group, NaN/Inf.
func BoxPlot(names []string, groups [][]float64, title, yLabel string) (*Chart, error) {
	if len(names) != len(groups) || len(groups) == 0 {
		return nil, fmt.Errorf("chart.BoxPlot: %d names for %d groups", len(names), len(groups))
	}
	boxes := make([]Box, len(groups))
	data := make([]opts.BoxPlotData, len(groups))
	var outliers []opts.ScatterData
	for g, v := range groups {
		b, err := BoxStats(v)
		if err != nil {
			return nil, fmt.Errorf("chart.BoxPlot: group %q: %w", names[g], err)
		}
		boxes[g] = b
		data[g] = opts.BoxPlotData{Name: names[g], Value: []float64{round(b.Low), round(b.Q1), round(b.Median), round(b.Q3), round(b.High)}}
		for _, o := range b.Outliers {
			outliers = append(outliers, opts.ScatterData{Name: names[g], Value: []interface{}{names[g], round(o)}})
		}
	}
	bp := charts.NewBoxPlot()
	bp.SetGlobalOptions(append(initOpts(title),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category"}),
		charts.WithYAxisOpts(opts.YAxis{Name: yLabel, Type: "value", Scale: opts.Bool(true)}),
	)...)
	bp.SetXAxis(names)
	bp.AddSeries("box", data)
	if len(outliers) > 0 {
		sc := charts.NewScatter()
		sc.AddSeries("outliers", outliers, charts.WithScatterChartOpts(opts.ScatterChart{SymbolSize: 5}))
		bp.Overlap(sc)
	}
	svg, serr := boxSVG(names, boxes, title, yLabel)
	return finish(bp, svg, serr)
}

// denseRows copies rows (each of the same length) into a matrix; the
// error names the first ragged row.
func denseRows(what string, rows [][]float64) (*mat.Dense, error) {
	if len(rows) == 0 || len(rows[0]) == 0 {
		return nil, fmt.Errorf("%s: empty input", what)
	}
	d := len(rows[0])
	m := mat.NewDense(len(rows), d, nil)
	for i, r := range rows {
		if len(r) != d {
			return nil, fmt.Errorf("%s: row %d has %d values, row 0 has %d", what, i, len(r), d)
		}
		m.SetRow(i, r)
	}
	return m, nil
}

// HeatmapRows is Heatmap for a matrix given as rows of a slice.
func HeatmapRows(rows [][]float64, rowLabels, colLabels []string, title string) (*Chart, error) {
	m, err := denseRows("chart.HeatmapRows", rows)
	if err != nil {
		return nil, err
	}
	return Heatmap(m, rowLabels, colLabels, title)
}
