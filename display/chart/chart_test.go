package chart

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/subspace-kernel/subspace/display"
	"gonum.org/v1/gonum/mat"
)

// python runs script with /usr/bin/python3, sending in as JSON on stdin
// and decoding its JSON stdout into out. It fails (not skips) when python
// or numpy is missing.
func python(t *testing.T, script string, in, out any) {
	t.Helper()
	if _, err := os.Stat("/usr/bin/python3"); err != nil {
		t.Fatalf("/usr/bin/python3 missing: run `make deps`")
	}
	b, _ := json.Marshal(in)
	cmd := exec.Command("/usr/bin/python3", "-c", script)
	cmd.Stdin = bytes.NewReader(b)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	res, err := cmd.Output()
	if err != nil {
		t.Fatalf("python reference failed (%v): %s\nrun `make deps`", err, stderr.String())
	}
	if err := json.Unmarshal(res, out); err != nil {
		t.Fatalf("python output: %v", err)
	}
}

func randomMatrix(n, d int, seed uint64, scales []float64) *mat.Dense {
	rng := rand.New(rand.NewPCG(seed, 7))
	m := mat.NewDense(n, d, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			m.Set(i, j, rng.NormFloat64()*scales[j%len(scales)]+float64(j))
		}
	}
	return m
}

func ones(n int) []float64 {
	o := make([]float64, n)
	for i := range o {
		o[i] = 1
	}
	return o
}

func rows(m *mat.Dense) [][]float64 {
	n, _ := m.Dims()
	out := make([][]float64, n)
	for i := range out {
		out[i] = append([]float64(nil), m.RawRowView(i)...)
	}
	return out
}

// TestPCAAgainstNumpy compares scores and explained variance ratios with
// numpy's SVD of the centred data, up to the sign of each component, on
// the three code paths (covariance, Gram, subspace iteration).
func TestPCAAgainstNumpy(t *testing.T) {
	const script = `
import json, sys, numpy as np
cases = json.load(sys.stdin)
out = []
for c in cases:
    x = np.array(c["x"]); k = c["k"]
    xc = x - x.mean(axis=0)
    u, s, vt = np.linalg.svd(xc, full_matrices=False)
    out.append({"scores": (xc @ vt[:k].T).tolist(), "ratio": (s[:k]**2 / (s**2).sum()).tolist()})
json.dump(out, sys.stdout)
`
	cases := []struct {
		name string
		x    *mat.Dense
		k    int
	}{
		{"covariance", randomMatrix(200, 6, 1, []float64{5, 3, 2, 1, 0.5, 0.2}), 3},
		{"gram", randomMatrix(40, 600, 2, []float64{9, 6, 4, 1, 1, 1, 1, 1}), 2},
		{"subspace", randomMatrix(700, 520, 3, append([]float64{20, 12, 8}, ones(517)...)), 3},
	}
	in := make([]map[string]any, len(cases))
	for i, c := range cases {
		in[i] = map[string]any{"x": rows(c.x), "k": c.k}
	}
	var ref []struct {
		Scores [][]float64
		Ratio  []float64
	}
	python(t, script, in, &ref)
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, ev, err := PCA(c.x, c.k)
			if err != nil {
				t.Fatal(err)
			}
			for j := 0; j < c.k; j++ {
				if math.Abs(ev[j]-ref[i].Ratio[j]) > 1e-6 {
					t.Errorf("explained[%d] = %v, numpy %v", j, ev[j], ref[i].Ratio[j])
				}
				sign := 1.0
				if s.At(0, j)*ref[i].Scores[0][j] < 0 {
					sign = -1
				}
				worst := 0.0
				for r := range ref[i].Scores {
					worst = math.Max(worst, math.Abs(sign*s.At(r, j)-ref[i].Scores[r][j]))
				}
				if worst > 1e-6*(1+math.Abs(ref[i].Scores[0][j])) && worst > 1e-5 {
					t.Errorf("component %d: max |score - numpy| = %g", j, worst)
				}
			}
		})
	}
	// Errors name the problem.
	bad := mat.NewDense(3, 2, []float64{1, 2, 3, math.NaN(), 5, 6})
	if _, _, err := PCA(bad, 1); err == nil || !strings.Contains(err.Error(), "row 1, column 1") {
		t.Errorf("NaN error = %v", err)
	}
	if _, _, err := PCA(mat.NewDense(1, 2, nil), 1); err == nil {
		t.Error("PCA of 1 point accepted")
	}
	if _, _, err := PCA(mat.NewDense(4, 2, nil), 3); err == nil {
		t.Error("PCA with k > d accepted")
	}
}

