package dataset

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/mat32"
)

// SafetensorsWriter collects tensors and metadata and writes them as one
// .safetensors file (tensors in name order, data section 8-byte aligned).
type SafetensorsWriter struct {
	arrays map[string]*Array
	meta   map[string]string
}

// NewSafetensorsWriter returns an empty writer.
func NewSafetensorsWriter() *SafetensorsWriter {
	return &SafetensorsWriter{arrays: map[string]*Array{}}
}

// Add stores a (not copied) under name; a name given twice is an error.
func (w *SafetensorsWriter) Add(name string, a *Array) error {
	if name == "" || name == "__metadata__" {
		return fmt.Errorf("safetensors: bad tensor name %q", name)
	}
	if _, dup := w.arrays[name]; dup {
		return fmt.Errorf("safetensors: tensor %q added twice", name)
	}
	if err := a.Check(); err != nil {
		return fmt.Errorf("safetensors: tensor %q: %w", name, err)
	}
	if _, err := stCode(a.DType); err != nil {
		return fmt.Errorf("safetensors: tensor %q: %w", name, err)
	}
	w.arrays[name] = a
	return nil
}

// AddDense stores m as a 2-D tensor converted to dtype (Float64, Float32,
// Float16 or BFloat16; narrowing rounds to nearest even). O(rows*cols).
func (w *SafetensorsWriter) AddDense(name string, m mat.Matrix, dtype string) error {
	a := FromDense(m)
	if dtype != Float64 {
		var err error
		if a, err = a.Convert(dtype); err != nil {
			return fmt.Errorf("safetensors: tensor %q: %w", name, err)
		}
	}
	return w.Add(name, a)
}

// AddDense32 stores m as a 2-D tensor converted to dtype (Float32 keeps the
// values; Float16/BFloat16 round to nearest even). O(rows*cols).
func (w *SafetensorsWriter) AddDense32(name string, m *mat32.Dense, dtype string) error {
	a := FromDense32(m)
	if dtype != Float32 {
		var err error
		if a, err = a.Convert(dtype); err != nil {
			return fmt.Errorf("safetensors: tensor %q: %w", name, err)
		}
	}
	return w.Add(name, a)
}

// SetMetadata sets a "__metadata__" entry.
func (w *SafetensorsWriter) SetMetadata(key, value string) {
	if w.meta == nil {
		w.meta = map[string]string{}
	}
	w.meta[key] = value
}

// Encode writes the file to out. O(total size).
func (w *SafetensorsWriter) Encode(out io.Writer) error {
	names := make([]string, 0, len(w.arrays))
	for k := range w.arrays {
		names = append(names, k)
	}
	sort.Strings(names)
	infos := make([]TensorInfo, len(names))
	for i, name := range names {
		a := w.arrays[name]
		infos[i] = TensorInfo{Name: name, DType: a.DType, Shape: a.Shape, Size: int64(len(a.Data))}
	}
	h, err := encodeHeader(infos, w.meta)
	if err != nil {
		return err
	}
	if _, err := out.Write(h); err != nil {
		return err
	}
	for _, name := range names {
		if _, err := out.Write(w.arrays[name].Data); err != nil {
			return err
		}
	}
	return nil
}

// encodeHeader returns the 8-byte length and the JSON header (metadata
// first, then the tensors in the given order with consecutive
// data_offsets), padded with spaces to a multiple of 8 bytes so that the
// data section is 8-byte aligned.
func encodeHeader(tensors []TensorInfo, meta map[string]string) ([]byte, error) {
	var hb strings.Builder
	hb.WriteByte('{')
	if len(meta) > 0 {
		mj, err := json.Marshal(meta)
		if err != nil {
			return nil, err
		}
		hb.WriteString(`"__metadata__":`)
		hb.Write(mj)
	}
	var off int64
	for i, t := range tensors {
		code, err := stCode(t.DType)
		if err != nil {
			return nil, fmt.Errorf("tensor %q: %w", t.Name, err)
		}
		if i > 0 || len(meta) > 0 {
			hb.WriteByte(',')
		}
		nj, _ := json.Marshal(t.Name)
		shape := t.Shape
		if shape == nil {
			shape = []int{}
		}
		sj, _ := json.Marshal(shape)
		fmt.Fprintf(&hb, `%s:{"dtype":"%s","shape":%s,"data_offsets":[%d,%d]}`, nj, code, sj, off, off+t.Size)
		off += t.Size
	}
	hb.WriteByte('}')
	h := hb.String()
	if pad := (8 - len(h)%8) % 8; pad > 0 {
		h += strings.Repeat(" ", pad)
	}
	out := make([]byte, 8, 8+len(h))
	binary.LittleEndian.PutUint64(out, uint64(len(h)))
	return append(out, h...), nil
}

// Write writes the file at path through a temporary file in the same
// directory, renamed at the end, so that a failed write leaves nothing
// behind. O(total size).
func (w *SafetensorsWriter) Write(path string) error {
	f, err := createTemp(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := w.Encode(bw); err != nil {
		f.abort()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		f.abort()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.commit()
}

// WriteSafetensors writes float64 matrices as 2-D tensors of dtype
// (Float64, Float32, Float16 or BFloat16), with optional metadata.
func WriteSafetensors(path string, tensors map[string]*mat.Dense, dtype string, metadata map[string]string) error {
	w := NewSafetensorsWriter()
	for name, m := range tensors {
		if err := w.AddDense(name, m, dtype); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	for k, v := range metadata {
		w.SetMetadata(k, v)
	}
	return w.Write(path)
}
