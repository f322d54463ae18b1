package merge

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/dataset"
)

// TestTIESHandWorked: two task vectors of five entries at density 0.6
// (k = 3). Trimming keeps tau1 = [1, -2, 0, 3, 0] and tau2 = [-1.5, 1, 0,
// 2, 0]; the elected signs of the sums [-0.5, -1, 0, 5, 0] are
// [-, -, +, +, +]; the disjoint means are [-1.5, -2, 0, 2.5, 0]. With
// weights (1, 3) the second entry's sum 1 elects +, so it becomes tau2's 1,
// and entry 3 the weighted mean (3 + 6) / 4; Lambda scales the result.
func TestTIESHandWorked(t *testing.T) {
	base := []float64{10, 20, 30, 40, 50}
	tau1 := []float64{1, -2, 0.5, 3, -0.1}
	tau2 := []float64{-1.5, 1, 0.4, 2, 0.2}
	add := func(tau []float64) []float64 {
		out := make([]float64, len(tau))
		for i := range tau {
			out[i] = base[i] + tau[i]
		}
		return out
	}
	cases := []struct {
		opts Options
		want []float64
	}{
		{Options{Method: TIES, Density: 0.6}, []float64{-1.5, -2, 0, 2.5, 0}},
		{Options{Method: TIES, Density: 0.6, Weights: []float64{1, 3}}, []float64{-1.5, 1, 0, 9.0 / 4, 0}},
		{Options{Method: TIES, Density: 0.6, Lambda: 0.5}, []float64{-0.75, -1, 0, 1.25, 0}},
	}
	for _, c := range cases {
		got, err := Tensor("w", base, [][]float64{add(tau1), add(tau2)}, c.opts)
		if err != nil {
			t.Fatal(err)
		}
		for i := range got {
			if math.Abs(got[i]-base[i]-c.want[i]) > 1e-12 {
				t.Errorf("%+v: merged task vector %v, want %v", c.opts, sub(got, base), c.want)
				break
			}
		}
	}
	trimmed, _ := Trim(tau1, 0.6)
	if !slices.Equal(trimmed, []float64{1, -2, 0, 3, 0}) {
		t.Errorf("Trim(tau1, 0.6) = %v", trimmed)
	}
	// ties at the threshold are kept by position: |.| = 1 four times, k = 2
	ties, _ := Trim([]float64{1, -1, 5, 1, -1}, 0.6)
	if !slices.Equal(ties, []float64{1, -1, 5, 0, 0}) {
		t.Errorf("Trim with ties = %v, want [1 -1 5 0 0]", ties)
	}
	none, _ := Trim(tau1, 0.1)
	all, _ := Trim(tau1, 1)
	if !slices.Equal(none, make([]float64, 5)) || !slices.Equal(all, tau1) {
		t.Errorf("Trim at density 0.1 (k = 0): %v; at 1: %v", none, all)
	}
}

func sub(a, b []float64) []float64 {
	out := make([]float64, len(a))
	for i := range a {
		out[i] = a[i] - b[i]
	}
	return out
}

// TestTrimNumpy: on 300,000 random magnitudes (with a block of repeated
// values) and densities from 0.001 to 0.9, Trim keeps exactly the entries
// numpy's stable argsort of -|tau| puts first, run in the same test.
func TestTrimNumpy(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	tau := make([]float64, 300000)
	for i := range tau {
		tau[i] = rng.NormFloat64() * math.Exp(rng.NormFloat64())
	}
	for i := 1000; i < 3000; i++ {
		tau[i] = 0.5 // ties
	}
	dens := []float64{0.001, 0.05, 0.2, 0.5, 0.9}
	var ref [][]int
	pyref.JSON(t, `
import sys, json
import numpy as np
tau = np.load(sys.argv[1]).ravel()
out = []
for d in json.loads(sys.argv[2]):
    k = int(np.floor(d * tau.size))
    out.append(np.sort(np.argsort(-np.abs(tau), kind="stable")[:k]).tolist())
json.dump(out, sys.stdout)
`, nil, &ref, writeVec(t, tau), "[0.001, 0.05, 0.2, 0.5, 0.9]")
	for d, want := range ref {
		got, _ := Trim(tau, dens[d])
		var idx []int
		for i, v := range got {
			if v != 0 {
				idx = append(idx, i)
			}
		}
		if !slices.Equal(idx, want) {
			t.Errorf("density %v: %d entries kept, numpy %d (or another set)", dens[d], len(idx), len(want))
		}
	}
}

