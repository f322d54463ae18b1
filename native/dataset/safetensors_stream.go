package dataset

import (
	"bufio"
	"fmt"
	"math"
	"slices"
)

// SafetensorsStream writes a .safetensors file one tensor at a time, so
// that a file larger than memory can be produced (model merging streams
// tensor by tensor). The header, fixed when the stream is created, lists
// every tensor's name, dtype and shape; tensors must then be written in
// that order. The file is written under a temporary name in the target's
// directory and renamed by Close; Abort (or any failed write) removes it,
// so an interrupted stream leaves nothing behind.
type SafetensorsStream struct {
	f       *tempFile
	bw      *bufio.Writer
	tensors []TensorInfo
	next    int
	buf     []byte
	err     error
}

// CreateSafetensors starts a stream to path for the given tensors (Name,
// DType and Shape are used; offsets are computed) with optional metadata.
// O(header). Errors: no tensors, duplicate or empty names, unsupported
// dtypes, negative dimensions, the temporary file cannot be created.
func CreateSafetensors(path string, tensors []TensorInfo, metadata map[string]string) (*SafetensorsStream, error) {
	if len(tensors) == 0 {
		return nil, fmt.Errorf("%s: no tensors to write", path)
	}
	seen := map[string]bool{}
	infos := make([]TensorInfo, len(tensors))
	for i, t := range tensors {
		if t.Name == "" || t.Name == "__metadata__" || seen[t.Name] {
			return nil, fmt.Errorf("%s: bad or duplicate tensor name %q", path, t.Name)
		}
		seen[t.Name] = true
		info, ok := dtypes[t.DType]
		if !ok {
			return nil, fmt.Errorf("%s: tensor %q: unsupported dtype %q", path, t.Name, t.DType)
		}
		n, err := numElements(t.Shape, math.MaxInt64/16)
		if err != nil {
			return nil, fmt.Errorf("%s: tensor %q: %w", path, t.Name, err)
		}
		infos[i] = TensorInfo{Name: t.Name, DType: t.DType, Shape: slices.Clone(t.Shape), Size: n * int64(info.size)}
	}
	h, err := encodeHeader(infos, metadata)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	f, err := createTemp(path)
	if err != nil {
		return nil, err
	}
	s := &SafetensorsStream{f: f, bw: bufio.NewWriterSize(f, 1<<20), tensors: infos}
	if _, err := s.bw.Write(h); err != nil {
		s.Abort()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// expect checks that name is the next tensor and has n elements.
func (s *SafetensorsStream) expect(name string, n int) (TensorInfo, error) {
	if s.err != nil {
		return TensorInfo{}, s.err
	}
	if s.next >= len(s.tensors) {
		return TensorInfo{}, s.fail(fmt.Errorf("tensor %q: all %d tensors are already written", name, len(s.tensors)))
	}
	t := s.tensors[s.next]
	if t.Name != name {
		return TensorInfo{}, s.fail(fmt.Errorf("tensor %q written out of order: the header lists %q next", name, t.Name))
	}
	if want := t.Size / int64(dtypes[t.DType].size); int64(n) != want {
		return TensorInfo{}, s.fail(fmt.Errorf("tensor %q of shape %v needs %d elements, got %d", name, t.Shape, want, n))
	}
	return t, nil
}

// fail records the first error and removes the temporary file.
func (s *SafetensorsStream) fail(err error) error {
	err = fmt.Errorf("%s: %w", s.f.path, err)
	if s.err == nil {
		s.err = err
		s.f.abort()
	}
	return err
}

// Write writes the next tensor's data from a, which must have the dtype
// and shape the header lists. O(size).
func (s *SafetensorsStream) Write(name string, a *Array) error {
	if err := a.Check(); err != nil {
		return s.fail(fmt.Errorf("tensor %q: %w", name, err))
	}
	t, err := s.expect(name, a.Len())
	if err != nil {
		return err
	}
	if a.DType != t.DType || !slices.Equal(a.Shape, t.Shape) {
		return s.fail(fmt.Errorf("tensor %q is %s %v, the header lists %s %v", name, a.DType, a.Shape, t.DType, t.Shape))
	}
	return s.put(a.Data)
}

func (s *SafetensorsStream) put(b []byte) error {
	if _, err := s.bw.Write(b); err != nil {
		return s.fail(err)
	}
	s.next++
	return nil
}

// WriteFloat32s writes the next tensor from float32 values in C order,
// converted to the tensor's dtype (F32 as is, F64 exactly, F16 and BF16
// rounded to nearest even; integer and bool dtypes are refused). O(size).
func (s *SafetensorsStream) WriteFloat32s(name string, v []float32) error {
	return writeFloats(s, name, v, Float32, f32bytes)
}

// WriteFloat64s writes the next tensor from float64 values in C order,
// converted to the tensor's dtype (F64 as is, F32/F16/BF16 rounded to
// nearest even). O(size).
func (s *SafetensorsStream) WriteFloat64s(name string, v []float64) error {
	return writeFloats(s, name, v, Float64, f64bytes)
}

// writeFloats writes v as is when the tensor's dtype is T's (native),
// converted otherwise.
func writeFloats[T float32 | float64](s *SafetensorsStream, name string, v []T, native string, raw func([]T) []byte) error {
	t, err := s.expect(name, len(v))
	if err != nil {
		return err
	}
	if t.DType == native && littleEndianHost {
		return s.put(raw(v))
	}
	return s.convert(t, len(v), func(i int) float64 { return float64(v[i]) })
}

// convert encodes n values into t's float dtype through a 64 KiB buffer.
func (s *SafetensorsStream) convert(t TensorInfo, n int, at func(i int) float64) error {
	size := dtypes[t.DType].size
	if dtypes[t.DType].kind != 'f' {
		return s.fail(fmt.Errorf("tensor %q has dtype %s: only float tensors are written from float values", t.Name, t.DType))
	}
	const chunk = 8192
	if s.buf == nil {
		s.buf = make([]byte, chunk*8)
	}
	out := &Array{DType: t.DType}
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		out.Data = s.buf[:(hi-lo)*size]
		for i := lo; i < hi; i++ {
			out.setFloat(i-lo, at(i))
		}
		if _, err := s.bw.Write(out.Data); err != nil {
			return s.fail(err)
		}
	}
	s.next++
	return nil
}

// Close checks that every tensor was written, flushes, closes and renames
// the temporary file to the stream's path. After a failed write Close
// returns that write's error. O(the buffered bytes).
func (s *SafetensorsStream) Close() error {
	if s.err != nil {
		return s.err
	}
	if s.next != len(s.tensors) {
		return s.fail(fmt.Errorf("closed after %d of %d tensors (next: %q)", s.next, len(s.tensors), s.tensors[s.next].Name))
	}
	if err := s.bw.Flush(); err != nil {
		return s.fail(err)
	}
	s.err = fmt.Errorf("%s: stream already closed", s.f.path)
	return s.f.commit()
}

// Abort removes the temporary file; the stream's path is left untouched.
// Safe to call after Close or a failed write (then it does nothing). O(1).
func (s *SafetensorsStream) Abort() {
	if s.err == nil {
		s.err = fmt.Errorf("%s: stream aborted", s.f.path)
		s.f.abort()
	}
}
