package dataset

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/mat32"
)

// ParquetColumns lists the top-level column names of a Parquet file and
// their Arrow types (e.g. "fixed_size_list<item: float, nullable>[384]").
// O(schema size).
func ParquetColumns(path string) (names, types []string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	tbl, err := readParquetTable(f, path)
	if err != nil {
		return nil, nil, err
	}
	defer tbl.Release()
	for _, fld := range tbl.Schema().Fields() {
		names = append(names, fld.Name)
		types = append(types, fld.Type.String())
	}
	return names, types, nil
}

func readParquetTable(f *os.File, path string) (tbl arrow.Table, err error) {
	defer func() { // arrow-go panics on some corrupt inputs
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: corrupt Parquet file: %v", path, r)
		}
	}()
	tbl, err = pqarrow.ReadTable(context.Background(), f, nil, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable Parquet file: %w", path, err)
	}
	return tbl, nil
}

// parquetValues reads the chosen columns into a row-major buffer through
// put(index, value).
func readParquet(path string, columns []string, alloc func(rows, cols int), put func(i int, v float64)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	tbl, err := readParquetTable(f, path)
	if err != nil {
		return err
	}
	defer tbl.Release()
	sch := tbl.Schema()
	var idx []int
	if len(columns) == 0 {
		for i := range sch.Fields() {
			idx = append(idx, i)
		}
	} else {
		for _, c := range columns {
			is := sch.FieldIndices(c)
			if len(is) == 0 {
				return fmt.Errorf("%s: no column %q (have %v)", path, c, fieldNames(sch))
			}
			idx = append(idx, is[0])
		}
	}
	rows := int(tbl.NumRows())
	if rows == 0 {
		return fmt.Errorf("%s: no rows", path)
	}
	// Width of each column: 1 for numbers, the list length for lists.
	widths := make([]int, len(idx))
	total := 0
	for k, ci := range idx {
		col := tbl.Column(ci)
		name := col.Name()
		switch t := col.DataType().(type) {
		case *arrow.FixedSizeListType:
			if !isNumeric(t.Elem()) {
				return fmt.Errorf("%s: column %q: unsupported type %s (want numbers or lists of numbers)", path, name, t)
			}
			widths[k] = int(t.Len())
		case *arrow.ListType, *arrow.LargeListType:
			elem := t.(arrow.ListLikeType).Elem()
			if !isNumeric(elem) {
				return fmt.Errorf("%s: column %q: unsupported type %s (want numbers or lists of numbers)", path, name, t)
			}
			w := -1
			for _, ch := range col.Data().Chunks() {
				l := ch.(array.ListLike)
				for i := 0; i < l.Len(); i++ {
					if l.IsNull(i) {
						continue
					}
					s, e := l.ValueOffsets(i)
					if w < 0 {
						w = int(e - s)
					} else if int(e-s) != w {
						return fmt.Errorf("%s: column %q: lists of different lengths (%d and %d)", path, name, w, e-s)
					}
				}
			}
			if w <= 0 {
				return fmt.Errorf("%s: column %q: empty lists", path, name)
			}
			widths[k] = w
		default:
			if !isNumeric(t) {
				return fmt.Errorf("%s: column %q: unsupported type %s (want numbers or lists of numbers)", path, name, t)
			}
			widths[k] = 1
		}
		total += widths[k]
	}
	alloc(rows, total)
	off := 0
	for k, ci := range idx {
		col := tbl.Column(ci)
		name := col.Name()
		row := 0
		for _, ch := range col.Data().Chunks() {
			for i := 0; i < ch.Len(); i, row = i+1, row+1 {
				if ch.IsNull(i) {
					return fmt.Errorf("%s: column %q: row %d is null", path, name, row)
				}
				if widths[k] == 1 && !isList(ch) {
					put(row*total+off, numAt(ch, i))
					continue
				}
				l := ch.(array.ListLike)
				s, _ := l.ValueOffsets(i)
				vals := l.ListValues()
				for j := 0; j < widths[k]; j++ {
					if vals.IsNull(int(s) + j) {
						return fmt.Errorf("%s: column %q: row %d element %d is null", path, name, row, j)
					}
					put(row*total+off+j, numAt(vals, int(s)+j))
				}
			}
		}
		off += widths[k]
	}
	return nil
}

func fieldNames(s *arrow.Schema) []string {
	var out []string
	for _, f := range s.Fields() {
		out = append(out, f.Name)
	}
	return out
}

func isList(a arrow.Array) bool {
	_, ok := a.(array.ListLike)
	return ok
}

