package chart

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestColors(t *testing.T) {
	for _, n := range []int{1, 9, 10, 11, 20, 21, 30} {
		c := Colors(n)
		seen := map[string]bool{}
		for _, s := range c {
			if len(s) != 7 || s[0] != '#' {
				t.Fatalf("Colors(%d): bad colour %q", n, s)
			}
			seen[s] = true
		}
		if len(c) != n || len(seen) != n {
			t.Errorf("Colors(%d): %d colours, %d distinct", n, len(c), len(seen))
		}
	}
	if !reflect.DeepEqual(Colors(10), Palette) || !reflect.DeepEqual(Colors(20), Palette20) || Colors(0) != nil {
		t.Error("Colors does not pick tab10 up to 10 and tab20 up to 20")
	}
	// Colors returns a copy: changing it leaves the palette alone.
	Colors(3)[0] = "#000000"
	if Palette[0] == "#000000" {
		t.Error("Colors shares the palette")
	}
}

func TestSortLabels(t *testing.T) {
	cases := []struct{ in, want []string }{
		{[]string{"10", "2", "1", "0"}, []string{"0", "1", "2", "10"}},
		{[]string{"1.5", "-3", "10", "2e-3"}, []string{"-3", "2e-3", "1.5", "10"}},
		{[]string{"layer 10", "layer 2", "layer 1b", "layer 1a"}, []string{"layer 1a", "layer 1b", "layer 2", "layer 10"}},
		{[]string{"dog", "cat", "10", "9"}, []string{"9", "10", "cat", "dog"}},
		{[]string{"a02", "a2", "a1"}, []string{"a1", "a2", "a02"}},
		{[]string{"b", "a", "ab", ""}, []string{"", "a", "ab", "b"}},
	}
	for _, c := range cases {
		got := append([]string(nil), c.in...)
		sortLabels(got)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("sortLabels(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestEmbeddingLabelTypes checks that labels of any ordered type give one
// series a class, in numeric order, each in its own colour.
func TestEmbeddingLabelTypes(t *testing.T) {
	const n, k = 120, 12
	x := randomMatrix(n, 3, 5, []float64{3, 2, 1})
	ints := make([]int, n)
	bytes := make([]uint8, n)
	floats := make([]float64, n)
	strs := make([]string, n)
	for i := range ints {
		c := (i * 7) % k // classes appear out of order
		ints[i], bytes[i], floats[i], strs[i] = c, uint8(c), float64(c), fmt.Sprint(c)
	}
	want := make([]string, k)
	for c := range want {
		want[c] = fmt.Sprint(c)
	}
	var ref string
	for _, labels := range []any{ints, bytes, floats, strs, [n]int(ints)} {
		e, err := Embedding(x, labels, "")
		if err != nil {
			t.Fatalf("%T: %v", labels, err)
		}
		opt := checkChartBundle(t, e.DisplayBundle(), true)
		var names []string
		for _, s := range seriesOf(opt) {
			names = append(names, s["name"].(string))
		}
		if !reflect.DeepEqual(names, want) {
			t.Fatalf("%T: series %q, want %q", labels, names, want)
		}
		colors := fmt.Sprint(opt["color"])
		if colors != fmt.Sprint(Colors(k)) {
			t.Fatalf("%T: colours %v", labels, opt["color"])
		}
		// Every class holds its points, named with their labels.
		if pts := seriesOf(opt)[10]["data"].([]any); len(pts) != n/k || !strings.HasSuffix(pts[0].(map[string]any)["name"].(string), " 10") {
			t.Fatalf("%T: class 10 has %d points (%v)", labels, len(pts), pts[0])
		}
		if s := fmt.Sprint(seriesOf(opt)); ref == "" {
			ref = s
		} else if s != ref {
			t.Fatalf("%T: a different chart than []int labels give", labels)
		}
	}
	for _, bad := range []any{ints[:5], map[int]int{1: 1}, "abc", []struct{}{}} {
		if _, err := Embedding(x, bad, ""); err == nil || !strings.Contains(err.Error(), "chart.Embedding: ") {
			t.Errorf("labels %T accepted (err %v)", bad, err)
		}
	}
	var none []int
	if e, err := Embedding(x, none, ""); err != nil || len(seriesOf(e.Option)) != 1 {
		t.Errorf("nil []int labels: %v", err)
	}
}

func TestHeatmapPrecision(t *testing.T) {
	cases := []struct {
		name       string
		vals       []float64
		prec       int
		high, low  string
		wantMinMax [2]float64
	}{
		{"cka near 1", []float64{1, 0.95, 0.97, 1}, 3, "1.000", "0.950", [2]float64{0.95, 1}},
		{"unit range", []float64{0, 0.25, 0.5, 1}, 1, "1.0", "0.0", [2]float64{0, 1}},
		{"counts", []float64{0, 3, 12, 7}, 0, "12", "0", [2]float64{0, 12}},
		{"tiny range", []float64{0.9995, 1, 0.9999, 1}, 5, "1.00000", "0.99950", [2]float64{0.9995, 1}},
	}
	for _, c := range cases {
		h, err := Heatmap(mat.NewDense(2, 2, c.vals), nil, nil, c.name)
		if err != nil {
			t.Fatal(err)
		}
		vm := checkChartBundle(t, h.DisplayBundle(), true)["visualMap"].([]any)[0].(map[string]any)
		text := fmt.Sprint(vm["text"])
		if vm["precision"] != float64(c.prec) || text != fmt.Sprintf("[%s %s]", c.high, c.low) ||
			vm["min"] != c.wantMinMax[0] || vm["max"] != c.wantMinMax[1] {
			t.Errorf("%s: precision %v, text %s, range %v..%v", c.name, vm["precision"], text, vm["min"], vm["max"])
		}
	}
}

func TestLineBand(t *testing.T) {
	x := []float64{1, 2, 3, 4}
	mean := []float64{0.5, -0.2, 0.1, 0.3}
	hw := []float64{0.1, 0.4, 0.2, 0.05}
	c, err := Line("seeds", "layer", "CKA", Band("mean ± 1.96 se", x, mean, hw), Series{Name: "other", Y: []float64{1, 2, 3, 4}})
	if err != nil {
		t.Fatal(err)
	}
	opt := checkChartBundle(t, c.DisplayBundle(), true)
	ss := seriesOf(opt)
	if len(ss) != 4 {
		t.Fatalf("%d series, want 2 lines and 2 band parts", len(ss))
	}
	for k, s := range ss[2:] {
		if s["name"] != "mean ± 1.96 se" || s["stack"] != "band 0" || s["stackStrategy"] != "all" {
			t.Fatalf("band part %d: %v", k, s)
		}
		for i, p := range s["data"].([]any) {
			want := mean[i] - hw[i] // the lower edge, then the width on it
			if k == 1 {
				want = 2 * hw[i]
			}
			v := p.(map[string]any)["value"].([]any) // (y, x), see styleBands
			if v[1] != x[i] || math.Abs(v[0].(float64)-want) > 1e-9 || s["encode"] == nil {
				t.Fatalf("band part %d point %d: %v, want (%v, %v)", k, i, v, x[i], want)
			}
		}
	}
	if area, ok := ss[3]["areaStyle"].(map[string]any); !ok || area["color"] != Palette[0] || ss[2]["areaStyle"] != nil {
		t.Fatalf("band fill: %v / %v", ss[2]["areaStyle"], ss[3]["areaStyle"])
	}
	if !strings.Contains(c.SVG, "fill-opacity") && !strings.Contains(c.SVG, "opacity") {
		t.Error("static SVG has no translucent band")
	}
	bad := []Series{
		Band("short", x, mean, hw[:3]),
		{Name: "one side", Y: mean, Lower: mean},
		{Name: "nan", Y: mean, Lower: mean, Upper: []float64{1, math.NaN(), 1, 1}},
	}
	for _, s := range bad {
		if _, err := Line("", "", "", s); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%q", s.Name)) {
			t.Errorf("series %q accepted (err %v)", s.Name, err)
		}
	}
}
