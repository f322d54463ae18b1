package topk

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestHeapMatchesSort streams random keys with many ties and checks the kept
// pairs against a full sort by (key, index).
func TestHeapMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ n, k, levels int }{{1, 1, 3}, {50, 7, 5}, {1000, 20, 40}, {10, 20, 3}, {100, 0, 3}} {
		keys := make([]int, tc.n)
		for i := range keys {
			keys[i] = rng.IntN(tc.levels)
		}
		perm := rng.Perm(tc.n)
		h := New[int](tc.k)
		for _, i := range perm {
			h.Push(keys[i], int32(i))
		}
		order := make([]int, tc.n)
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int {
			if keys[a] != keys[b] {
				return keys[a] - keys[b]
			}
			return a - b
		})
		want := order[:min(tc.k, tc.n)]
		gk := make([]int, h.Len())
		gi := make([]int32, h.Len())
		m := h.Sorted(gk, gi)
		if m != len(want) {
			t.Fatalf("n=%d k=%d: kept %d, want %d", tc.n, tc.k, m, len(want))
		}
		for r, i := range want {
			if int(gi[r]) != i || gk[r] != keys[i] {
				t.Fatalf("n=%d k=%d rank %d: (%d, %d), want (%d, %d)", tc.n, tc.k, r, gk[r], gi[r], keys[i], i)
			}
		}
	}
}

// TestSortPairs checks the order by key, then id, on ties.
func TestSortPairs(t *testing.T) {
	keys := []float64{2, 1, 2, 0.5, 1}
	ids := []int{7, 9, 3, 4, 2}
	SortPairs(keys, ids)
	if !slices.Equal(keys, []float64{0.5, 1, 1, 2, 2}) || !slices.Equal(ids, []int{4, 2, 9, 3, 7}) {
		t.Errorf("sorted %v %v", keys, ids)
	}
}
