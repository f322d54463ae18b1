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
	return floatsInto(s, name, buf, Float32, f32bytes)
}

// floatsInto copies a tensor into buf (grown when too small) as T: one
// parallel copy when the file's dtype is T's (native), else a conversion.
func floatsInto[T float32 | float64](s *Safetensors, name string, buf []T, native string, raw func([]T) []byte) ([]T, error) {
	var out []T
	err := s.withBytes(name, func(t TensorInfo, b []byte) error {
		n := int(t.Size) / dtypes[t.DType].size
		if cap(buf) >= n {
			out = buf[:n]
		} else {
			out = make([]T, n)
		}
		if t.DType == native && littleEndianHost {
			return copyMapped(raw(out), b)
		}
		src := &Array{DType: t.DType, Shape: t.Shape, Data: b}
		for i := range out {
			out[i] = T(src.float(i))
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
	return floatsInto(s, name, buf, Float64, f64bytes)
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