func TestHistogramAndBoxAgainstNumpy(t *testing.T) {
	const script = `
import json, sys, numpy as np
cases = json.load(sys.stdin)
out = []
for c in cases:
    v = np.array(c["v"])
    counts, edges = np.histogram(v, bins=c["bins"])
    q = np.percentile(v, [25, 50, 75])
    out.append({"counts": counts.tolist(), "edges": edges.tolist(), "q": q.tolist()})
json.dump(out, sys.stdout)
`
	rng := rand.New(rand.NewPCG(5, 5))
	gauss := make([]float64, 1001)
	for i := range gauss {
		gauss[i] = rng.NormFloat64()*2 + 10
	}
	cases := []struct {
		v    []float64
		bins int
	}{
		{gauss, 17},
		{[]float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}, 10}, // values on the edges
		{[]float64{3, 3, 3}, 4}, // constant: range value±0.5
		{[]float64{1, 2, 3, 4, 100, -50, 5, 6}, 3},
	}
	in := make([]map[string]any, len(cases))
	for i, c := range cases {
		in[i] = map[string]any{"v": c.v, "bins": c.bins}
	}
	var ref []struct {
		Counts []int
		Edges  []float64
		Q      []float64
	}
	python(t, script, in, &ref)
	for i, c := range cases {
		counts, edges, err := HistogramCounts(c.v, c.bins)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(counts) != fmt.Sprint(ref[i].Counts) {
			t.Errorf("case %d: counts %v, numpy %v", i, counts, ref[i].Counts)
		}
		for k := range edges {
			if math.Abs(edges[k]-ref[i].Edges[k]) > 1e-12*(1+math.Abs(edges[k])) {
				t.Errorf("case %d: edge %d = %v, numpy %v", i, k, edges[k], ref[i].Edges[k])
			}
		}
		b, err := BoxStats(c.v)
		if err != nil {
			t.Fatal(err)
		}
		for k, got := range []float64{b.Q1, b.Median, b.Q3} {
			if math.Abs(got-ref[i].Q[k]) > 1e-12*(1+math.Abs(got)) {
				t.Errorf("case %d: quartile %d = %v, numpy %v", i, k, got, ref[i].Q[k])
			}
		}
	}
	// Tukey whiskers: for {1..6, 100, -50}, Q1 = 1.75, Q3 = 5.25, fences
	// -3.5 and 10.5: whiskers 1 and 6, outliers -50 and 100.
	b, _ := BoxStats(cases[3].v)
	if b.Low != 1 || b.High != 6 || fmt.Sprint(b.Outliers) != "[-50 100]" {
		t.Errorf("whiskers %v %v outliers %v", b.Low, b.High, b.Outliers)
	}
	if _, _, err := HistogramCounts(nil, 3); err == nil {
		t.Error("empty histogram accepted")
	}
	if _, err := BoxStats([]float64{1, math.Inf(1)}); err == nil || !strings.Contains(err.Error(), "index 1") {
		t.Errorf("Inf error = %v", err)
	}
	// Sturges' rule when bins <= 0: ceil(log2 1001) + 1 = 11.
	if counts, _, _ := HistogramCounts(gauss, 0); len(counts) != 11 {
		t.Errorf("Sturges bins = %d, want 11", len(counts))
	}
}

var dataURI = regexp.MustCompile(`data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+`)

