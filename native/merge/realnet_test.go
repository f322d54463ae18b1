package merge_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/dataset"
	"github.com/subspace-kernel/subspace/native/dataset/digits"
	"github.com/subspace-kernel/subspace/native/merge"
	"github.com/subspace-kernel/subspace/native/nn"
)

// remap returns x with every 8x8 image (row) resampled: pixel (r, c)
// takes the source pixel f(r, c).
func remap(x *mat.Dense, f func(r, c int) (int, int)) *mat.Dense {
	n, d := x.Dims()
	out := mat.NewDense(n, d, nil)
	for i := 0; i < n; i++ {
		src, dst := x.RawRowView(i), out.RawRowView(i)
		for r := 0; r < 8; r++ {
			for c := 0; c < 8; c++ {
				sr, sc := f(r, c)
				dst[r*8+c] = src[sr*8+sc]
			}
		}
	}
	return out
}

// TestMergeRealNetworks: an MLP 64-128-128-10 trained on the upright
// digits is fine-tuned (all weights, SGD) once on digits rotated by 90
// degrees and once on digits flipped left-right; each fine-tune solves its
// own task (>= 0.9 held-out accuracy) and not the other (<= 0.4). Merging
// the two files with task arithmetic (scale 1), TIES, DARE and DARE-TIES
// gives one network that beats, on each task, the fine-tune made for the
// other task by at least 0.1, and task arithmetic and TIES score >= 0.45
// on both. The table is logged next to each fine-tune alone.
func TestMergeRealNetworks(t *testing.T) {
	x, y, err := digits.Load()
	if err != nil {
		t.Fatal(err)
	}
	x.Scale(1.0/16, x)
	xtr, ytr, xte, yte, err := dataset.Split(x, y, 0.3, 1)
	if err != nil {
		t.Fatal(err)
	}
	tasks := []struct {
		name string
		f    func(r, c int) (int, int)
	}{
		{"rotated", func(r, c int) (int, int) { return 7 - c, r }},
		{"flipped", func(r, c int) (int, int) { return r, 7 - c }},
	}
	base, _ := nn.NewMLP([]int{64, 128, 128, 10}, nn.ReLU, 3)
	if _, err := base.Train(xtr, ytr, nn.TrainConfig{Epochs: 30, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bp := filepath.Join(dir, "base.safetensors")
	if err := base.Save(bp, dataset.Float32); err != nil {
		t.Fatal(err)
	}
	score := func(m *nn.MLP) []float64 {
		var acc []float64
		for _, tk := range tasks {
			a, _ := m.Accuracy(remap(xte, tk.f), yte)
			acc = append(acc, a)
		}
		return acc
	}
	var rows []string
	row := func(name string, acc []float64) {
		rows = append(rows, fmt.Sprintf("%-26s %8.3f %8.3f", name, acc[0], acc[1]))
	}
	row("base (upright digits)", score(base))
	var tuned []string
	other := make([]float64, 2) // accuracy on task i of the fine-tune for the other task
	for i, tk := range tasks {
		ft := base.Clone()
		if _, err := ft.Train(remap(xtr, tk.f), ytr, nn.TrainConfig{Epochs: 10, Optimizer: nn.SGD, LearningRate: 0.02, Momentum: 0.9, Seed: 2}); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, tk.name+".safetensors")
		if err := ft.Save(p, dataset.Float32); err != nil {
			t.Fatal(err)
		}
		tuned = append(tuned, p)
		acc := score(ft)
		other[1-i] = acc[1-i]
		row("fine-tuned on "+tk.name, acc)
		if acc[i] < 0.9 || acc[1-i] > 0.4 {
			t.Errorf("fine-tune on %s: accuracies %v (want >= 0.9 on its task, <= 0.4 on the other)", tk.name, acc)
		}
	}
	for _, c := range []struct {
		name string
		opts merge.Options
		min  float64
	}{
		{"average (lambda 0.5)", merge.Options{Lambda: 0.5}, -1},
		{"task arithmetic (1.0)", merge.Options{Lambda: 1}, 0.45},
		{"TIES (k 20%, lambda 1)", merge.Options{Method: merge.TIES, Density: 0.2, Lambda: 1}, 0.45},
		{"DARE (p 0.5, lambda 1)", merge.Options{Method: merge.DARE, DropRate: 0.5, Lambda: 1, Seed: 1}, 0},
		{"DARE-TIES (p 0.5)", merge.Options{Method: merge.DARETIES, DropRate: 0.5, Lambda: 1, Seed: 1}, 0},
	} {
		out := filepath.Join(dir, "merged.safetensors")
		if _, err := merge.Merge(out, bp, tuned, c.opts); err != nil {
			t.Fatal(err)
		}
		m, err := nn.LoadMLP(out)
		if err != nil {
			t.Fatal(err)
		}
		acc := score(m)
		row(c.name, acc)
		if c.min < 0 {
			continue
		}
		if min(acc[0], acc[1]) < c.min || acc[0] < other[0]+0.1 || acc[1] < other[1]+0.1 {
			t.Errorf("%s: accuracies %v, want both >= %v and >= %v + 0.1 (the other task's fine-tune)", c.name, acc, c.min, other)
		}
	}
	st, err := merge.Compare(bp, tuned)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("held-out accuracy (digits test split, 30%%):\n%-26s %8s %8s\n%s\ntask vectors: cosine %.3f, sign conflicts %.3f",
		"model", "rotated", "flipped", strings.Join(rows, "\n"), st.Cosine[0][1], st.SignConflict[0][1])
}
