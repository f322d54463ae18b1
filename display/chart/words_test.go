package chart

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestWordMap: the points are the PCA scores of the rows (the rows
// themselves with 2 columns), one series per group with each point named
// and its name shown as a label, and the static SVG writes every name.
func TestWordMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	x := mat.NewDense(12, 6, nil)
	for i := 0; i < 12; i++ {
		for j := 0; j < 6; j++ {
			x.Set(i, j, rng.NormFloat64()*float64(6-j))
		}
	}
	names := []string{"king", "prince", "queen", "son", "paris", "france", "london", "rome", "frog", "toad", "snake", "lizard"}
	groups := []string{"king", "king", "king", "king", "paris", "paris", "paris", "paris", "frog", "frog", "frog", "frog"}
	ch, err := WordMap(x, names, groups, "neighbourhoods")
	if err != nil {
		t.Fatal(err)
	}
	scores, _, err := PCA(x, 2)
	if err != nil {
		t.Fatal(err)
	}
	series := seriesList(ch.Option)
	if len(series) != 3 {
		t.Fatalf("%d series, want 3", len(series))
	}
	i := 0
	for g, s := range series {
		if s["name"] != groups[4*g] {
			t.Errorf("series %d is %v", g, s["name"])
		}
		if lab := s["label"].(map[string]any); lab["show"] != true || lab["formatter"] != "{b}" {
			t.Errorf("series %d label %v", g, lab)
		}
		for _, item := range s["data"].([]any) {
			m := item.(map[string]any)
			v := m["value"].([]any)
			if m["name"] != names[i] || math.Abs(v[0].(float64)-scores.At(i, 0)) > 1e-5*math.Abs(scores.At(i, 0))+1e-9 ||
				math.Abs(v[1].(float64)-scores.At(i, 1)) > 1e-5*math.Abs(scores.At(i, 1))+1e-9 {
				t.Errorf("point %d: %v, want %s at (%v, %v)", i, m, names[i], scores.At(i, 0), scores.At(i, 1))
			}
			i++
		}
	}
	for _, w := range names {
		if !strings.Contains(ch.SVG, ">"+w+"<") {
			t.Errorf("static SVG lacks %q", w)
		}
	}

	two := mat.NewDense(3, 2, []float64{0, 0, 1, 2, -3, 4})
	ch, err = WordMap(two, []string{"a", "b", "c"}, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	data := seriesList(ch.Option)[0]["data"].([]any)
	if v := data[2].(map[string]any)["value"].([]any); v[0] != -3.0 || v[1] != 4.0 {
		t.Errorf("2-column input moved: %v", v)
	}
	for _, c := range []struct {
		x      mat.Matrix
		names  []string
		groups []string
		want   string
	}{
		{two, []string{"a"}, nil, "1 names for 3 points"},
		{two, []string{"a", "b", "c"}, []string{"g"}, "1 labels for 3 points"},
		{mat.NewDense(3, 1, nil), []string{"a", "b", "c"}, nil, "need at least 2"},
		{mat.NewDense(501, 2, nil), make([]string, 501), nil, "501 points"},
	} {
		if _, err := WordMap(c.x, c.names, c.groups, ""); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v, want %q", err, c.want)
		}
	}
}