// checkChartBundle asserts the invariants of every chart bundle and
// returns the decoded option.
func checkChartBundle(t *testing.T, b display.Bundle, wantSVG bool) map[string]any {
	t.Helper()
	raw, err := json.Marshal(b.Data)
	if err != nil {
		t.Fatalf("bundle not JSON: %v", err)
	}
	var data map[string]any
	if err := json.Unmarshal(raw, &data); err != nil {
		t.Fatal(err)
	}
	opt, ok := data[MIMEType].(map[string]any)
	if !ok {
		t.Fatalf("no %s object in bundle", MIMEType)
	}
	if _, ok := opt["series"]; !ok {
		t.Fatalf("option without series: %v", opt)
	}
	if p, _ := data["text/plain"].(string); !strings.HasPrefix(p, "<chart ") {
		t.Fatalf("text/plain = %q", p)
	}
	h, _ := data["text/html"].(string)
	for _, want := range []string{`class="subspace-echarts"`, `type="application/json"`, "DecompressionStream", "__subspaceEChartsLoading"} {
		if !strings.Contains(h, want) {
			t.Fatalf("html fallback lacks %q", want)
		}
	}
	// Outside the inline libraries (base64 text), nothing refers to the
	// network: no URL, no CDN, no script src.
	lib, gl := packed()
	bare := strings.ReplaceAll(strings.ReplaceAll(h, lib, ""), gl, "")
	bare = dataURI.ReplaceAllString(bare, "")
	if len(bare) > len(h)-len(lib) {
		t.Fatal("html fallback does not carry the echarts library inline")
	}
	for _, banned := range []string{"cdn", "https:", "http:", "<script src", "//unpkg", "jsdelivr"} {
		if strings.Contains(strings.ToLower(bare), banned) {
			t.Fatalf("html fallback refers to %q", banned)
		}
	}
	// The option embedded in the HTML is the same JSON as the MIME part.
	i := strings.Index(h, `-option">`)
	j := strings.Index(h[i:], "</script>")
	var inHTML map[string]any
	if err := json.Unmarshal([]byte(h[i+len(`-option">`):i+j]), &inHTML); err != nil {
		t.Fatalf("option in html: %v", err)
	}
	a, _ := json.Marshal(inHTML)
	c, _ := json.Marshal(opt)
	if !bytes.Equal(a, c) {
		t.Fatal("html option differs from the MIME part")
	}
	svg, _ := data["image/svg+xml"].(string)
	png, _ := data["image/png"].(string)
	if wantSVG != (strings.Contains(svg, "<svg") || strings.HasPrefix(png, "iVBORw0KGgo")) {
		t.Fatalf("static image present = %v, want %v", svg != "" || png != "", wantSVG)
	}
	md := b.Metadata[MIMEType].(map[string]any)
	if md["height"].(int) <= 0 {
		t.Fatalf("metadata %v", md)
	}
	return opt
}

func seriesOf(opt map[string]any) []map[string]any {
	return seriesList(opt)
}