func isNumeric(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.FLOAT16, arrow.FLOAT32, arrow.FLOAT64, arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64,
		arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64, arrow.BOOL:
		return true
	}
	return false
}

func numAt(a arrow.Array, i int) float64 {
	switch v := a.(type) {
	case *array.Float32:
		return float64(v.Value(i))
	case *array.Float64:
		return v.Value(i)
	case *array.Float16:
		return float64(v.Value(i).Float32())
	case *array.Int8:
		return float64(v.Value(i))
	case *array.Int16:
		return float64(v.Value(i))
	case *array.Int32:
		return float64(v.Value(i))
	case *array.Int64:
		return float64(v.Value(i))
	case *array.Uint8:
		return float64(v.Value(i))
	case *array.Uint16:
		return float64(v.Value(i))
	case *array.Uint32:
		return float64(v.Value(i))
	case *array.Uint64:
		return float64(v.Value(i))
	case *array.Boolean:
		if v.Value(i) {
			return 1
		}
		return 0
	}
	return 0
}

// ReadParquet reads numeric columns of a Parquet file into a float64
// matrix, one row per record. columns selects and orders the columns (nil:
// all); a number column gives one matrix column, a list or fixed-size
// list of numbers (an embedding column) as many columns as its length,
// which must be the same in every row. Nulls are an error naming the
// column and row. O(rows * columns); the whole file is decoded in memory.
func ReadParquet(path string, columns []string) (*mat.Dense, error) {
	var data []float64
	var r, c int
	err := readParquet(path, columns, func(rows, cols int) {
		r, c = rows, cols
		data = make([]float64, rows*cols)
	}, func(i int, v float64) { data[i] = v })
	if err != nil {
		return nil, err
	}
	return mat.NewDense(r, c, data), nil
}

// ReadParquet32 is ReadParquet into a float32 matrix.
func ReadParquet32(path string, columns []string) (*mat32.Dense, error) {
	var data []float32
	var r, c int
	err := readParquet(path, columns, func(rows, cols int) {
		r, c = rows, cols
		data = make([]float32, rows*cols)
	}, func(i int, v float64) { data[i] = float32(v) })
	if err != nil {
		return nil, err
	}
	return mat32.New(r, c, data)
}

func writeParquetTable(path string, rec arrow.RecordBatch) error {
	defer rec.Release()
	tbl := array.NewTableFromRecords(rec.Schema(), []arrow.RecordBatch{rec})
	defer tbl.Release()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy))
	// WriteTable closes writers that are io.Closers; hide Close to report
	// the file's own close error.
	if err := pqarrow.WriteTable(tbl, struct{ io.Writer }{f}, 64*1024, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema())); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

// WriteParquetEmbeddings writes the rows of m as one column of fixed-size
// float32 lists (the usual layout of embedding tables), snappy-compressed.
// O(rows * cols).
func WriteParquetEmbeddings(path, column string, m *mat32.Dense) error {
	r, c := m.Dims()
	if r == 0 || c == 0 {
		return fmt.Errorf("%s: empty matrix", path)
	}
	mem := memory.DefaultAllocator
	b := array.NewFixedSizeListBuilder(mem, int32(c), arrow.PrimitiveTypes.Float32)
	defer b.Release()
	vb := b.ValueBuilder().(*array.Float32Builder)
	for i := 0; i < r; i++ {
		b.Append(true)
		vb.AppendValues(m.Row(i), nil)
	}
	arr := b.NewArray()
	defer arr.Release()
	sch := arrow.NewSchema([]arrow.Field{{Name: column, Type: arr.DataType()}}, nil)
	return writeParquetTable(path, array.NewRecordBatch(sch, []arrow.Array{arr}, int64(r)))
}

// WriteParquetColumns writes each column of m as a float64 column named by
// names. O(rows * cols).
func WriteParquetColumns(path string, names []string, m mat.Matrix) error {
	r, c := m.Dims()
	if len(names) != c {
		return fmt.Errorf("%s: %d names for %d columns", path, len(names), c)
	}
	mem := memory.DefaultAllocator
	var fields []arrow.Field
	var cols []arrow.Array
	for j := 0; j < c; j++ {
		b := array.NewFloat64Builder(mem)
		for i := 0; i < r; i++ {
			b.Append(m.At(i, j))
		}
		cols = append(cols, b.NewArray())
		b.Release()
		fields = append(fields, arrow.Field{Name: names[j], Type: arrow.PrimitiveTypes.Float64})
	}
	defer func() {
		for _, a := range cols {
			a.Release()
		}
	}()
	return writeParquetTable(path, array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, int64(r)))
}
