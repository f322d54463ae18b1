package intrinsic

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"codeberg.org/sbinet/npyio"
	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/knn"
)

// anchorDir is where the scikit-dimension anchors are: $SUBSPACE_ANCHORS,
// else shared/anchors beside the repository's root (how CI and developers
// check the repository out), else /work/shared/anchors.
var anchorDir = findAnchorDir()

func findAnchorDir() string {
	if d := os.Getenv("SUBSPACE_ANCHORS"); d != "" {
		return d
	}
	if wd, err := os.Getwd(); err == nil {
		for dir := wd; ; dir = filepath.Dir(dir) {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				cand := filepath.Join(dir, "..", "shared", "anchors")
				if _, err := os.Stat(cand); err == nil {
					return cand
				}
				break
			}
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	return "/work/shared/anchors"
}

type anchorFile struct {
	Datasets map[string]struct {
		File  string             `json:"file"`
		True  float64            `json:"true_intrinsic_dim"`
		Skdim map[string]float64 `json:"skdim"`
	} `json:"datasets"`
}

func loadAnchors(t *testing.T) anchorFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(anchorDir, "intrinsic-dimension.json"))
	if err != nil {
		t.Fatalf("anchors missing (set SUBSPACE_ANCHORS to the folder of intrinsic-dimension.json): %v", err)
	}
	var a anchorFile
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	return a
}

func loadNpy(t *testing.T, name string) *mat.Dense {
	t.Helper()
	f, err := os.Open(filepath.Join(anchorDir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var m mat.Dense
	if err := npyio.Read(f, &m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &m
}

// anchorCase maps a key of the anchors file to our estimator and the
// tolerance the anchors file states (1% deterministic, 5% randomised).
type anchorCase struct {
	key string
	tol float64
	fit func(X *mat.Dense, nn *knn.Result) (float64, error)
}

func est(e Estimator) func(X *mat.Dense, nn *knn.Result) (float64, error) {
	return func(X *mat.Dense, nn *knn.Result) (float64, error) {
		r, err := e.Fit(X, nn)
		if err != nil {
			return 0, err
		}
		return r.Dim, nil
	}
}

var anchorCases = []anchorCase{
	{"TwoNN()", 0.01, est(NewTwoNN())},
	{"MLE() [k=20, comb=mle]", 0.01, est(NewMLE())},
	{"MOM() [k=100]", 0.01, est(NewMOM())},
	{"MADA() [k=20]", 0.01, est(NewMADA())},
	{"MiND_ML() [k=20, ver=MLk]", 0.01, est(NewMiNDML())},
	{"TLE() [k=20]", 0.01, est(NewTLE())},
	{"CorrInt() [k1=10,k2=20]", 0.01, est(NewCorrInt())},
	{"lPCA() [ver=FO]", 0.01, est(NewLPCA())},
	{"lPCA.fit_pw(k=100) median", 0.01, func(X *mat.Dense, nn *knn.Result) (float64, error) {
		r, err := NewLPCA().FitPointwise(X, nn, 100)
		if err != nil {
			return 0, err
		}
		return r.Dim, nil
	}},
	{"TwoNN.fit_pw(k=100) median", 0.01, func(X *mat.Dense, nn *knn.Result) (float64, error) {
		r, err := NewTwoNN().FitPointwise(X, nn, 100)
		if err != nil {
			return 0, err
		}
		return r.Dim, nil
	}},
	{"ESS(random_state=0) [k=100]", 0.05, est(NewESS())},
	{"FisherS()", 0.05, est(NewFisherS())},
	{"DANCo(random_state=0) [k=10]", 0.05, est(NewDANCo())},
}

// TestAnchors compares every implemented estimator with scikit-dimension's
// value on the three anchor datasets, sharing one kNN search per dataset
// (the precomputed-neighbours path) except for the first case, fitted from X.
func TestAnchors(t *testing.T) {
	a := loadAnchors(t)
	for name, ds := range a.Datasets {
		X := loadNpy(t, ds.File)
		nn, err := knn.SearchSelf(X, knn.Options{K: 100, ExcludeSelf: true})
		if err != nil {
			t.Fatal(err)
		}
		for ci, c := range anchorCases {
			want, ok := ds.Skdim[c.key]
			if !ok {
				t.Fatalf("%s: no anchor %q", name, c.key)
			}
			var got float64
			if ci == 0 {
				got, err = c.fit(X, nil)
			} else {
				got, err = c.fit(X, nn)
			}
			if err != nil {
				t.Errorf("%s %s: %v", name, c.key, err)
				continue
			}
			rel := math.Abs(got-want) / math.Abs(want)
			t.Logf("%-14s %-32s ours %.6f skdim %.6f rel %.2e", name, c.key, got, want, rel)
			if rel > c.tol {
				t.Errorf("%s %s: %v, skdim %v (relative difference %.3g > %g)", name, c.key, got, want, rel, c.tol)
			}
		}
	}
}