func TestHelperCharts(t *testing.T) {
	x := randomMatrix(150, 4, 9, []float64{3, 2, 1, 0.1})
	labels := make([]string, 150)
	for i := range labels {
		labels[i] = []string{"cat", "dog", `<b>"x"</b>`}[i%3]
	}
	e, err := Embedding(x, labels, "emb </script><script>alert(1)</script>")
	if err != nil {
		t.Fatal(err)
	}
	opt := checkChartBundle(t, e.DisplayBundle(), true)
	ss := seriesOf(opt)
	if len(ss) != 3 || e.Points() != 150 {
		t.Fatalf("embedding: %d series, %d points", len(ss), e.Points())
	}
	// The scatter shows the PCA scores, and the tooltip names index and label.
	scores, _, _ := PCA(x, 2)
	if names := fmt.Sprint(ss[0]["name"], ss[1]["name"], ss[2]["name"]); names != `<b>"x"</b>catdog` {
		t.Fatalf("series not sorted: %s", names)
	}
	first := ss[1]["data"].([]any)[1].(map[string]any)
	if first["name"] != "#3 cat" {
		t.Fatalf("point name %v", first["name"])
	}
	v := first["value"].([]any)
	if math.Abs(v[0].(float64)-scores.At(3, 0)) > 1e-4*math.Abs(scores.At(3, 0)) || math.Abs(v[1].(float64)-scores.At(3, 1)) > 1e-4*(1+math.Abs(scores.At(3, 1))) {
		t.Fatalf("point 3 at %v, PCA scores (%v, %v)", v, scores.At(3, 0), scores.At(3, 1))
	}
	h := e.HTML()
	if strings.Contains(h, "</script><script>alert(1)") || strings.Contains(h, `<b>"x"</b>`) {
		t.Fatal("title or label not escaped in the html fallback")
	}
	if e.GL {
		t.Fatal("2-D scatter marked GL")
	}
	// Large scatters get a PNG instead of an SVG with every point.
	big, err := Embedding(randomMatrix(pngPoints+1, 3, 4, []float64{1}), nil, "big")
	if err != nil {
		t.Fatal(err)
	}
	bb := big.DisplayBundle()
	checkChartBundle(t, bb, true)
	if _, hasSVG := bb.Data["image/svg+xml"]; hasSVG || len(big.PNG) == 0 || !strings.Contains(big.HTML(), "data:image/png;base64,") {
		t.Fatal("large scatter static image is not a PNG")
	}
	// Without labels: one series; 2 columns: no PCA, axes x and y.
	e2, err := Embedding(mat.NewDense(3, 2, []float64{1, 2, 3, 4, 5, 7}), nil, "")
	if err != nil {
		t.Fatal(err)
	}
	o2 := checkChartBundle(t, e2.DisplayBundle(), true)
	if d := seriesOf(o2)[0]["data"].([]any); len(d) != 3 || fmt.Sprint(d[2].(map[string]any)["value"]) != "[5 7]" {
		t.Fatalf("raw 2-D points: %v", d)
	}
	// The slice entry points give the same charts.
	rowsOf := rows(x)
	er, err := EmbeddingRows(rowsOf, labels, "emb")
	if err != nil {
		t.Fatal(err)
	}
	if a, b := fmt.Sprint(seriesOf(er.Option)[1]["data"]), fmt.Sprint(ss[1]["data"]); a != b {
		t.Fatal("EmbeddingRows differs from Embedding")
	}
	if _, err := EmbeddingRows([][]float64{{1, 2}, {3}}, nil, ""); err == nil || !strings.Contains(err.Error(), "row 1") {
		t.Fatalf("ragged rows error = %v", err)
	}
	if _, err := Embedding(x, labels[:3], ""); err == nil {
		t.Fatal("label count mismatch accepted")
	}

	e3, err := Embedding3D(x, labels, "3d")
	if err != nil {
		t.Fatal(err)
	}
	o3 := checkChartBundle(t, e3.DisplayBundle(), true)
	if !e3.GL || seriesOf(o3)[0]["type"] != "scatter3D" || e3.Points() != 150 {
		t.Fatalf("3-D chart: GL=%v type=%v points=%d", e3.GL, seriesOf(o3)[0]["type"], e3.Points())
	}
	if !strings.Contains(e3.HTML(), `"subspace-echarts`) || len(e3.HTML()) < len(e.HTML())+200000 {
		t.Fatal("3-D html fallback does not carry echarts-gl")
	}

	cka := mat.NewDense(3, 3, []float64{1, 0.5, 0.25, 0.5, 1, 0.75, 0.25, 0.75, 1})
	hm, err := Heatmap(cka, []string{"l0", "l1", "l2"}, []string{"a", "b", "c"}, "CKA")
	if err != nil {
		t.Fatal(err)
	}
	oh := checkChartBundle(t, hm.DisplayBundle(), true)
	hd := seriesOf(oh)[0]["data"].([]any)
	cell := hd[5].(map[string]any) // row 1, column 2
	if fmt.Sprint(cell["value"]) != "[2 1 0.75]" || cell["name"] != "l1 × c: 0.75" {
		t.Fatalf("heatmap cell: %v", cell)
	}
	vm := oh["visualMap"].([]any)[0].(map[string]any)
	if vm["min"] != 0.25 || vm["max"] != 1.0 {
		t.Fatalf("visualMap range %v..%v", vm["min"], vm["max"])
	}
	hr, err := HeatmapRows([][]float64{{1, 0.5, 0.25}, {0.5, 1, 0.75}, {0.25, 0.75, 1}}, []string{"l0", "l1", "l2"}, []string{"a", "b", "c"}, "CKA")
	if err != nil || fmt.Sprint(hr.Option["series"]) != fmt.Sprint(oh["series"]) {
		t.Fatalf("HeatmapRows differs from Heatmap (%v)", err)
	}
	// A zero maximum is kept (go-echarts would omit it, and echarts would
	// then default to 100).
	neg, err := Heatmap(mat.NewDense(1, 2, []float64{-0.5, 0}), nil, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	nvm := checkChartBundle(t, neg.DisplayBundle(), true)["visualMap"].([]any)[0].(map[string]any)
	if nvm["min"] != -0.5 || nvm["max"] != 0.0 {
		t.Fatalf("visualMap range %v..%v, want -0.5..0", nvm["min"], nvm["max"])
	}
	if _, err := Heatmap(cka, []string{"a"}, nil, ""); err == nil {
		t.Fatal("heatmap label mismatch accepted")
	}

	ln, err := Line("recall", "memory", "recall", Series{Name: "exact", Y: []float64{0.5, 0.9, 1}},
		Series{Name: "ivf", X: []float64{1, 2}, Y: []float64{0.4, 0.8}})
	if err != nil {
		t.Fatal(err)
	}
	ol := checkChartBundle(t, ln.DisplayBundle(), true)
	if d := seriesOf(ol)[0]["data"].([]any); fmt.Sprint(d[2].(map[string]any)["value"]) != "[2 1]" {
		t.Fatalf("line default x: %v", d)
	}
	if _, err := Line("", "", "", Series{X: []float64{1}, Y: []float64{1, 2}}); err == nil {
		t.Fatal("line length mismatch accepted")
	}

	hist, err := Histogram([]float64{1, 2, 2, 3, 3, 3}, 2, "lid", "d")
	if err != nil {
		t.Fatal(err)
	}
	oh2 := checkChartBundle(t, hist.DisplayBundle(), true)
	hdat := seriesOf(oh2)[0]["data"].([]any)
	if hdat[0].(map[string]any)["value"] != 1.0 || hdat[1].(map[string]any)["value"] != 5.0 || hdat[1].(map[string]any)["name"] != "[2, 3]: 5" {
		t.Fatalf("histogram data %v", hdat)
	}

	bp, err := BoxPlot([]string{"l1", "l2"}, [][]float64{{1, 2, 3, 4, 5, 6, 100, -50}, {1, 2, 3}}, "lid", "d")
	if err != nil {
		t.Fatal(err)
	}
	ob := checkChartBundle(t, bp.DisplayBundle(), true)
	bs := seriesOf(ob)
	if len(bs) != 2 || bs[1]["type"] != "scatter" || len(bs[1]["data"].([]any)) != 2 {
		t.Fatalf("box plot series %v", bs)
	}
	if fmt.Sprint(bs[0]["data"].([]any)[0].(map[string]any)["value"]) != "[1 1.75 3.5 5.25 6]" {
		t.Fatalf("box values %v", bs[0]["data"])
	}
	if _, err := BoxPlot([]string{"a"}, [][]float64{{}}, "", ""); err == nil {
		t.Fatal("empty group accepted")
	}
}

func TestSetEmbedLibrary(t *testing.T) {
	c, err := Line("t", "x", "y", Series{Y: []float64{1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	full := c.HTML()
	SetEmbedLibrary(false)
	defer SetEmbedLibrary(true)
	small := c.HTML()
	lib, _ := packed()
	if !strings.Contains(full, lib) || strings.Contains(small, lib[:1000]) {
		t.Fatal("SetEmbedLibrary does not control the inline library")
	}
	if len(small) > 40000 || !strings.Contains(small, "data:image/svg+xml;base64,") {
		t.Fatalf("html without library is %d bytes, or lacks the static image", len(small))
	}
}

// TestGoEChartsConverter renders charts a user builds with go-echarts as
// the last value of a cell.
func TestGoEChartsConverter(t *testing.T) {
	bar := charts.NewBar()
	bar.SetGlobalOptions(charts.WithTitleOpts(opts.Title{Title: "bars"}),
		charts.WithInitializationOpts(opts.Initialization{Height: "321px", Theme: "dark"}))
	bar.SetXAxis([]string{"a", "b"}).AddSeries("s", []opts.BarData{{Value: 1}, {Value: 2}})

	line := charts.NewLine()
	line.SetXAxis([]int{1, 2, 3}).AddSeries("l", []opts.LineData{{Value: 1}, {Value: 4}, {Value: 9}})
	line.SetGlobalOptions(charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true),
		Formatter: opts.FuncOpts("function (p) { return p.name; }")}))

	sc := charts.NewScatter()
	sc.AddSeries("p", []opts.ScatterData{{Value: []float64{1, 2}}})

	hm := charts.NewHeatMap()
	hm.AddSeries("h", []opts.HeatMapData{{Value: []any{0, 0, 1}}})

	bp := charts.NewBoxPlot()
	bp.AddSeries("b", []opts.BoxPlotData{{Value: []float64{1, 2, 3, 4, 5}}})

	s3 := charts.NewScatter3D()
	s3.AddSeries("s3", []opts.Chart3DData{{Value: []any{1, 2, 3}}})

	cases := []struct {
		v      any
		typ    string
		points int
		gl     bool
	}{
		{bar, "bar", 2, false}, {line, "line", 3, false}, {sc, "scatter", 1, false},
		{hm, "heatmap", 1, false}, {bp, "boxplot", 1, false}, {s3, "scatter3D", 1, true},
	}
	for _, c := range cases {
		t.Run(c.typ, func(t *testing.T) {
			b := display.Render(c.v)
			opt := checkChartBundle(t, b, false)
			s := seriesOf(opt)
			if len(s) != 1 || s[0]["type"] != c.typ || len(s[0]["data"].([]any)) != c.points {
				t.Fatalf("series %v", s)
			}
			if got := b.Metadata[MIMEType].(map[string]any)["gl"]; got != c.gl {
				t.Fatalf("gl = %v", got)
			}
		})
	}
	b := display.Render(bar)
	md := b.Metadata[MIMEType].(map[string]any)
	if md["height"] != 321 || md["theme"] != "dark" || !strings.Contains(b.PlainText(), `"bars"`) {
		t.Fatalf("bar metadata %v, text %q", md, b.PlainText())
	}
	// JavaScript functions keep go-echarts' markers for the renderers to revive.
	lo := display.Render(line).Data[MIMEType].(map[string]any)
	if f := lo["tooltip"].(map[string]any)["formatter"]; f != "__f__function (p) { return p.name; }__f__" {
		t.Fatalf("formatter %v", f)
	}
	// Values that are not charts are left to other converters.
	if _, ok := Convert(42); ok {
		t.Fatal("converter accepted an int")
	}
	var nilBar *charts.Bar
	if _, err := FromECharts(nilBar); err == nil {
		t.Fatal("nil chart accepted")
	}
}

// TestAssets checks the embedded libraries: echarts of the pinned version
// with its licence, echarts-gl, and the copy the kernelspec ships for the
// notebook extension is the same file.
func TestAssets(t *testing.T) {
	if !bytes.Contains(EChartsJS(), []byte(`version="`+EChartsVersion+`"`)) && !bytes.Contains(EChartsJS(), []byte(`"`+EChartsVersion+`"`)) {
		t.Fatalf("embedded echarts is not version %s", EChartsVersion)
	}
	if len(EChartsGLJS()) < 100000 || !bytes.Contains(EChartsGLJS(), []byte("echarts-gl")) {
		t.Fatal("embedded echarts-gl missing")
	}
	lic, err := os.ReadFile("assets/LICENSE-echarts")
	if err != nil || !bytes.Contains(lic, []byte("Apache License")) {
		t.Fatalf("echarts licence: %v", err)
	}
	got, err := os.ReadFile("../../kernelspec/kernel.js")
	if err != nil {
		t.Fatalf("kernelspec/kernel.js: %v (run `make display-assets`)", err)
	}
	if !bytes.Equal(got, KernelJS()) {
		t.Fatal("kernelspec/kernel.js is not the generated extension (run `make display-assets`)")
	}
	if !bytes.Contains(got, EChartsJS()) || !bytes.Contains(got, EChartsGLJS()) || !bytes.Contains(got, []byte("register_mime_type(MIME")) {
		t.Fatal("kernel.js lacks the libraries or the renderer")
	}
	lib, _ := packed()
	if len(lib) > len(EChartsJS())/2 {
		t.Fatalf("packed echarts is %d bytes, expected under half of %d", len(lib), len(EChartsJS()))
	}
}

// BenchmarkEmbedding measures a 2-D embedding chart of 10 000 points in
// 384 dimensions (PCA, option, static SVG) and its bundle; it reports the
// size of the bundle's parts.
func BenchmarkEmbedding(b *testing.B) {
	x := randomMatrix(10000, 384, 11, []float64{5, 3, 2, 1, 1, 1, 1, 1})
	labels := make([]string, 10000)
	for i := range labels {
		labels[i] = fmt.Sprint(i % 10)
	}
	b.ResetTimer()
	var bundle display.Bundle
	for i := 0; i < b.N; i++ {
		c, err := Embedding(x, labels, "bench")
		if err != nil {
			b.Fatal(err)
		}
		bundle = c.DisplayBundle()
	}
	opt, _ := json.Marshal(bundle.Data[MIMEType])
	b.ReportMetric(float64(len(opt)), "option-bytes")
	b.ReportMetric(float64(len(bundle.Data["text/html"].(string))), "html-bytes")
	b.ReportMetric(float64(len(bundle.Data["image/png"].(string))), "png-base64-bytes")
}

// TestMain registers the chart converter, as the kernel's wiring does.
func TestMain(m *testing.M) {
	display.RegisterConverter(Convert)
	os.Exit(m.Run())
}
