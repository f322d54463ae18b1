package compress

import (
	"testing"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// TestBinaryMatchesNumpyAndFAISS checks the packed codes byte for byte
// against numpy.packbits, and the Hamming search against FAISS
// IndexBinaryFlat on the same codes: the same distances at every rank (the
// indices may differ only among equal distances), for a dimension that is
// 256 (the unrolled path), another multiple of 64, and one that is not a
// multiple of 8.
func TestBinaryMatchesNumpyAndFAISS(t *testing.T) {
	for _, d := range []int{256, 128, 100} { // unrolled, word and byte paths
		const k = 10
		x, q := clustered(t, 2000, 50, d, uint64(d))
		var ref struct {
			Packed [][]int `json:"packed"`
			Dist   [][]int `json:"dist"`
			Index  [][]int `json:"index"`
		}
		pyref.JSON(t, "testdata/binary_ref.py", map[string]any{"x": npy(t, x), "q": npy(t, q), "k": k}, &ref)
		ix, err := NewBinaryIndex(x, BinaryOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range ref.Packed {
			for j, b := range row {
				if int(ix.Codes()[r*ix.Stride()+j]) != b {
					t.Fatalf("d=%d row %d byte %d = %08b, numpy.packbits %08b", d, r, j, ix.Codes()[r*ix.Stride()+j], b)
				}
			}
		}
		res, err := ix.Search(q, k)
		if err != nil {
			t.Fatal(err)
		}
		ties := 0
		for i := range 50 {
			for r := range k {
				if int(res.Distances(i)[r]) != ref.Dist[i][r] {
					t.Fatalf("d=%d query %d rank %d: Hamming %v, FAISS %d", d, i, r, res.Distances(i)[r], ref.Dist[i][r])
				}
				if res.Neighbors(i)[r] != ref.Index[i][r] {
					ties++
				}
			}
		}
		t.Logf("d=%d: distances equal FAISS's at all ranks; %d of %d indices differ within ties", d, ties, 50*k)
	}
}

// TestHammingEqualsSignCount checks that the Hamming distance of packed
// codes is the number of coordinates whose signs differ, with thresholds.
func TestHammingEqualsSignCount(t *testing.T) {
	for _, d := range []int{1, 7, 8, 63, 64, 65, 200} {
		x := gaussian32(uint64(d), 30, d)
		thr := make([]float32, d)
		for j := range thr {
			thr[j] = float32(j%3) * 0.1
		}
		codes, stride, err := Binarize(x, thr)
		if err != nil {
			t.Fatal(err)
		}
		if stride != (d+7)/8 {
			t.Fatalf("d=%d: stride %d", d, stride)
		}
		for i := range 30 {
			for j := range 30 {
				want := 0
				for c := range d {
					if (x.At(i, c) > thr[c]) != (x.At(j, c) > thr[c]) {
						want++
					}
				}
				if got := Hamming(codes[i*stride:(i+1)*stride], codes[j*stride:(j+1)*stride]); got != want {
					t.Fatalf("d=%d rows %d, %d: Hamming %d, sign count %d", d, i, j, got, want)
				}
			}
		}
	}
}

// TestBinaryRescoring checks that rescoring the Hamming candidates raises
// recall@10 on normalised, centred-binarised clustered data, and that float
// rescoring of all n candidates is exact search.
func TestBinaryRescoring(t *testing.T) {
	x, q := clustered(t, 3000, 100, 64, 11)
	x, _ = Normalize(x)
	q, _ = Normalize(q)
	truth, err := ExactNeighbors(x, q, 10)
	if err != nil {
		t.Fatal(err)
	}
	recall := func(o BinaryOptions) float64 {
		ix, err := NewBinaryIndex(x, o)
		if err != nil {
			t.Fatal(err)
		}
		r, err := ix.Search(q, 10)
		if err != nil {
			t.Fatal(err)
		}
		v, err := RecallAtK(truth, r, 10)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	plain := recall(BinaryOptions{Center: true})
	asym := recall(BinaryOptions{Center: true, Rescore: AsymmetricRescore, Candidates: 100})
	float := recall(BinaryOptions{Center: true, Rescore: FloatRescore, Candidates: 100})
	all := recall(BinaryOptions{Rescore: FloatRescore, Candidates: 3000})
	t.Logf("recall@10: Hamming %.3f, asymmetric rescore %.3f, float rescore %.3f, all rescored %.3f", plain, asym, float, all)
	if !(asym > plain && float > asym && all == 1) {
		t.Errorf("rescoring should raise recall: Hamming %.3f, asymmetric %.3f, float %.3f, all candidates %.3f (want 1)", plain, asym, float, all)
	}
}

// TestInt8 checks the codes against the rounding formula, the
// reconstruction error (at most half a level a coordinate), clipped
// calibration, and that the search equals exact search on the decoded rows.
func TestInt8(t *testing.T) {
	x, q := clustered(t, 1500, 40, 32, 5)
	ix, err := NewInt8Index(x, Int8Options{})
	if err != nil {
		t.Fatal(err)
	}
	sq := ix.Quantizer()
	dec, err := sq.Decode(ix.Codes())
	if err != nil {
		t.Fatal(err)
	}
	for r := range 1500 {
		for j := range 32 {
			step := (sq.Hi[j] - sq.Lo[j]) / 255
			if e := abs32(dec.At(r, j) - x.At(r, j)); e > step/2*1.0001 {
				t.Fatalf("(%d, %d): decoded %v from %v, error %v > half step %v", r, j, dec.At(r, j), x.At(r, j), e, step/2)
			}
		}
	}
	got, err := ix.Search(q, 10)
	if err != nil {
		t.Fatal(err)
	}
	want, err := ExactNeighbors(dec, q, 10)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 40 {
		for r := range 10 {
			if got.Neighbors(i)[r] != want.Neighbors(i)[r] || !near(got.Distances(i)[r], want.Distances(i)[r], 1e-9) {
				t.Fatalf("query %d rank %d: (%d, %v), exact on decoded (%d, %v)", i, r, got.Neighbors(i)[r], got.Distances(i)[r], want.Neighbors(i)[r], want.Distances(i)[r])
			}
		}
	}
	clipped, err := CalibrateInt8(x, 0.01)
	if err != nil {
		t.Fatal(err)
	}
	codes, _ := clipped.Encode(x)
	sat := 0
	for _, c := range codes {
		if c == -128 || c == 127 {
			sat++
		}
	}
	// 1% clipped at each end of each column (up to the quantile's rounding).
	if frac := float64(sat) / float64(len(codes)); frac < 0.015 || frac > 0.03 {
		t.Errorf("clip 0.01: %.4f of the codes saturate, want about 0.02", frac)
	}
	one, _ := mat32.New(1, 32, x.RawData()[:32])
	c1, _ := sq.Encode(one)
	for j, v := range one.Row(0) {
		step := (sq.Hi[j] - sq.Lo[j]) / 255
		want := int(roundHalfAway(float64((v-sq.Lo[j])/step))) - 128
		if int(c1[j]) != want {
			t.Fatalf("column %d: code %d, round((x - lo)/step) - 128 = %d", j, c1[j], want)
		}
	}
}

func roundHalfAway(v float64) float64 {
	if v < 0 {
		return -roundHalfAway(-v)
	}
	return float64(int(v + 0.5))
}
