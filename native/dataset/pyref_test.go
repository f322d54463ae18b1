package dataset

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/subspace-kernel/subspace/internal/pyref"
)

// refArray is one array as numpy described it.
type refArray struct {
	DType  string `json:"dtype"`
	Shape  []int  `json:"shape"`
	Values []any  `json:"values"`
}

func (r refArray) floats(t *testing.T) []float64 {
	out := make([]float64, len(r.Values))
	for i, v := range r.Values {
		switch x := v.(type) {
		case float64:
			out[i] = x
		case string:
			switch x {
			case "inf":
				out[i] = math.Inf(1)
			case "-inf":
				out[i] = math.Inf(-1)
			default:
				out[i] = math.NaN()
			}
		default:
			t.Fatalf("bad value %v", v)
		}
	}
	return out
}

func sameValues(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, numpy has %d", what, len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if math.IsNaN(w) && math.IsNaN(g) {
			continue
		}
		if g != w {
			t.Fatalf("%s: value %d = %v, numpy has %v", what, i, g, w)
		}
	}
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestReadNumpyFiles reads files numpy writes in this run (np.save,
// np.savez, np.savez_compressed, C and Fortran order, float16 including
// every bit pattern, big-endian, bool, scalars) and a safetensors file
// written with the standard library, and compares every value exactly.
func TestReadNumpyFiles(t *testing.T) {
	dir := t.TempDir()
	pyref.Run(t, "testdata/numpy_write.py", nil, dir)
	var ref map[string]refArray
	b, err := os.ReadFile(filepath.Join(dir, "ref.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	wantDType := map[string]string{"float32": Float32, "float64": Float64, "float16": Float16, "int64": Int64,
		"int32": Int32, "int16": Int16, "int8": Int8, "uint8": Uint8, "uint16": Uint16, "uint32": Uint32, "bool": Bool,
		">f8": Float64, ">i4": Int32}
	check := func(what string, a *Array, r refArray) {
		t.Helper()
		if !sameShape(a.Shape, r.Shape) {
			t.Fatalf("%s: shape %v, numpy %v", what, a.Shape, r.Shape)
		}
		if wantDType[r.DType] != a.DType && !strings.HasPrefix(what, "st_w.bf16") {
			t.Fatalf("%s: dtype %s, numpy %s", what, a.DType, r.DType)
		}
		v, err := a.Float64s()
		if err != nil {
			t.Fatal(err)
		}
		sameValues(t, what, v, r.floats(t))
	}
	n := 0
	for name, r := range ref {
		if strings.HasPrefix(name, "npz_") || strings.HasPrefix(name, "st_") {
			continue
		}
		a, err := ReadNPY(filepath.Join(dir, name+".npy"))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		check(name, a, r)
		n++
	}
	if n < 15 {
		t.Fatalf("only %d npy files checked", n)
	}
	// Matrices: Fortran float64 and a 3-D float32 flattened to 3 x 20.
	m, err := ReadNPYDense(filepath.Join(dir, "f_f8.npy"))
	if err != nil {
		t.Fatal(err)
	}
	fv := ref["f_f8"].floats(t)
	if r, c := m.Dims(); r != 6 || c != 4 || m.At(2, 3) != fv[2*4+3] {
		t.Fatalf("f_f8 as matrix: %dx%d, (2,3) = %v want %v", r, c, m.At(2, 3), fv[11])
	}
	m32, err := ReadNPYDense32(filepath.Join(dir, "f_f4_3d.npy"))
	if err != nil {
		t.Fatal(err)
	}
	f3 := ref["f_f4_3d"].floats(t)
	if r, c := m32.Dims(); r != 3 || c != 20 || float64(m32.At(1, 7)) != f3[27] {
		t.Fatalf("f_f4_3d as matrix: %dx%d, (1,7) = %v want %v", r, c, m32.At(1, 7), f3[27])
	}
	if _, err := ReadNPYDense(filepath.Join(dir, "empty.npy")); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Fatalf("empty array as matrix: err = %v", err)
	}
	// Unsupported dtypes: clear errors naming the file and the dtype.
	for name, want := range map[string]string{"object": "pickle", "structured": "structured", "unicode": "strings"} {
		_, err := ReadNPY(filepath.Join(dir, name+".npy"))
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), name+".npy") {
			t.Fatalf("%s.npy: err = %v, want one mentioning %q and the file", name, err, want)
		}
	}
	// npz, stored and compressed.
	for _, f := range []string{"stored.npz", "compressed.npz"} {
		arrs, err := ReadNPZ(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		check(f+":emb", arrs["emb"], ref["npz_emb"])
		check(f+":labels", arrs["labels"], ref["npz_labels"])
		labels, err := arrs["labels"].Ints()
		if err != nil || labels[7] != 7 {
			t.Fatalf("%s labels: %v %v", f, labels, err)
		}
	}
	z, err := OpenNPZ(filepath.Join(dir, "compressed.npz"))
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	if got := strings.Join(z.Names(), ","); got != "emb,fort,labels" {
		t.Fatalf("npz names %q", got)
	}
	if _, err := z.Dense("missing"); err == nil || !strings.Contains(err.Error(), `"missing"`) {
		t.Fatalf("missing npz member: %v", err)
	}
	// safetensors from Python.
	st, err := OpenSafetensors(filepath.Join(dir, "model.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, name := range st.Names() {
		a, err := st.Array(name)
		if err != nil {
			t.Fatal(err)
		}
		check("st_"+name, a, ref["st_"+name])
	}
	if md := st.Metadata(); md["format"] != "pt" || md["by"] != "numpy" {
		t.Fatalf("metadata %v", md)
	}
	info, _ := st.Info("w.bf16")
	if info.DType != BFloat16 {
		t.Fatalf("w.bf16 dtype %s", info.DType)
	}
	d32, err := st.Dense32("w.bf16")
	if err != nil {
		t.Fatal(err)
	}
	bv := ref["st_w.bf16"].floats(t)
	if float64(d32.At(2, 3)) != bv[11] {
		t.Fatalf("bf16 (2,3) = %v, numpy %v", d32.At(2, 3), bv[11])
	}
}

// TestNumpyReadsOurFiles writes every dtype with our writers (npy, npz
// stored and compressed, safetensors) and checks that numpy (np.load; the
// standard library and np.frombuffer for safetensors) sees the same dtype,
// shape and values.
func TestNumpyReadsOurFiles(t *testing.T) {
	dir := t.TempDir()
	arrays := testArrays(t)
	var list strings.Builder
	paths := map[string]*Array{}
	for name, a := range arrays {
		if a.DType == BFloat16 {
			continue
		}
		p := filepath.Join(dir, name+".npy")
		if err := WriteNPY(p, a); err != nil {
			t.Fatal(err)
		}
		paths[p] = a
		list.WriteString(p + "\n")
	}
	for _, compress := range []bool{false, true} {
		p := filepath.Join(dir, map[bool]string{false: "s.npz", true: "c.npz"}[compress])
		sub := map[string]*Array{"a": arrays["f4_2d"], "b": arrays["i8_1d"], "c": arrays["f2_3d"]}
		if err := WriteNPZ(p, sub, compress); err != nil {
			t.Fatal(err)
		}
		for k, a := range sub {
			paths[p+"::"+k] = a
			list.WriteString(p + "::" + k + "\n")
		}
	}
	w := NewSafetensorsWriter()
	sp := filepath.Join(dir, "ours.safetensors")
	for name, a := range arrays {
		w.Add(name, a)
		paths["st:"+sp+"::"+name] = a
		list.WriteString("st:" + sp + "::" + name + "\n")
	}
	if err := w.Write(sp); err != nil {
		t.Fatal(err)
	}
	var got map[string]refArray
	if err := json.Unmarshal(pyref.Run(t, "testdata/numpy_read.py", []byte(list.String())), &got); err != nil {
		t.Fatal(err)
	}
	for p, a := range paths {
		r, ok := got[p]
		if !ok {
			t.Fatalf("numpy did not read %s", p)
		}
		if !sameShape(r.Shape, a.Shape) || r.DType != a.DType {
			t.Fatalf("%s: numpy sees %s %v, we wrote %s %v", p, r.DType, r.Shape, a.DType, a.Shape)
		}
		v, _ := a.Float64s()
		sameValues(t, p, r.floats(t), v)
	}
}
