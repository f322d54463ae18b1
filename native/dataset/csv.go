package dataset

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// openText opens a file, decompressing it when the name ends in ".gz".
func openText(path string) (io.Reader, func() error, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		return zr, f.Close, nil
	}
	return f, f.Close, nil
}

// ReadCSV reads a CSV or TSV file with a header line into a float64
// matrix and the column names. The separator is a tab when the header has
// a tab and no comma (or the name ends in .tsv / .tsv.gz), a comma
// otherwise; ".gz" files are decompressed. Every field must be a number
// (NaN, Inf accepted as Go's ParseFloat does); the error names the line
// and the column otherwise. O(file size).
func ReadCSV(path string) (*mat.Dense, []string, error) {
	return ReadCSVColumns(path, nil)
}

// ReadCSVColumns is ReadCSV keeping only the named columns, in that order,
// so tables with text columns (ids, labels) can be read too.
func ReadCSVColumns(path string, columns []string) (*mat.Dense, []string, error) {
	r, closeFn, err := openText(path)
	if err != nil {
		return nil, nil, err
	}
	defer closeFn()
	br := bufio.NewReaderSize(r, 1<<16)
	first, err := br.Peek(4096)
	if len(first) == 0 {
		return nil, nil, fmt.Errorf("%s: empty file", path)
	}
	_ = err
	line := string(first)
	if i := strings.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	cr := csv.NewReader(br)
	name := strings.TrimSuffix(path, ".gz")
	if strings.HasSuffix(name, ".tsv") || strings.HasSuffix(name, ".tab") || (strings.Contains(line, "\t") && !strings.Contains(line, ",")) {
		cr.Comma = '\t'
	}
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: header: %w", path, err)
	}
	header = append([]string(nil), header...)
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	idx := make([]int, 0, len(header))
	if columns == nil {
		for i := range header {
			idx = append(idx, i)
		}
		columns = header
	} else {
		for _, c := range columns {
			k := -1
			for i, h := range header {
				if h == c {
					k = i
					break
				}
			}
			if k < 0 {
				return nil, nil, fmt.Errorf("%s: no column %q (header %v)", path, c, header)
			}
			idx = append(idx, k)
		}
	}
	var data []float64
	rows := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		for k, i := range idx {
			v, err := strconv.ParseFloat(strings.TrimSpace(rec[i]), 64)
			if err != nil {
				ln, _ := cr.FieldPos(i)
				return nil, nil, fmt.Errorf("%s: line %d, column %q: %q is not a number", path, ln, columns[k], rec[i])
			}
			data = append(data, v)
		}
		rows++
	}
	if rows == 0 || len(idx) == 0 {
		return nil, nil, fmt.Errorf("%s: no data rows", path)
	}
	return mat.NewDense(rows, len(idx), data), append([]string(nil), columns...), nil
}

// WriteCSV writes m with a header line (header may be nil: "c0", "c1", ...)
// as CSV, or as TSV when the name ends in .tsv; values use the shortest
// representation that reads back exactly. O(rows * cols).
func WriteCSV(path string, header []string, m mat.Matrix) error {
	r, c := m.Dims()
	if header == nil {
		for j := 0; j < c; j++ {
			header = append(header, "c"+strconv.Itoa(j))
		}
	}
	if len(header) != c {
		return fmt.Errorf("%s: %d header names for %d columns", path, len(header), c)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	cw := csv.NewWriter(bw)
	if strings.HasSuffix(path, ".tsv") {
		cw.Comma = '\t'
	}
	cw.Write(header)
	rec := make([]string, c)
	for i := 0; i < r; i++ {
		for j := range rec {
			rec[j] = strconv.FormatFloat(m.At(i, j), 'g', -1, 64)
		}
		cw.Write(rec)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
