package dataset

import (
	"bytes"
	"testing"
)

// FuzzNPY feeds arbitrary bytes to the .npy header parser and decoder: they
// must return an error or a consistent array, never panic or allocate far
// beyond the input. The seed corpus is in testdata/fuzz/FuzzNPY.
func FuzzNPY(f *testing.F) {
	var buf bytes.Buffer
	a, _ := FromFloat32s([]float32{1, 2, 3, 4, 5, 6}, 2, 3)
	EncodeNPY(&buf, a)
	f.Add(buf.Bytes())
	f.Add([]byte("\x93NUMPY\x01\x00\x10\x00{'descr': '<f2'}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if h, err := ParseNPYHeader(b); err == nil && h.DType == "" {
			t.Fatalf("header accepted without a dtype: %+v", h)
		}
		a, err := readNPY(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return
		}
		if err := a.Check(); err != nil {
			t.Fatalf("decoded an inconsistent array: %v", err)
		}
		a.Float64s()
		a.Dense32()
		a.Ints()
	})
}

// FuzzSafetensors feeds arbitrary bytes to the safetensors header parser:
// every accepted file must let each tensor be read. The seed corpus is in
// testdata/fuzz/FuzzSafetensors.
func FuzzSafetensors(f *testing.F) {
	w := NewSafetensorsWriter()
	x, _ := FromFloat32s([]float32{1, 2, 3, 4}, 2, 2)
	h, _ := x.Convert(Float16)
	w.Add("x", x)
	w.Add("h", h)
	w.SetMetadata("format", "pt")
	var buf bytes.Buffer
	w.Encode(&buf)
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeSafetensors(b)
		if err != nil {
			return
		}
		for _, name := range s.Names() {
			a, err := s.Array(name)
			if err != nil {
				t.Fatalf("tensor %q of an accepted file: %v", name, err)
			}
			if err := a.Check(); err != nil {
				t.Fatalf("tensor %q inconsistent: %v", name, err)
			}
			s.Dense(name)
			s.Dense32(name)
		}
	})
}
