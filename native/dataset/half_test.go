package dataset

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/subspace-kernel/subspace/internal/pyref"
)

// TestFloat64ToHalfNumpy compares Float64ToHalf with numpy's float64 to
// float16 cast, run in this test, on values chosen to expose double
// rounding (midpoints between halves plus and minus tiny offsets, in the
// normal, subnormal and overflow ranges) and random values.
func TestFloat64ToHalfNumpy(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.npy")
	out := filepath.Join(dir, "out.npy")
	var vals []float64
	for h := 0; h < 0x7c00; h += 7 {
		a := float64(HalfToFloat32(uint16(h)))
		b := float64(HalfToFloat32(uint16(h + 1)))
		mid := (a + b) / 2
		for _, v := range []float64{a, mid, math.Nextafter(mid, 0), math.Nextafter(mid, 1e9), mid * (1 + 1e-12), mid * (1 - 1e-12)} {
			vals = append(vals, v, -v)
		}
	}
	vals = append(vals, 65519.99, 65520, 1e300, 1e-300, 2.98e-8, 2.9802322387695312e-08, math.Inf(1), 0)
	a, _ := FromFloat64s(vals)
	if err := WriteNPY(in, a); err != nil {
		t.Fatal(err)
	}
	pyref.Run(t, "import numpy as np, sys; np.save(sys.argv[2], np.load(sys.argv[1]).astype(np.float16).view(np.uint16))", nil, in, out)
	ref, err := ReadNPY(out)
	if err != nil {
		t.Fatal(err)
	}
	bad := 0
	for i, v := range vals {
		want := binary.LittleEndian.Uint16(ref.Data[2*i:])
		if got := Float64ToHalf(v); got != want {
			if bad < 5 {
				t.Errorf("Float64ToHalf(%v) = %#04x, numpy %#04x", v, got, want)
			}
			bad++
		}
	}
	if bad > 0 {
		t.Fatalf("%d of %d values differ from numpy", bad, len(vals))
	}
	t.Logf("%d values match numpy's float16 cast", len(vals))
	os.Remove(in)
}
