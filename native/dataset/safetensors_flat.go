package dataset

import "fmt"

// Float32s copies the named tensor out of the file as float32 values in C
// order, whatever its shape: F32 is one parallel copy out of the mapping,
// F16 and BF16 widen exactly, other dtypes convert (F64 rounds). O(size).
func (s *Safetensors) Float32s(name string) ([]float32, error) {
	var out []float32
	err := s.withBytes(name, func(t TensorInfo, b []byte) error {
		if t.DType == Float32 && littleEndianHost {
			out = make([]float32, len(b)/4)
			return copyMapped(f32bytes(out), b)
		}
		var err error
		out, err = (&Array{DType: t.DType, Shape: t.Shape, Data: b}).Float32s()
		return err
	})
	return out, err
}

// Float64s copies the named tensor out of the file as float64 values in C
// order, whatever its shape (F64 is one parallel copy; other dtypes
// convert exactly, except 64-bit integers beyond 2^53). O(size).
func (s *Safetensors) Float64s(name string) ([]float64, error) {
	var out []float64
	err := s.withBytes(name, func(t TensorInfo, b []byte) error {
		if t.DType == Float64 && littleEndianHost {
			out = make([]float64, len(b)/8)
			return copyMapped(f64bytes(out), b)
		}
		var err error
		out, err = (&Array{DType: t.DType, Shape: t.Shape, Data: b}).Float64s()
		return err
	})
	return out, err
}

// Release tells the operating system that the named tensor's pages of the
// mapping are not needed now (madvise MADV_DONTNEED), which takes them out
// of the process's resident memory: a program that streams through a
// large file tensor by tensor then holds about one tensor at a time. The
// tensor stays readable (its pages are read back from the page cache or
// the file). A no-op where files are not memory-mapped. O(1).
func (s *Safetensors) Release(name string) error {
	t, ok := s.tensors[name]
	if !ok {
		return fmt.Errorf("%s: no tensor %q (%d tensors)", s.path, name, len(s.names))
	}
	s.m.mu.RLock()
	defer s.m.mu.RUnlock()
	if s.m.closed || !s.m.mapped || t.Size == 0 {
		return nil
	}
	return dropPages(s.m.data, s.base+t.Offset, t.Size)
}