func writeVec(t *testing.T, v []float64) string {
	p := filepath.Join(t.TempDir(), "v.npy")
	a, _ := dataset.FromFloat64s(v)
	if err := dataset.WriteNPY(p, a); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestDARE: every entry of Drop's output is 0 or tau / (1 - p); the kept
// fraction is 1 - p within 4 standard deviations over 400,000 entries; the
// mask depends on the seed and name only (same with 1 or 2 threads), and
// a DARE merge of one model equals base + Lambda * Drop(tau).
func TestDARE(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	n := 400000
	tau := make([]float64, n)
	for i := range tau {
		tau[i] = rng.NormFloat64() + 3
	}
	p := 0.9 // a variable: 1 - p rounds at run time as in Drop
	d, err := Drop(tau, p, 7, "w")
	if err != nil {
		t.Fatal(err)
	}
	kept := 0
	for i, v := range d {
		switch v {
		case 0:
		case tau[i] / (1 - p):
			kept++
		default:
			t.Fatalf("entry %d = %v, want 0 or %v", i, v, tau[i]/(1-p))
		}
	}
	sd := math.Sqrt(float64(n) * p * (1 - p))
	if math.Abs(float64(kept)-float64(n)*(1-p)) > 4*sd {
		t.Errorf("kept %d of %d, expected %v +- %v", kept, n, float64(n)*(1-p), 4*sd)
	}
	old := runtime.GOMAXPROCS(1)
	one, _ := Drop(tau, p, 7, "w")
	runtime.GOMAXPROCS(old)
	other, _ := Drop(tau, p, 8, "w")
	if !slices.Equal(one, d) || slices.Equal(other, d) {
		t.Errorf("DARE masks must depend on the seed only")
	}
	base := make([]float64, n)
	tuned := make([]float64, n)
	for i := range base {
		base[i] = float64(i % 7)
		tuned[i] = base[i] + tau[i]
	}
	m, err := Tensor("w", base, [][]float64{tuned}, Options{Method: DARE, DropRate: p, Seed: 7, Lambda: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	tv, _ := TaskVector(base, tuned)
	dv, _ := Drop(tv, p, 7, "w")
	for i := range m {
		if math.Abs(m[i]-(base[i]+0.5*dv[i])) > 1e-12 {
			t.Fatalf("DARE merge entry %d = %v, want %v", i, m[i], base[i]+0.5*dv[i])
		}
	}
}

// TestEndpoints: task arithmetic with scale 1 returns the fine-tuned
// values exactly, WiSE-FT and SLERP return the base at 0 and the
// fine-tuned values at 1 exactly, on values of very different magnitudes.
func TestEndpoints(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	n := 5000
	base, tuned := make([]float64, n), make([]float64, n)
	for i := range base {
		base[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(30)-15))
		tuned[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(30)-15))
	}
	for _, c := range []struct {
		opts Options
		want []float64
	}{
		{Options{}, tuned},
		{Options{Method: TaskArithmetic, Lambda: 1}, tuned},
		{Options{Method: WiSEFT, T: 0}, base},
		{Options{Method: WiSEFT, T: 1}, tuned},
		{Options{Method: SLERP, T: 0}, base},
		{Options{Method: SLERP, T: 1}, tuned},
	} {
		got, err := Tensor("w", base, [][]float64{tuned}, c.opts)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s T=%v: not the endpoint exactly", c.opts.Method, c.opts.T)
		}
	}
}

// fixture writes base and fine-tuned .safetensors files with float32,
// float64 and int64 tensors (the fine-tuned ones base + random task
// vectors sharing a direction), with nn-style metadata on the base.
func fixture(t *testing.T, dir string, models int) (string, []string) {
	rng := rand.New(rand.NewPCG(5, uint64(models)))
	shapes := map[string][]int{"layers.0.weight": {40, 30}, "layers.0.bias": {40}, "layers.1.weight": {10, 40}, "emb": {3, 5, 7}}
	base := map[string][]float64{}
	common := map[string][]float64{}
	for name, s := range shapes {
		n := 1
		for _, d := range s {
			n *= d
		}
		base[name], common[name] = make([]float64, n), make([]float64, n)
		for i := range base[name] {
			base[name][i] = rng.NormFloat64()
			common[name][i] = rng.NormFloat64() * 0.1
		}
	}
	write := func(path string, delta float64, meta map[string]string) {
		w := dataset.NewSafetensorsWriter()
		for name, s := range shapes {
			v := make([]float64, len(base[name]))
			for i := range v {
				v[i] = base[name][i]
				if delta != 0 {
					v[i] += common[name][i] + delta*rng.NormFloat64()
				}
			}
			a, _ := dataset.FromFloat64s(v, s...)
			if name != "emb" {
				a, _ = a.Convert(dataset.Float32)
			}
			w.Add(name, a)
		}
		ids, _ := dataset.FromInts([]int{0, 1, 2, 3}, 4)
		w.Add("position_ids", ids)
		for k, v := range meta {
			w.SetMetadata(k, v)
		}
		if err := w.Write(path); err != nil {
			t.Fatal(err)
		}
	}
	bp := filepath.Join(dir, "base.safetensors")
	write(bp, 0, map[string]string{"subspace.nn.sizes": "30,40,10"})
	var tuned []string
	for m := 0; m < models; m++ {
		p := filepath.Join(dir, "tuned"+string(rune('a'+m))+".safetensors")
		write(p, 0.05*float64(m+1), nil)
		tuned = append(tuned, p)
	}
	return bp, tuned
}

