package dataset

import "fmt"

// Float32s copies the named tensor out of the file as float32 values in C
// order, whatever its shape: F32 is one parallel copy out of the mapping,
// F16 and BF16 widen exactly, other dtypes convert (F64 rounds). O(size).
func (s *Safetensors) Float32s(name string) ([]float32, error) { return s.Float32sInto(name, nil) }

// Float32sInto is Float32s writing into buf when its capacity suffices
// (a new slice otherwise), so that a loop over tensors can reuse one
// buffer. The returned slice has the tensor's length. O(size).
func (s *Safetensors) Float32sInto(name string, buf []float32) ([]float32, error) {
	var out []float32
	err := s.withBytes(name, func(t TensorInfo, b []byte) error {
		n := int(t.Size) / dtypes[t.DType].size
		if cap(buf) >= n {
			out = buf[:n]
		} else {
			out = make([]float32, n)
		}
		if t.DType == Float32 && littleEndianHost {
			return copyMapped(f32bytes(out), b)
		}
		src := &Array{DType: t.DType, Shape: t.Shape, Data: b}
		for i := range out {
			out[i] = float32(src.float(i))
		}
		return nil
	})
	return out, err
}

// Float64s copies the named tensor out of the file as float64 values in C
// order, whatever its shape (F64 is one parallel copy; other dtypes
// convert exactly, except 64-bit integers beyond 2^53). O(size).
func (s *Safetensors) Float64s(name string) ([]float64, error) { return s.Float64sInto(name, nil) }

// Float64sInto is Float64s writing into buf when its capacity suffices.
// O(size).
func (s *Safetensors) Float64sInto(name string, buf []float64) ([]float64, error) {
	var out []float64
	err := s.withBytes(name, func(t TensorInfo, b []byte) error {
		n := int(t.Size) / dtypes[t.DType].size
		if cap(buf) >= n {
			out = buf[:n]
		} else {
			out = make([]float64, n)
		}
		if t.DType == Float64 && littleEndianHost {
			return copyMapped(f64bytes(out), b)
		}
		src := &Array{DType: t.DType, Shape: t.Shape, Data: b}
		for i := range out {
			out[i] = src.float(i)
		}
		return nil
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
