package complete

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/mat32"
)

type panicky struct{ A int }

// panicMatrix is a mat.Matrix whose At panics.
type panicMatrix struct{}

func (panicMatrix) Dims() (int, int)    { return 2, 2 }
func (panicMatrix) At(i, j int) float64 { panic("index out of range") }
func (panicMatrix) T() mat.Matrix       { return panicMatrix{} }

func (panicky) String() string { panic("boom") }

func TestSummarize(t *testing.T) {
	m32, err := mat32.New(2, 3, []float32{1, 2, 3, 4, 5, 9})
	if err != nil {
		t.Fatal(err)
	}
	big := map[int]bool{}
	for i := 0; i < 10001; i++ {
		big[i] = true
	}
	sub := mat.NewDense(3, 3, []float64{1, 2, 3, 4, 5, 6, 7, 8, 9}).Slice(1, 3, 1, 3) // [[5 6] [8 9]], stride 3
	tests := []struct {
		name string
		x    any
		want []string
		not  []string
	}{
		{"nil", nil, []string{"nil"}, nil},
		{"dense", mat.NewDense(3, 2, []float64{1, 2, 3, 4, 5, 6.5}), []string{"type: *mat.Dense", "shape: 3x2", denseStats([]float64{1, 2, 3, 4, 5, 6.5})}, nil},
		{"strided view", sub, []string{"shape: 2x2", denseStats([]float64{5, 6, 8, 9})}, nil},
		{"nil dense", (*mat.Dense)(nil), []string{"type: *mat.Dense", "nil"}, nil},
		{"vector via At", mat.NewVecDense(3, []float64{-2, 0, 5}), []string{"*mat.VecDense", "shape: 3x1", denseStats([]float64{-2, 0, 5})}, nil},
		{"mat32", m32, []string{"*mat32.Dense", "shape: 2x3", denseStats([]float64{1, 2, 3, 4, 5, 9})}, nil},
		{"NaN ignored", []float64{1, math.NaN(), 3}, []string{denseStats([]float64{1, 3}), "(1 NaN ignored)"}, nil},
		{"all NaN", []float64{math.NaN(), math.NaN()}, []string{"all 2 elements are NaN"}, nil},
		{"Inf counted", []float64{1, math.Inf(1)}, []string{"max +Inf", "(1 ±Inf)"}, nil},
		{"float32", []float32{0.5, 1.5}, []string{"[]float32", denseStats([]float64{0.5, 1.5})}, nil},
		{"uint8", []uint8{250, 4}, []string{"len: 2", denseStats([]float64{250, 4})}, nil},
		{"array", [3]int{1, 2, 3}, []string{"[3]int", "len: 3", denseStats([]float64{1, 2, 3})}, nil},
		{"long slice", []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, []string{"first: [1, 2, 3, 4, 5, 6, 7, 8, ...]", denseStats([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10})}, nil},
		{"cap", make([]float64, 2, 10), []string{"len: 2, cap: 10"}, nil},
		{"ragged", [][]float64{{1}, {2, 3}}, []string{"len: 2", denseStats([]float64{1, 2, 3})}, []string{"shape"}},
		{"strings", []string{"a", "b"}, []string{"first: [a, b]"}, []string{"min"}},
		{"empty", []float64{}, []string{"len: 0"}, []string{"min"}},
		{"map", map[string]float64{"z": 1, "a": 2}, []string{"len: 2", "keys: a, z"}, nil},
		{"big map", big, []string{"len: 10001", "some keys: "}, nil},
		{"string", "héllo", []string{"len: 6 bytes", `"héllo"`}, nil},
		{"long string", strings.Repeat("x", 1000), []string{"len: 1000 bytes", "…"}, nil},
		{"error", errors.New("bad shape"), []string{"error: bad shape"}, nil},
		{"pointer to struct", &point{X: 1, Label: "a"}, []string{"*complete.point", "{X:1 Y:0 Label:a hid:0}", "String(): a"}, nil},
		{"panicking String", panicky{A: 1}, []string{"{A:1}", "String(): panic: boom"}, nil},
		{"panicking At", panicMatrix{}, []string{"type: complete.panicMatrix", "summary failed: panic: index out of range"}, nil},
		{"int", 42, []string{"type: int", "value: 42"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Summarize(tc.x)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("summary lacks %q:\n%s", w, got)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(got, n) {
					t.Errorf("summary has %q:\n%s", n, got)
				}
			}
		})
	}
}

// TestStatsMean checks the mean against an independent computation on a
// sequence with cancellation.
func TestStatsMean(t *testing.T) {
	xs := make([]float64, 1001)
	for i := range xs {
		xs[i] = float64(i) - 500 + 0.25
	}
	got := Summarize(xs)
	if want := fmt.Sprintf("min %.6g, mean %.6g, max %.6g", -499.75, 0.25, 500.25); !strings.Contains(got, want) {
		t.Fatalf("summary lacks %q:\n%s", want, got)
	}
}