// readAll returns every tensor of a file as float64 values.
func readAll(t *testing.T, path string) (map[string][]float64, map[string]string, map[string]string) {
	st, err := dataset.OpenSafetensors(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	out, types := map[string][]float64{}, map[string]string{}
	for _, name := range st.Names() {
		v, err := st.Float64s(name)
		if err != nil {
			t.Fatal(err)
		}
		info, _ := st.Info(name)
		out[name], types[name] = v, info.DType
	}
	return out, types, st.Metadata()
}

// TestFileMergesNumpy: merging files (float32, float64 and int64 tensors,
// three dimensions included) with task arithmetic (global and per-tensor
// scales), TIES, SLERP and Model Stock gives what the numpy reference in
// testdata/merge_ref.py computes from the same files in the same run: to
// float32 rounding for float32 tensors (1 ulp), 1e-12 for float64; int64
// tensors are copied; the metadata keeps the base's entries and records
// the method and parameters.
func TestFileMergesNumpy(t *testing.T) {
	dir := t.TempDir()
	base, tuned := fixture(t, dir, 3)
	cases := []struct {
		method string
		opts   Options
		models int
		params map[string]any
	}{
		{"task_arithmetic", Options{Lambda: 0.7, Weights: []float64{1, 0.5, -0.3}}, 3, map[string]any{"lambda": 0.7, "weights": []float64{1, 0.5, -0.3}}},
		{"task_arithmetic", Options{Lambda: 0.5, TensorScales: map[string][]float64{"layers.0.weight": {2, 0, 1}}}, 3,
			map[string]any{"lambda": 0.5, "tensor_scales": map[string][]float64{"layers.0.weight": {2, 0, 1}}}},
		{"ties", Options{Method: TIES, Density: 0.3, Lambda: 1.2, Weights: []float64{1, 2, 0.5}}, 3, map[string]any{"density": 0.3, "lambda": 1.2, "weights": []float64{1, 2, 0.5}}},
		{"slerp", Options{Method: SLERP, T: 0.3}, 1, map[string]any{"t": 0.3}},
		{"model_stock", Options{Method: ModelStock}, 3, map[string]any{}},
	}
	for _, c := range cases {
		out := filepath.Join(dir, c.method+".safetensors")
		res, err := Merge(out, base, tuned[:c.models], c.opts)
		if err != nil {
			t.Fatal(err)
		}
		if res.Tensors != 5 || res.Merged != 4 || res.Params != 40*30+40+10*40+105 {
			t.Errorf("%s: result %+v", c.method, *res)
		}
		pj, _ := json.Marshal(c.params)
		args := append([]string{c.method, string(pj), base}, tuned[:c.models]...)
		var ref map[string][]float64
		pyref.JSON(t, "testdata/merge_ref.py", nil, &ref, args...)
		got, types, meta := readAll(t, out)
		for name, want := range ref {
			tol := 1e-12
			if types[name] == dataset.Float32 {
				tol = 1.2e-7
			}
			for i := range want {
				if math.Abs(got[name][i]-want[i]) > tol*max(1, math.Abs(want[i])) {
					t.Errorf("%s: %s[%d] = %.9g, numpy %.9g", c.method, name, i, got[name][i], want[i])
					break
				}
			}
		}
		if meta["subspace.nn.sizes"] != "30,40,10" || meta["merge.method"] != res.Method || meta["merge.tool"] == "" {
			t.Errorf("%s: metadata %v", c.method, meta)
		}
		var params map[string]any
		if err := json.Unmarshal([]byte(meta["merge.params"]), &params); err != nil {
			t.Errorf("%s: merge.params %q is not JSON", c.method, meta["merge.params"])
		}
	}
}

// TestCompareNumpy: norms, cosines and sign-conflict fractions of three
// task vectors, overall and per tensor, match numpy's in the same run.
func TestCompareNumpy(t *testing.T) {
	dir := t.TempDir()
	base, tuned := fixture(t, dir, 3)
	st, err := Compare(base, tuned)
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Norms    []float64
		Cosine   [][]float64
		Conflict [][]float64
		Tensors  map[string]struct {
			Norms    []float64
			Cosine   [][]float64
			Conflict [][]float64
		}
	}
	pyref.JSON(t, "testdata/merge_ref.py", nil, &ref, append([]string{"stats", "{}", base}, tuned...)...)
	same := func(what string, got, want PairStats) {
		for i := range want.Norms {
			if math.Abs(got.Norms[i]-want.Norms[i]) > 1e-10*want.Norms[i] {
				t.Errorf("%s norm %d: %v, numpy %v", what, i, got.Norms[i], want.Norms[i])
			}
			for j := range want.Norms {
				if math.Abs(got.Cosine[i][j]-want.Cosine[i][j]) > 1e-10 || math.Abs(got.SignConflict[i][j]-want.SignConflict[i][j]) > 1e-12 {
					t.Errorf("%s (%d, %d): cos %v conflict %v, numpy %v %v", what, i, j, got.Cosine[i][j], got.SignConflict[i][j], want.Cosine[i][j], want.SignConflict[i][j])
				}
			}
		}
	}
	same("overall", st.PairStats, PairStats{ref.Norms, ref.Cosine, ref.Conflict})
	if len(st.Tensors) != len(ref.Tensors) {
		t.Fatalf("%d tensors compared, numpy %d", len(st.Tensors), len(ref.Tensors))
	}
	for _, ts := range st.Tensors {
		r := ref.Tensors[ts.Name]
		same(ts.Name, ts.PairStats, PairStats{r.Norms, r.Cosine, r.Conflict})
	}
	if st.Cosine[0][1] < 0.3 || st.SignConflict[0][1] <= 0 || st.SignConflict[0][1] >= 0.5 {
		t.Errorf("fixture task vectors share a direction: cos %v, conflicts %v", st.Cosine[0][1], st.SignConflict[0][1])
	}
}

