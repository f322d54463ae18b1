package dataset

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/internal/sample"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// TestCSV round-trips CSV and TSV, reads a file written by numpy's savetxt
// in this run, selects columns around text columns, and reports bad fields
// with line and column.
func TestCSV(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(8, 8))
	m := sample.Gaussian(rng, 9, 4)
	for _, name := range []string{"m.csv", "m.tsv"} {
		p := filepath.Join(dir, name)
		if err := WriteCSV(p, []string{"a", "b", "c", "d"}, m); err != nil {
			t.Fatal(err)
		}
		got, hdr, err := ReadCSV(p)
		if err != nil || !mat.Equal(got, m) || strings.Join(hdr, ",") != "a,b,c,d" {
			t.Fatalf("%s: %v %v", name, hdr, err)
		}
	}
	p := filepath.Join(dir, "np.tsv")
	pyref.Run(t, `
import numpy as np, sys
x = np.arange(12).reshape(4, 3) / 7
np.savetxt(sys.argv[1], x, delimiter="\t", header="x\ty\tz", comments="", fmt="%.17g")
print(x.sum())`, nil, p)
	got, hdr, err := ReadCSV(p)
	if err != nil {
		t.Fatal(err)
	}
	if r, c := got.Dims(); r != 4 || c != 3 || hdr[2] != "z" || got.At(3, 2) != 11.0/7 {
		t.Fatalf("numpy tsv: %dx%d %v %v", r, c, hdr, got.At(3, 2))
	}
	mixed := filepath.Join(dir, "mixed.csv")
	os.WriteFile(mixed, []byte("id,x,label,y\nfoo,1.5,cat,2\nbar,3,dog,-4e2\n"), 0o644)
	sel, hdr, err := ReadCSVColumns(mixed, []string{"y", "x"})
	if err != nil || sel.At(1, 0) != -400 || sel.At(0, 1) != 1.5 || hdr[0] != "y" {
		t.Fatalf("column selection: %v %v", hdr, err)
	}
	if _, _, err := ReadCSV(mixed); err == nil || !strings.Contains(err.Error(), `line 2, column "id"`) {
		t.Fatalf("text field: %v", err)
	}
	if _, _, err := ReadCSVColumns(mixed, []string{"z"}); err == nil || !strings.Contains(err.Error(), `"z"`) {
		t.Fatalf("missing column: %v", err)
	}
}

// TestParquet round-trips an embedding column (fixed-size float32 lists)
// and float64 columns, reads a subset of columns in a chosen order, and
// checks the errors for missing columns and non-Parquet files.
func TestParquet(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(9, 9))
	m32 := mat32.FromDense(sample.Gaussian(rng, 50, 16))
	p := filepath.Join(dir, "emb.parquet")
	if err := WriteParquetEmbeddings(p, "embedding", m32); err != nil {
		t.Fatal(err)
	}
	names, types, err := ParquetColumns(p)
	if err != nil || len(names) != 1 || names[0] != "embedding" || !strings.Contains(types[0], "fixed_size_list") {
		t.Fatalf("columns %v %v %v", names, types, err)
	}
	got, err := ReadParquet32(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(got.ToDense(), m32.ToDense()) {
		t.Fatal("embedding column changed")
	}
	m := sample.Gaussian(rng, 30, 3)
	p2 := filepath.Join(dir, "cols.parquet")
	if err := WriteParquetColumns(p2, []string{"a", "b", "c"}, m); err != nil {
		t.Fatal(err)
	}
	d, err := ReadParquet(p2, []string{"c", "a"})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 30; i++ {
		if d.At(i, 0) != m.At(i, 2) || d.At(i, 1) != m.At(i, 0) {
			t.Fatalf("row %d: %v %v vs %v %v", i, d.At(i, 0), d.At(i, 1), m.At(i, 2), m.At(i, 0))
		}
	}
	if _, err := ReadParquet(p2, []string{"zz"}); err == nil || !strings.Contains(err.Error(), `"zz"`) {
		t.Fatalf("missing column: %v", err)
	}
	bad := filepath.Join(dir, "bad.parquet")
	os.WriteFile(bad, []byte("PAR1 this is not parquet PAR1"), 0o644)
	if _, err := ReadParquet(bad, nil); err == nil || !strings.Contains(err.Error(), "bad.parquet") {
		t.Fatalf("corrupt file: %v", err)
	}
	raw, _ := os.ReadFile(p)
	for _, cut := range []int{len(raw) / 2, len(raw) - 5} {
		os.WriteFile(bad, raw[:cut], 0o644)
		if _, err := ReadParquet(bad, nil); err == nil {
			t.Fatalf("parquet truncated to %d bytes read", cut)
		}
	}
}

// TestParquetLists reads a column of variable-length lists (all rows of the
// same length) next to an int64 column, and rejects ragged lists.
func TestParquetLists(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, lens []int) string {
		mem := memory.DefaultAllocator
		lb := array.NewListBuilder(mem, arrow.PrimitiveTypes.Float64)
		vb := lb.ValueBuilder().(*array.Float64Builder)
		ib := array.NewInt64Builder(mem)
		for i, n := range lens {
			lb.Append(true)
			for j := 0; j < n; j++ {
				vb.Append(float64(10*i + j))
			}
			ib.Append(int64(-i))
		}
		l, id := lb.NewArray(), ib.NewArray()
		sch := arrow.NewSchema([]arrow.Field{{Name: "id", Type: id.DataType()}, {Name: "v", Type: l.DataType()}}, nil)
		p := filepath.Join(dir, name)
		if err := writeParquetTable(p, array.NewRecordBatch(sch, []arrow.Array{id, l}, int64(len(lens)))); err != nil {
			t.Fatal(err)
		}
		return p
	}
	d, err := ReadParquet(write("ok.parquet", []int{3, 3, 3, 3}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if r, c := d.Dims(); r != 4 || c != 4 || d.At(2, 0) != -2 || d.At(2, 3) != 22 {
		t.Fatalf("%dx%d, row 2 = %v", r, c, mat.Row(nil, 2, d))
	}
	if _, err := ReadParquet(write("ragged.parquet", []int{3, 2}), nil); err == nil || !strings.Contains(err.Error(), "different lengths") {
		t.Fatalf("ragged lists: %v", err)
	}
}
