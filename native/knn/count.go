package knn

import (
	"fmt"
	"math"
	"sync/atomic"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/work"
	"github.com/subspace-kernel/subspace/native/progress"
)

// CountWithin returns, for each radius, the number of ordered pairs (i, j),
// i != j, of rows of data at Euclidean distance strictly less than the
// radius (the correlation sum of Grassberger and Procaccia before
// normalisation; duplicates count as pairs at distance 0). Like the search,
// it works on BlockSize x BlockSize blocks of the GEMM x.y and never forms
// the distance matrix; pairs whose expanded squared distance lies within
// rounding of a radius are decided on the exactly recomputed distance.
// Only BlockSize, Workers and Progress of opts are used. Cost O(n^2 d)
// flops plus O(n^2 len(radii)) comparisons; memory O(BlockSize^2).
func CountWithin(data *mat.Dense, radii []float64, opts Options) ([]int64, error) {
	d, err := dense64(data, "data")
	if err != nil {
		return nil, err
	}
	for i, r := range radii {
		if math.IsNaN(r) || r < 0 {
			return nil, fmt.Errorf("knn: radius %d is %v, want >= 0", i, r)
		}
	}
	n, dim := d.rows, d.cols
	norm := make([]float64, n)
	for j := range n {
		norm[j] = sqNorm(d.row(j))
	}
	r2 := make([]float64, len(radii))
	for t, r := range radii {
		r2[t] = r * r
	}
	bs := opts.BlockSize
	if bs <= 0 {
		bs = DefaultBlockSize
	}
	bs = min(bs, n)
	nw := work.Workers(opts.Workers)
	tile := make([]float64, bs*bs)
	counts := make([]atomic.Int64, len(radii))
	for q0 := 0; q0 < n; q0 += bs {
		q1 := min(q0+bs, n)
		rows := q1 - q0
		for d0 := 0; d0 < n; d0 += bs {
			d1 := min(d0+bs, n)
			cols := d1 - d0
			g := tile[:rows*cols]
			gemm64(rows, cols, dim, d.data[q0*dim:q1*dim], d.data[d0*dim:d1*dim], g)
			work.Range(rows, nw, func(a0, a1 int) {
				local := make([]int64, len(radii))
				for a := a0; a < a1; a++ {
					i := q0 + a
					ni := norm[i]
					gr := g[a*cols : (a+1)*cols]
					for b, gv := range gr {
						j := d0 + b
						if j == i {
							continue
						}
						s := ni + norm[j] - 2*gv
						tol := 1e-9 * (ni + norm[j])
						for t, rr := range r2 {
							switch {
							case s < rr-tol:
								local[t]++
							case s <= rr+tol:
								if euclid(d.row(i), d.row(j)) < radii[t] {
									local[t]++
								}
							}
						}
					}
				}
				for t, v := range local {
					counts[t].Add(v)
				}
			})
		}
		if err := progress.Report(opts.Progress, q1, n); err != nil {
			return nil, err
		}
	}
	out := make([]int64, len(radii))
	for t := range out {
		out[t] = counts[t].Load()
	}
	return out, nil
}
