package intrinsic

import (
	"math"
	"testing"
)

// dadapyGRIDE holds DADApy's IdEstimation(coordinates=X).
// return_id_scaling_gride(range_max=64) on the anchor datasets (ids and
// errors for n1 = 1, 2, ..., 32), computed with DADApy at commit d9038b3b
// (numpy 1.24, sklearn 1.2), which is not installed here: literal values
// from the reference library, as the skdim anchors are.
var dadapyGRIDE = map[string]struct{ ids, errs []float64 }{
	"cube5_in10.npy": {
		[]float64{4.723477365772676, 4.692100790364522, 4.749507572872303, 4.564400353147911, 4.4766371416769974, 4.382569988625445},
		[]float64{0.0668000575223806, 0.047830878034335465, 0.03431302790103742, 0.023309915803850317, 0.016159105801223376, 0.011182122192270858},
	},
	"swissroll.npy": {
		[]float64{2.098256858214124, 2.0051756837448043, 1.9540243558846122, 1.907446981445042, 1.9315555227489385, 1.8890264288699543},
		[]float64{0.046918449692219186, 0.03231087918913479, 0.02231607676429209, 0.015402294872720188, 0.011024763311110361, 0.007622617518426629},
	},
	"sphere10_in20.npy": {
		[]float64{9.170946480621673, 9.246170493902493, 9.05528424875866, 8.890045903179882, 8.61729177077478, 8.33944575370019},
		[]float64{0.20506859748682518, 0.1490312616342206, 0.10344541165392046, 0.07178331163338876, 0.04917475074388363, 0.033640956532226464},
	},
}

// TestGRIDEAgainstDADApy matches DADApy's multiscale GRIDE: the bisection
// stops within 1e-7 of the maximiser, so dimensions agree to 1e-6 relative,
// errors (a smooth function of the dimension) likewise.
func TestGRIDEAgainstDADApy(t *testing.T) {
	for file, want := range dadapyGRIDE {
		X := loadNpy(t, file)
		sc, _, err := NewGRIDE().FitScales(X, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(sc) != len(want.ids) {
			t.Fatalf("%s: %d scales, want %d", file, len(sc), len(want.ids))
		}
		for i, s := range sc {
			if math.Abs(s.Dim-want.ids[i]) > 1e-6*want.ids[i] || math.Abs(s.StdErr-want.errs[i]) > 1e-6*want.errs[i] {
				t.Errorf("%s n1=%d: %.15g +- %.15g, DADApy %.15g +- %.15g", file, s.N1, s.Dim, s.StdErr, want.ids[i], want.errs[i])
			}
		}
	}
}
