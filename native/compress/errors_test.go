package compress

import (
	"math"
	"testing"

	"github.com/subspace-kernel/subspace/native/mat32"
)

// TestBadInput checks that every index and transform refuses bad input with
// an error naming the problem: k larger than the index, a dimension not
// divisible by the PQ sub-vector count, empty data, NaN vectors, queries of
// the wrong width.
func TestBadInput(t *testing.T) {
	x, q := clustered(t, 300, 5, 16, 1)
	nan := mat32.Zeros(3, 16)
	nan.Set(1, 4, float32(math.NaN()))
	empty := mat32.Zeros(0, 16)
	narrow := mat32.Zeros(2, 15)
	bin, _ := NewBinaryIndex(x, BinaryOptions{})
	i8, _ := NewInt8Index(x, Int8Options{})
	pq, _ := NewPQIndex(x, PQOptions{M: 4, Bits: 4})
	ex, _ := NewExactIndex(x)
	indexes := []Searcher{bin, i8, pq, ex}
	for _, ix := range indexes {
		for _, c := range []struct {
			q    *mat32.Dense
			k    int
			want string
		}{
			{q, 301, "= 301"},
			{q, 0, "= 0"},
			{nan, 3, "(row 1, column 4) is NaN"},
			{empty, 3, "empty"},
			{narrow, 3, "15 columns"},
		} {
			_, err := ix.Search(c.q, c.k)
			if err == nil || !contains(err.Error(), c.want) {
				t.Errorf("%s: Search(k=%d): error %v, want one containing %q", ix.Name(), c.k, err, c.want)
			}
		}
	}
	for name, f := range map[string]func() error{
		"PQ M not dividing d": func() error { _, err := TrainPQ(x, PQOptions{M: 5}); return err },
		"PQ bits":             func() error { _, err := TrainPQ(x, PQOptions{M: 4, Bits: 9}); return err },
		"PQ too few rows": func() error {
			few, _ := mat32.New(100, 16, x.RawData()[:1600])
			_, err := TrainPQ(few, PQOptions{M: 4})
			return err
		},
		"PQ NaN":          func() error { _, err := TrainPQ(nan, PQOptions{M: 4, Bits: 1}); return err },
		"binary empty":    func() error { _, err := NewBinaryIndex(empty, BinaryOptions{}); return err },
		"int8 NaN":        func() error { _, err := NewInt8Index(nan, Int8Options{}); return err },
		"int8 clip":       func() error { _, err := CalibrateInt8(x, 0.5); return err },
		"projection dims": func() error { _, err := NewRandomProjection(16, 0, ProjectionOptions{}); return err },
		"projection density": func() error {
			_, err := NewRandomProjection(16, 4, ProjectionOptions{Kind: Sparse, Density: 2})
			return err
		},
		"transform width": func() error {
			p, _ := NewRandomProjection(15, 4, ProjectionOptions{})
			_, err := p.Transform(x)
			return err
		},
		"PCA k":               func() error { _, err := FitPCAProjection(x, 17, false); return err },
		"Matryoshka zero row": func() error { m, _ := NewMatryoshka(16, 4); _, err := m.Transform(mat32.Zeros(2, 16)); return err },
		"JL eps":              func() error { _, err := JLMinDim(100, 1); return err },
		"FDE NaN":             func() error { f, _ := NewFDE(16, FDEOptions{}); _, err := f.EncodeQuery(nan); return err },
		"FastRP dim": func() error {
			a, _ := NewAdjacency(3, nil, nil, nil, false)
			_, err := FastRP(a, FastRPOptions{})
			return err
		},
	} {
		if err := f(); err == nil {
			t.Errorf("%s: no error", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
}
