package main

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"github.com/subspace-kernel/subspace/native/intrinsic"
	"github.com/subspace-kernel/subspace/native/synthetic"
)

type idRef struct {
	Sklearn string `json:"sklearn"`
	Numpy   string `json:"numpy"`
	Threads any    `json:"threads"`
	Cells   map[string]struct {
		Seconds float64 `json:"seconds"`
		CPU     float64 `json:"cpu"`
		Value   float64 `json:"value"`
	} `json:"cells"`
}

// name returns the reference's name of an estimator.
func name(e intrinsic.Estimator) string {
	s := strings.TrimPrefix(fmt.Sprintf("%T", e), "*intrinsic.")
	switch s {
	case "MiNDML":
		return "MiND_ML"
	case "LPCA":
		return "lPCA"
	}
	return s
}

// idTable fits every estimator (skdim defaults) on every benchmark
// manifold, ours then the reference, and prints times, ratios and values.
func idTable(c config) error {
	ms0 := c.manifolds
	if ms0 == nil {
		for _, m := range synthetic.Manifolds {
			ms0 = append(ms0, m.Name)
		}
	}
	fmt.Printf("\nIntrinsic dimension, n = %d, scikit-dimension's benchmark manifolds (best of %d; 1 for the reference's TLE, ESS, DANCo;\n", c.idn, c.reps)
	fmt.Printf("DANCo on the manifolds of at most %d columns). ratio = reference / ours, wall time and CPU time (all threads)\n", c.dancoMaxD)
	fmt.Printf("%-18s %-8s %10s %10s %8s %8s %9s %9s\n", "manifold (d, D)", "estim.", "ours", "reference", "ratio", "cpu", "ours", "ref")
	ratios := map[string][]float64{}
	for _, m := range ms0 {
		if err := idManifold(c, m, ratios); err != nil {
			return err
		}
	}
	fmt.Printf("\nratio reference / ours per estimator over the manifolds: min, median, max\n")
	for _, e := range intrinsic.Defaults(intrinsic.Common{}, true) {
		r := ratios[name(e)]
		if len(r) == 0 {
			continue
		}
		slices.Sort(r)
		fmt.Printf("%-8s %7.2fx %7.2fx %7.2fx\n", name(e), r[0], r[len(r)/2], r[len(r)-1])
	}
	return nil
}

func idManifold(c config, m string, ratios map[string][]float64) error {
	desc, err := synthetic.LookupManifold(m)
	if err != nil {
		return err
	}
	X, err := synthetic.Benchmark(m, c.idn, 0, 1)
	if err != nil {
		return err
	}
	file := filepath.Join(c.dir, "manifold_"+m+".npy")
	if err := save(file, X); err != nil {
		return err
	}
	type res struct {
		t timing
		v float64
	}
	ours := map[string]res{}
	var names []string
	for _, e := range intrinsic.Defaults(intrinsic.Common{}, true) {
		nm := name(e)
		if c.only != "" && !slices.Contains(strings.Split(c.only, ","), nm) {
			continue
		}
		if nm == "DANCo" && desc.Ambient > c.dancoMaxD {
			continue
		}
		var est *intrinsic.Estimate
		t, err := best(c.reps, func() (err error) { est, err = e.Fit(X, nil); return })
		if err != nil {
			// skdim warns and returns NaN there (FisherS on M10d: every point
			// separable); not timed.
			fmt.Printf("%-18s %-8s %v\n", m, nm, err)
			continue
		}
		ours[nm] = res{t, est.Dim}
		names = append(names, nm)
	}
	var ref idRef
	if err := python(c, &ref, "id", file, fmt.Sprint(c.reps), strings.Join(names, ",")); err != nil {
		return err
	}
	label := fmt.Sprintf("%s (%d, %d)", strings.SplitN(m, "_", 2)[0], desc.Dim, desc.Ambient)
	for _, nm := range names {
		r, ok := ref.Cells[nm]
		if !ok {
			return fmt.Errorf("reference has no %s", nm)
		}
		o := ours[nm]
		ratio := r.Seconds / o.t.wall
		ratios[nm] = append(ratios[nm], ratio)
		flag := ""
		if math.Abs(o.v-r.Value) > 0.05*math.Max(1, math.Abs(r.Value)) {
			flag = " (values differ)"
		}
		fmt.Printf("%-18s %-8s %10s %10s %7.2fx %7.2fx %9.3f %9.3f%s\n", label, nm, ms(o.t.wall), ms(r.Seconds), ratio, r.CPU/o.t.cpu, o.v, r.Value, flag)
		label = ""
	}
	return nil
}