// TestFileEndpointsAndTaskVector: on float32 files, task arithmetic with
// scale 1 reproduces the fine-tuned file's bytes and WiSE-FT at 0 the
// base's; WriteTaskVector writes tuned - base (in float32 rounding).
func TestFileEndpointsAndTaskVector(t *testing.T) {
	dir := t.TempDir()
	base, tuned := fixture(t, dir, 1)
	want, _, _ := readAll(t, tuned[0])
	b, _, _ := readAll(t, base)
	for _, c := range []struct {
		opts Options
		want map[string][]float64
	}{{Options{}, want}, {Options{Method: WiSEFT, T: 1}, want}, {Options{Method: WiSEFT}, b}} {
		out := filepath.Join(dir, "out.safetensors")
		if _, err := Merge(out, base, tuned, c.opts); err != nil {
			t.Fatal(err)
		}
		got, _, _ := readAll(t, out)
		for name, v := range c.want {
			if name != "position_ids" && !slices.Equal(got[name], v) {
				t.Errorf("%s T=%v: tensor %s is not the endpoint exactly", c.opts.Method, c.opts.T, name)
			}
		}
	}
	tv := filepath.Join(dir, "tau.safetensors")
	if _, err := WriteTaskVector(tv, base, tuned[0], dataset.Float64); err != nil {
		t.Fatal(err)
	}
	got, types, meta := readAll(t, tv)
	for name, v := range want {
		if !isFloat(types[name]) {
			continue
		}
		if types[name] != dataset.Float64 {
			t.Errorf("%s written as %s, asked float64", name, types[name])
		}
		for i := range v {
			if d := v[i] - b[name][i]; math.Abs(got[name][i]-d) > 1e-15 {
				t.Fatalf("task vector %s[%d] = %v, want %v", name, i, got[name][i], d)
			}
		}
	}
	if meta["task_vector.tuned"] != "tuneda.safetensors" {
		t.Errorf("task vector metadata %v", meta)
	}
}

