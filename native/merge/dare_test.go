package merge

import (
	"slices"
	"testing"
)

// TestDARETwoModelsHandWorked: DARE's definition (Yu et al. 2024) on two
// task vectors of 16 entries, tau1 = 1 everywhere and tau2 = +2 / -2 in
// turn, p = 0.5, base[i] = i. Each dropped vector is m_t tau_t / (1 - p)
// with a 0/1 mask m_t, so every merged entry minus the base must be one
// of 2 m1 + 4 m2 (tau2 = +2) or 2 m1 - 4 m2 (tau2 = -2): the masks are
// read back from the DARE merge; model 0's mask is Drop's, and the two
// models draw different masks. DARE-TIES with the same seed drops the same
// entries, then elects the sign and takes the disjoint mean, entry by
// entry: 0 (both dropped), 2 (only tau1), +-4 (only tau2), 3 (both kept,
// same sign: (2 + 4) / 2), -4 (both kept, -4 outvotes 2).
func TestDARETwoModelsHandWorked(t *testing.T) {
	const n, p, seed, name = 16, 0.5, 11, "layer.weight"
	base, t1, t2, sign := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		base[i] = float64(i)
		sign[i] = float64(1 - 2*(i%2))
		t1[i] = base[i] + 1
		t2[i] = base[i] + 2*sign[i]
	}
	dare, err := Tensor(name, base, [][]float64{t1, t2}, Options{Method: DARE, DropRate: p, Seed: seed, Lambda: 1})
	if err != nil {
		t.Fatal(err)
	}
	m1, m2 := make([]float64, n), make([]float64, n)
	for i, v := range dare {
		r := v - base[i]
		found := false
		for _, a := range []float64{0, 1} {
			for _, b := range []float64{0, 1} {
				if r == 2*a+4*b*sign[i] {
					m1[i], m2[i], found = a, b, true
				}
			}
		}
		if !found {
			t.Fatalf("entry %d: DARE gives base + %v, not 2 m1 %+v m2 for 0/1 masks", i, r, 4*sign[i])
		}
	}
	ones := make([]float64, n)
	for i := range ones {
		ones[i] = 1
	}
	d1, _ := Drop(ones, p, seed, name)
	for i := range d1 {
		if d1[i] != 2*m1[i] {
			t.Fatalf("model 0's mask %v differs from Drop's %v", m1, d1)
		}
	}
	if slices.Equal(m1, m2) || !slices.Contains(m1, 1) || !slices.Contains(m2, 0) {
		t.Errorf("masks %v and %v: want two different masks with kept and dropped entries", m1, m2)
	}
	ties, err := Tensor(name, base, [][]float64{t1, t2}, Options{Method: DARETIES, DropRate: p, Seed: seed, Lambda: 1})
	if err != nil {
		t.Fatal(err)
	}
	cases := map[float64]int{}
	for i := range ties {
		var want float64
		switch {
		case m1[i] == 1 && m2[i] == 1 && sign[i] > 0:
			want = 3
		case m2[i] == 1:
			want = 4 * sign[i]
		case m1[i] == 1:
			want = 2
		}
		cases[want]++
		if ties[i]-base[i] != want {
			t.Errorf("entry %d (masks %v, %v, tau2 %+v): DARE-TIES gives base + %v, want %v", i, m1[i], m2[i], 2*sign[i], ties[i]-base[i], want)
		}
	}
	if len(cases) != 5 {
		t.Errorf("the masks of seed %d cover the outcomes %v: want all five (0, 2, 3, 4, -4)", seed, cases)
	}
}
