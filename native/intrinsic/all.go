package intrinsic

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/knn"
)

// Defaults returns every estimator of the package with its reference
// defaults, sharing the options o, in a fixed order: TwoNN, MLE, MOM, TLE,
// MADA, MiND_ML, CorrInt, GRIDE, ESS, lPCA, FisherS and, when withDANCo is
// set, DANCo (whose calibration costs one kNN search per candidate
// dimension up to the number of columns).
func Defaults(o Common, withDANCo bool) []Estimator {
	two, mle, mom, tle, mada := NewTwoNN(), NewMLE(), NewMOM(), NewTLE(), NewMADA()
	mind, ci, gr, ess, pca, fs := NewMiNDML(), NewCorrInt(), NewGRIDE(), NewESS(), NewLPCA(), NewFisherS()
	two.Common, mle.Common, mom.Common, tle.Common, mada.Common = o, o, o, o, o
	mind.Common, ci.Common, gr.Common, ess.Common, pca.Common, fs.Common = o, o, o, o, o, o
	out := []Estimator{two, mle, mom, tle, mada, mind, ci, gr, ess, pca, fs}
	if withDANCo {
		d := NewDANCo()
		d.Common = o
		out = append(out, d)
	}
	return out
}

// FitAll fits the estimators (Defaults(o, withDANCo) when es is nil) on X,
// sharing one kNN search with K = 100 (the largest default neighbourhood)
// when X has more than 100 rows. Duplicate rows are an error unless
// o.Dedup is set, in which case they are removed once before everything.
// Cost: one kNN search plus the estimators' own work.
func FitAll(X *mat.Dense, o Common, withDANCo bool, es []Estimator) ([]*Estimate, error) {
	if err := checkData(X, 3); err != nil {
		return nil, err
	}
	dup := 0
	if o.Dedup {
		X, dup = Dedup(X)
		o.Dedup = false
	}
	if es == nil {
		es = Defaults(o, withDANCo)
	}
	var nn *knn.Result
	if r, _ := X.Dims(); r > 100 {
		var err error
		if nn, err = search(X, 100, o); err != nil {
			return nil, err
		}
		if zeroDistances(nn) > 0 { // duplicates: counted only when present
			_, n := Duplicates(X)
			return nil, dupError(n)
		}
	} else if _, n := Duplicates(X); n > 0 {
		return nil, dupError(n)
	}
	out := make([]*Estimate, 0, len(es))
	for _, e := range es {
		r, err := e.Fit(X, nn)
		if err != nil {
			return nil, fmt.Errorf("%T: %w", e, err)
		}
		r.Duplicates = dup
		out = append(out, r)
	}
	return out, nil
}
