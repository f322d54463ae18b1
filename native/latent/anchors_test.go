package latent

import (
	"slices"
	"testing"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/internal/linalg"
)

// TestRandomAnchors: distinct, in range, reproducible, seed-dependent.
func TestRandomAnchors(t *testing.T) {
	a, err := RandomAnchors(100, 30, 1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := RandomAnchors(100, 30, 1)
	c, _ := RandomAnchors(100, 30, 2)
	s := slices.Clone(a)
	slices.Sort(s)
	if len(slices.Compact(s)) != 30 || s[0] < 0 || s[29] >= 100 || !slices.Equal(a, b) || slices.Equal(a, c) {
		t.Errorf("anchors %v / %v / %v", a, b, c)
	}
	_, err = RandomAnchors(10, 11, 0)
	wantErr(t, "k", err, "latent: k = 11 must be in [1, 10]: at least one anchor and no more anchors than points")
}

// TestFarthestPointAnchors compares with a numpy implementation of
// greedy farthest-point sampling from the same first index (same run).
func TestFarthestPointAnchors(t *testing.T) {
	x := gauss(300, 500, 6)
	got, err := FarthestPointAnchors(x, 25, 3)
	if err != nil {
		t.Fatal(err)
	}
	var want []int
	pyref.JSON(t, `
import json, sys
import numpy as np
inp = json.load(sys.stdin)
x = np.load(inp["x"]); idx = [inp["first"]]
d = ((x - x[idx[0]]) ** 2).sum(1)
while len(idx) < inp["k"]:
    j = int(np.argmax(d)); idx.append(j)
    d = np.minimum(d, ((x - x[j]) ** 2).sum(1))
json.dump(idx, sys.stdout)
`, map[string]any{"x": pyref.WriteNPY(t, x), "first": got[0], "k": 25}, &want)
	if !slices.Equal(got, want) {
		t.Errorf("FPS\n got %v\nwant %v", got, want)
	}
}

// TestKMeansAnchors: each anchor is the member of its cluster nearest the
// centre (checked by brute force over the labels of a second fit with the
// same seed), and the anchors are distinct.
func TestKMeansAnchors(t *testing.T) {
	x := gauss(310, 400, 5)
	idx, centres, err := KMeansAnchors(x, 8, 4)
	if err != nil {
		t.Fatal(err)
	}
	for c, i := range idx {
		di := linalg.SqDist(x.RawRowView(i), centres.RawRowView(c))
		for j := 0; j < 400; j++ {
			// a nearer point to centre c must belong to another cluster
			if dj := linalg.SqDist(x.RawRowView(j), centres.RawRowView(c)); dj < di {
				own := 0
				for l := 0; l < 8; l++ {
					if linalg.SqDist(x.RawRowView(j), centres.RawRowView(l)) < linalg.SqDist(x.RawRowView(j), centres.RawRowView(own)) {
						own = l
					}
				}
				if own == c {
					t.Fatalf("anchor %d (row %d) is not its cluster's nearest member: row %d is nearer", c, i, j)
				}
			}
		}
	}
	s := slices.Clone(idx)
	slices.Sort(s)
	if len(slices.Compact(s)) != 8 {
		t.Errorf("anchors not distinct: %v", idx)
	}
}

// TestStratifiedAnchors: classes as even as their sizes allow, members
// of the right class, distinct, reproducible.
func TestStratifiedAnchors(t *testing.T) {
	labels := make([]int, 0, 100)
	for i := 0; i < 100; i++ {
		switch {
		case i < 3:
			labels = append(labels, 7) // a class of 3
		case i < 40:
			labels = append(labels, 2)
		default:
			labels = append(labels, 5)
		}
	}
	for _, k := range []int{3, 20, 21, 100} {
		idx, err := StratifiedAnchors(labels, k, 9)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := StratifiedAnchors(labels, k, 9)
		count := map[int]int{}
		for _, i := range idx {
			count[labels[i]]++
		}
		s := slices.Clone(idx)
		slices.Sort(s)
		if len(idx) != k || len(slices.Compact(s)) != k || !slices.Equal(idx, again) {
			t.Fatalf("k = %d: %v", k, idx)
		}
		small := min(3, k/3)
		if k == 21 || k == 20 {
			small = 3
		}
		if count[7] != small || abs(count[2]-count[5]) > 1 && count[2] != 37 {
			t.Errorf("k = %d: counts %v", k, count)
		}
	}
	_, err := StratifiedAnchors(nil, 1, 0)
	wantErr(t, "empty", err, "latent: labels is empty")
}

func abs(v int) int { return max(v, -v) }