// TestMergeErrors: mismatched shapes or dtypes, missing or extra tensors,
// NaN weights, bad options and an interrupted merge give errors naming
// the tensor, the shapes or the position, and never leave a file behind
// (an existing output is left untouched).
func TestMergeErrors(t *testing.T) {
	dir := t.TempDir()
	base, tuned := fixture(t, dir, 1)
	arrays, meta, _ := dataset.ReadSafetensors(tuned[0])
	variant := func(name string, edit func(map[string]*dataset.Array)) string {
		m := map[string]*dataset.Array{}
		for k, v := range arrays {
			m[k] = v
		}
		edit(m)
		w := dataset.NewSafetensorsWriter()
		for k, v := range m {
			w.Add(k, v)
		}
		for k, v := range meta {
			w.SetMetadata(k, v)
		}
		p := filepath.Join(dir, name)
		if err := w.Write(p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	reshaped := variant("shape.safetensors", func(m map[string]*dataset.Array) {
		a := *m["layers.0.weight"]
		a.Shape = []int{30, 40}
		m["layers.0.weight"] = &a
	})
	retyped := variant("dtype.safetensors", func(m map[string]*dataset.Array) {
		m["layers.0.bias"], _ = m["layers.0.bias"].Convert(dataset.Float64)
	})
	missing := variant("missing.safetensors", func(m map[string]*dataset.Array) { delete(m, "layers.1.weight") })
	extra := variant("extra.safetensors", func(m map[string]*dataset.Array) {
		m["head.weight"], _ = dataset.FromFloat32s([]float32{1, 2})
	})
	nan := variant("nan.safetensors", func(m map[string]*dataset.Array) {
		v, _ := m["layers.1.weight"].Float32s()
		v[2*40+7] = float32(math.NaN())
		m["layers.1.weight"], _ = dataset.FromFloat32s(v, 10, 40)
	})
	out := filepath.Join(dir, "merged.safetensors")
	os.WriteFile(out, []byte("previous"), 0o644)
	stop := func(done, total int) error {
		if done == 2 {
			return errStop
		}
		return nil
	}
	cases := []struct {
		name  string
		tuned []string
		opts  Options
		want  string
	}{
		{"shape", []string{reshaped}, Options{}, `tensor "layers.0.weight" is float32 [40 30] in base ` + base + ` but float32 [30 40] in ` + reshaped},
		{"dtype", []string{retyped}, Options{}, `tensor "layers.0.bias" is float32 [40] in base ` + base + ` but float64 [40]`},
		{"missing", []string{missing}, Options{}, `tensor "layers.1.weight" of base ` + base + ` (float32 [10 40]) is missing from ` + missing},
		{"extra", []string{extra}, Options{}, `tensor "head.weight" (float32 [2]) of ` + extra + ` is not in base`},
		{"NaN", []string{nan}, Options{}, `tensor "layers.1.weight" of fine-tuned model ` + nan + ` (shape [10 40]) has NaN at [2 7]`},
		{"no file", []string{filepath.Join(dir, "absent.safetensors")}, Options{}, "absent.safetensors"},
		{"method", tuned, Options{Method: "karcher"}, `unknown method "karcher"`},
		{"density", tuned, Options{Method: TIES, Density: 1.5}, "Density = 1.5"},
		{"weights", tuned, Options{Weights: []float64{1, 2}}, "2 weights for 1 fine-tuned models"},
		{"ties weight", tuned, Options{Method: TIES, Weights: []float64{-1}}, "positive weights"},
		{"ties scale", tuned, Options{Method: TIES, TensorScales: map[string][]float64{"emb": {0}}}, `tensor "emb"'s scale 0 is 0`},
		{"slerp models", []string{tuned[0], tuned[0]}, Options{Method: SLERP}, "one fine-tuned model, got 2"},
		{"scales", tuned, Options{TensorScales: map[string][]float64{"layer.0.weight": {1}}}, `names tensor "layer.0.weight", which base`},
		{"dtype out", tuned, Options{DType: dataset.Int8}, `output dtype "int8"`},
		{"interrupted", tuned, Options{Progress: stop}, "stop here"},
	}
	for _, c := range cases {
		_, err := Merge(out, base, c.tuned, c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v\nwant it to contain %q", c.name, err, c.want)
		}
		if b, _ := os.ReadFile(out); string(b) != "previous" {
			t.Fatalf("%s: the existing output was overwritten", c.name)
		}
	}
	var files []string
	es, _ := os.ReadDir(dir)
	for _, e := range es {
		files = append(files, e.Name())
	}
	sort.Strings(files)
	for _, f := range files {
		if strings.HasSuffix(f, ".tmp") {
			t.Errorf("temporary file %s left behind (files: %v)", f, files)
		}
	}
	if _, err := Tensor("w", []float64{1, 2}, [][]float64{{1}}, Options{}); err == nil || !strings.Contains(err.Error(), "fine-tuned model 0 has 1 values, the base 2") {
		t.Errorf("in-memory length mismatch: %v", err)
	}
}

type stopError struct{}

func (stopError) Error() string { return "stop here" }

var errStop = stopError{}
