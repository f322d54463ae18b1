package dataset

import (
	"bytes"
	"strings"
	"testing"
)

// TestEncodeNPYHeader checks that the header written alone, followed by
// the raw data, is byte for byte what EncodeNPY writes, that it parses
// back with its data offset at a multiple of 64, and that bad shapes and
// dtypes are refused.
func TestEncodeNPYHeader(t *testing.T) {
	for _, shape := range [][]int{{3, 4}, {7}, {2, 3, 5}, {0, 100}} {
		a, err := FromFloat32s(make([]float32, shapeLen(shape)), shape...)
		if err != nil {
			t.Fatal(err)
		}
		for i := range a.Len() {
			a.setFloat(i, float64(i)/3)
		}
		var whole, streamed bytes.Buffer
		if err := EncodeNPY(&whole, a); err != nil {
			t.Fatal(err)
		}
		if err := EncodeNPYHeader(&streamed, Float32, shape); err != nil {
			t.Fatal(err)
		}
		h, err := ParseNPYHeader(streamed.Bytes())
		if err != nil {
			t.Fatalf("%v: %v", shape, err)
		}
		if h.DataOffset != streamed.Len() || h.DataOffset%64 != 0 || h.DType != Float32 {
			t.Errorf("%v: data offset %d of a %d-byte header, dtype %s", shape, h.DataOffset, streamed.Len(), h.DType)
		}
		streamed.Write(a.Data)
		if !bytes.Equal(whole.Bytes(), streamed.Bytes()) {
			t.Errorf("%v: header + data differs from EncodeNPY", shape)
		}
	}
	for _, c := range []struct {
		dtype string
		shape []int
		want  string
	}{
		{Float32, []int{3, -1}, "negative dimension"},
		{"complex64", []int{2}, "unsupported dtype"},
	} {
		err := EncodeNPYHeader(&bytes.Buffer{}, c.dtype, c.shape)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %v: error %v, want %q", c.dtype, c.shape, err, c.want)
		}
	}
}

func shapeLen(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}
