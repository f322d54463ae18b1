package intrinsic_test

import (
	"fmt"

	"github.com/subspace-kernel/subspace/native/intrinsic"
	"github.com/subspace-kernel/subspace/native/knn"
	"github.com/subspace-kernel/subspace/native/synthetic"
)

// Several estimators sharing one neighbour search on a 3-dimensional cube
// rotated into 8 dimensions.
func Example() {
	X, err := synthetic.Cube(2000, 3, synthetic.Embed{Ambient: 8, Rotate: true, Seed: 1})
	if err != nil {
		panic(err)
	}
	nn, err := knn.SearchSelf(X, knn.Options{K: 100, ExcludeSelf: true})
	if err != nil {
		panic(err)
	}
	for _, e := range []intrinsic.Estimator{intrinsic.NewTwoNN(), intrinsic.NewMLE(), intrinsic.NewLPCA()} {
		r, err := e.Fit(X, nn)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s: %.0f\n", r.Method, r.Dim)
	}
	// Output:
	// TwoNN(discard=0.1): 3
	// MLE(k=20, comb=mle): 3
	// lPCA(ver=FO): 3
}
