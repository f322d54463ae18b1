package knn_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/knn"
)

// Four points on a line: each point's nearest neighbour, itself excluded.
// Point 1 is equally far from 0 and 2: the tie goes to the smaller index.
func ExampleSearchSelf() {
	x := mat.NewDense(4, 1, []float64{0, 1, 2, 5})
	res, err := knn.SearchSelf(x, knn.Options{K: 2, ExcludeSelf: true})
	if err != nil {
		panic(err)
	}
	for i := range res.N {
		fmt.Println(i, res.Neighbors(i), res.Distances(i))
	}
	// Output:
	// 0 [1 2] [1 2]
	// 1 [0 2] [1 1]
	// 2 [1 0] [1 2]
	// 3 [2 1] [3 4]
}
