package complete

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"testing"

	"github.com/subspace-kernel/subspace/kernel/complete/internal/docgen"
	"gonum.org/v1/gonum/mat"
)

// BenchmarkDecodeIndex measures what Preload costs the first time.
func BenchmarkDecodeIndex(b *testing.B) {
	for i := 0; i < b.N; i++ {
		zr, err := gzip.NewReader(bytes.NewReader(docIndexGz))
		if err != nil {
			b.Fatal(err)
		}
		var x docgen.Index
		if err := json.NewDecoder(zr).Decode(&x); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkComplete(b *testing.B) {
	sc := newScope()
	for _, code := range []string{"fmt.Pri", "x := embe", "mat.NewD", "pt."} {
		b.Run(code, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				Complete(code, len(code), sc)
			}
		})
	}
}

func BenchmarkInspectDense(b *testing.B) {
	sc := newScope()
	data := make([]float64, 1000*768)
	for i := range data {
		data[i] = float64(i % 97)
	}
	sc.values["emb"] = mat.NewDense(1000, 768, data)
	for i := 0; i < b.N; i++ {
		Inspect("emb", 3, 0, sc)
	}
}
