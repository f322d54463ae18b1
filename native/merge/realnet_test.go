package merge_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/dataset"
	"github.com/subspace-kernel/subspace/native/dataset/mnist"
	"github.com/subspace-kernel/subspace/native/merge"
	"github.com/subspace-kernel/subspace/native/nn"
)

// remap returns x with every 28x28 image (row) resampled: pixel (r, c)
// takes the source pixel f(r, c).
func remap(x *mat.Dense, f func(r, c int) (int, int)) *mat.Dense {
	const side = mnist.Side
	n, d := x.Dims()
	out := mat.NewDense(n, d, nil)
	for i := 0; i < n; i++ {
		src, dst := x.RawRowView(i), out.RawRowView(i)
		for r := 0; r < side; r++ {
			for c := 0; c < side; c++ {
				sr, sc := f(r, c)
				dst[r*side+c] = src[sr*side+sc]
			}
		}
	}
	return out
}

// TestMergeRealNetworks: an MLP 784-128-128-10 trained on upright MNIST
// (the fixed 8,000 / 2,000 split) is fine-tuned (all weights, SGD, two
// epochs) once on digits rotated by 90 degrees and once on digits flipped
// left-right; each fine-tune solves its own task (>= 0.9 held-out
// accuracy) and not the other (<= 0.4). Merging the two files with task
// arithmetic (scale 0.5), TIES (k 20%, scale 0.7) and DARE (p 0.5, scale
// 0.5) gives one network that scores >= 0.6 on both held-out tasks and
// beats, on each task, the fine-tune made for the other task by at least
// 0.3. The table (with task arithmetic at scale 1, TIES at scale 1, DARE at
// p 0.9 and DARE-TIES) is logged next to each fine-tune alone.
func TestMergeRealNetworks(t *testing.T) {
	s, err := mnist.Load()
	if err != nil {
		t.Fatal(err)
	}
	xtr, ytr, xte, yte := s.TrainImages, s.TrainLabels, s.TestImages, s.TestLabels
	const last = mnist.Side - 1
	tasks := []struct {
		name string
		f    func(r, c int) (int, int)
	}{
		{"rotated", func(r, c int) (int, int) { return last - c, r }},
		{"flipped", func(r, c int) (int, int) { return r, last - c }},
	}
	base, _ := nn.NewMLP([]int{mnist.Features, 128, 128, mnist.Classes}, nn.ReLU, 3)
	if _, err := base.Train(xtr, ytr, nn.TrainConfig{Epochs: 5, BatchSize: 64, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bp := filepath.Join(dir, "base.safetensors")
	if err := base.Save(bp, dataset.Float32); err != nil {
		t.Fatal(err)
	}
	tests := make([]*mat.Dense, len(tasks))
	for i, tk := range tasks {
		tests[i] = remap(xte, tk.f)
	}
	score := func(m *nn.MLP) []float64 {
		var acc []float64
		for _, z := range append([]*mat.Dense{xte}, tests...) {
			a, _ := m.Accuracy(z, yte)
			acc = append(acc, a)
		}
		return acc
	}
	var rows []string
	row := func(name string, acc []float64) {
		rows = append(rows, fmt.Sprintf("%-28s %8.3f %8.3f %8.3f", name, acc[0], acc[1], acc[2]))
	}
	row("base (upright)", score(base))
	var tuned []string
	other := make([]float64, 2) // accuracy on task i of the fine-tune for the other task
	for i, tk := range tasks {
		ft := base.Clone()
		if _, err := ft.Train(remap(xtr, tk.f), ytr, nn.TrainConfig{Epochs: 2, BatchSize: 64, Optimizer: nn.SGD, LearningRate: 0.02, Momentum: 0.9, Seed: 2}); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, tk.name+".safetensors")
		if err := ft.Save(p, dataset.Float32); err != nil {
			t.Fatal(err)
		}
		tuned = append(tuned, p)
		acc := score(ft)[1:]
		other[1-i] = acc[1-i]
		row("fine-tuned on "+tk.name, score(ft))
		if acc[i] < 0.9 || acc[1-i] > 0.4 {
			t.Errorf("fine-tune on %s: accuracies %v (want >= 0.9 on its task, <= 0.4 on the other)", tk.name, acc)
		}
	}
	for _, c := range []struct {
		name string
		opts merge.Options
		min  float64
	}{
		{"task arithmetic (0.5)", merge.Options{Lambda: 0.5}, 0.6},
		{"task arithmetic (1.0)", merge.Options{Lambda: 1}, -1},
		{"TIES (k 20%, lambda 0.7)", merge.Options{Method: merge.TIES, Density: 0.2, Lambda: 0.7}, 0.6},
		{"TIES (k 20%, lambda 1)", merge.Options{Method: merge.TIES, Density: 0.2, Lambda: 1}, -1},
		{"DARE (p 0.5, lambda 0.5)", merge.Options{Method: merge.DARE, DropRate: 0.5, Lambda: 0.5, Seed: 1}, 0.6},
		{"DARE (p 0.9, lambda 0.5)", merge.Options{Method: merge.DARE, DropRate: 0.9, Lambda: 0.5, Seed: 1}, -1},
		{"DARE-TIES (p 0.5, lambda 1)", merge.Options{Method: merge.DARETIES, DropRate: 0.5, Lambda: 1, Seed: 1}, -1},
	} {
		out := filepath.Join(dir, "merged.safetensors")
		if _, err := merge.Merge(out, bp, tuned, c.opts); err != nil {
			t.Fatal(err)
		}
		m, err := nn.LoadMLP(out)
		if err != nil {
			t.Fatal(err)
		}
		row(c.name, score(m))
		acc := score(m)[1:]
		if c.min < 0 {
			continue
		}
		if min(acc[0], acc[1]) < c.min || acc[0] < other[0]+0.3 || acc[1] < other[1]+0.3 {
			t.Errorf("%s: accuracies %v, want both >= %v and >= %v + 0.3 (the other task's fine-tune)", c.name, acc, c.min, other)
		}
	}
	st, err := merge.Compare(bp, tuned)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("held-out accuracy (MNIST test split, 2,000 images):\n%-28s %8s %8s %8s\n%s\ntask vectors: cosine %.3f, sign conflicts %.3f",
		"model", "upright", "rotated", "flipped", strings.Join(rows, "\n"), st.Cosine[0][1], st.SignConflict[0][1])
}
