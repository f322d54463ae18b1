package chart

import (
	"fmt"
	"image/color"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Series is one line of a Line chart: Y against X (X nil means 0, 1, 2,
// ..., e.g. layer indices), with an optional shaded band between Lower and
// Upper (e.g. mean ± a confidence interval; see Band): both nil, or both
// as long as Y.
type Series struct {
	Name         string
	X, Y         []float64
	Lower, Upper []float64
}

// Band returns the Series of mean against x (nil: 0, 1, 2, ...) with the
// band mean ± halfWidth shaded around it: halfWidth is one value a point,
// e.g. 1.96 standard errors for a 95% confidence interval, or a standard
// deviation. Lengths are checked by Line. O(n).
func Band(name string, x, mean, halfWidth []float64) Series {
	lo, hi := make([]float64, len(halfWidth)), make([]float64, len(halfWidth))
	for i, h := range halfWidth {
		if i < len(mean) {
			lo[i], hi[i] = mean[i]-h, mean[i]+h
		}
	}
	return Series{Name: name, X: x, Y: mean, Lower: lo, Upper: hi}
}

// bandOpacity is the opacity of a band's fill.
const bandOpacity = 0.2

// Line returns a line chart of one or more series on numeric axes (value
// per layer, spectra, recall against memory), each in a colour of Colors,
// with the bands of the series that have one (Lower and Upper) shaded in
// the same colour under the lines; a band follows its line in the legend.
// O(total points). Errors: no series, X, Y, Lower or Upper of different
// lengths, only one of Lower and Upper, NaN/Inf.
func Line(title, xLabel, yLabel string, series ...Series) (*Chart, error) {
	if len(series) == 0 {
		return nil, fmt.Errorf("chart.Line: no series")
	}
	colors := Colors(len(series))
	ln := charts.NewLine()
	ln.SetGlobalOptions(append(initOpts(title),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(len(series) > 1), Top: "bottom"}),
		charts.WithXAxisOpts(opts.XAxis{Name: xLabel, Type: "value", Scale: opts.Bool(true), NameLocation: "middle", NameGap: 25}),
		charts.WithYAxisOpts(opts.YAxis{Name: yLabel, Type: "value", Scale: opts.Bool(true)}),
		charts.WithColorsOpts(colors),
	)...)
	xs := make([][]float64, len(series))
	var banded []int
	for s, se := range series {
		x, err := checkSeries(se)
		if err != nil {
			return nil, err
		}
		xs[s] = x
		ln.AddSeries(se.Name, lineData(x, se.Y), charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(len(x) <= 50)}))
		if se.Lower != nil {
			banded = append(banded, s)
		}
	}
	// A band is two series stacked on each other: its lower edge, then
	// its width filled down to that edge. Their points are (y, x): echarts
	// stacks the first numeric dimension, which would be x on value axes.
	for _, s := range banded {
		se := series[s]
		width := make([]float64, len(se.Y))
		for i := range width {
			width[i] = se.Upper[i] - se.Lower[i]
		}
		ln.AddSeries(se.Name, lineData(se.Lower, xs[s]))
		ln.AddSeries(se.Name, lineData(width, xs[s]))
	}
	svg, serr := lineSVG(series, xs, colors, title, xLabel, yLabel)
	ch, err := finish(ln, svg, serr)
	if err != nil {
		return nil, err
	}
	styleBands(ch.Option, len(series), banded, colors)
	return ch, nil
}

// checkSeries checks the lengths and values of a series and returns its X
// (0, 1, 2, ... when nil).
func checkSeries(se Series) ([]float64, error) {
	x := se.X
	if x == nil {
		x = make([]float64, len(se.Y))
		for i := range x {
			x[i] = float64(i)
		}
	}
	if len(x) != len(se.Y) {
		return nil, fmt.Errorf("chart.Line: series %q has %d x and %d y values", se.Name, len(x), len(se.Y))
	}
	if (se.Lower == nil) != (se.Upper == nil) {
		return nil, fmt.Errorf("chart.Line: series %q has only one of Lower and Upper", se.Name)
	}
	if se.Lower != nil && (len(se.Lower) != len(se.Y) || len(se.Upper) != len(se.Y)) {
		return nil, fmt.Errorf("chart.Line: series %q has %d y, %d lower and %d upper values", se.Name, len(se.Y), len(se.Lower), len(se.Upper))
	}
	for _, part := range []struct {
		what string
		v    []float64
	}{{"x", x}, {"y", se.Y}, {"lower", se.Lower}, {"upper", se.Upper}} {
		if err := checkFinite(fmt.Sprintf("chart.Line: series %q %s", se.Name, part.what), part.v); err != nil {
			return nil, err
		}
	}
	return x, nil
}

func lineData(x, y []float64) []opts.LineData {
	data := make([]opts.LineData, len(x))
	for i := range x {
		data[i] = opts.LineData{Value: []float64{round(x[i]), round(y[i])}}
	}
	return data
}

// styleBands sets the options go-echarts does not have on the band series
// that follow the n lines of opt: points read as (y, x), stacked on y by
// index whatever the signs (stackStrategy "all"), no line, no symbol, no
// tooltip, the width filled in the colour of its line.
func styleBands(opt map[string]any, n int, banded []int, colors []string) {
	list, _ := opt["series"].([]any)
	for k, s := range banded {
		for e := 0; e < 2; e++ {
			i := n + 2*k + e
			if i >= len(list) {
				return
			}
			m, ok := list[i].(map[string]any)
			if !ok {
				continue
			}
			m["encode"] = map[string]any{"x": 1, "y": 0}
			m["stack"] = fmt.Sprintf("band %d", s)
			m["stackStrategy"] = "all"
			m["symbol"], m["showSymbol"], m["silent"] = "none", false, true
			m["lineStyle"] = map[string]any{"opacity": 0}
			m["itemStyle"] = map[string]any{"color": colors[s]}
			m["tooltip"] = map[string]any{"show": false}
			m["emphasis"] = map[string]any{"disabled": true}
			m["z"] = 1
			if e == 1 {
				m["areaStyle"] = map[string]any{"color": colors[s], "opacity": bandOpacity}
			}
		}
	}
}

// lineSVG draws the bands, then the lines, in the colours of the chart.
func lineSVG(series []Series, xs [][]float64, colors []string, title, xLabel, yLabel string) (string, error) {
	p := newPlot(title, xLabel, yLabel)
	for s, se := range series {
		if se.Lower == nil || len(se.Y) == 0 {
			continue
		}
		n := len(se.Y)
		ring := make(plotter.XYs, 2*n)
		for i := 0; i < n; i++ {
			ring[i] = plotter.XY{X: xs[s][i], Y: se.Upper[i]}
			ring[2*n-1-i] = plotter.XY{X: xs[s][i], Y: se.Lower[i]}
		}
		poly, err := plotter.NewPolygon(ring)
		if err != nil {
			return "", err
		}
		r, g, b, _ := hexColor(colors[s]).RGBA()
		poly.Color = color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(255 * bandOpacity)}
		poly.LineStyle.Width = 0
		p.Add(poly)
	}
	for s, se := range series {
		xy := make(plotter.XYs, len(se.Y))
		for i := range xy {
			xy[i].X, xy[i].Y = xs[s][i], se.Y[i]
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return "", err
		}
		l.LineStyle.Color = hexColor(colors[s])
		l.LineStyle.Width = vg.Points(1.5)
		p.Add(l)
		if len(series) > 1 {
			p.Legend.Add(se.Name, l)
		}
	}
	p.Legend.Top = true
	return toSVG(p)
}
