package display_test

import (
	"github.com/subspace-kernel/subspace/display"
	"github.com/subspace-kernel/subspace/native/knn"
	"github.com/subspace-kernel/subspace/native/progress"
	"gonum.org/v1/gonum/mat"
)

// ExampleTrack shows a progress bar while an exact kNN search runs: the
// search reports the queries done through Options.Progress. (No Output
// comment: the bar is an HTML output, not text; the example is compiled
// by go test, which keeps its call of knn.Search right.)
func ExampleTrack() {
	data := mat.NewDense(1000, 8, nil)
	queries := mat.NewDense(200, 8, nil)
	err := display.Track("kNN", queries.RawMatrix().Rows, func(f progress.Func) error {
		_, err := knn.Search(data, queries, knn.Options{K: 10, Progress: f})
		return err
	})
	if err != nil {
		panic(err)
	}
}
