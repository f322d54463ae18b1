package dataset

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"sync"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/mat32"
)

// maxSafetensorsHeader bounds the JSON header (the reference Rust library
// uses the same 100 MB limit).
const maxSafetensorsHeader = 100_000_000

var stCodes = map[string]string{
	"F64": Float64, "F32": Float32, "F16": Float16, "BF16": BFloat16,
	"I64": Int64, "I32": Int32, "I16": Int16, "I8": Int8,
	"U64": Uint64, "U32": Uint32, "U16": Uint16, "U8": Uint8,
	"BOOL": Bool,
}

func stCode(dtype string) (string, error) {
	for c, d := range stCodes {
		if d == dtype {
			return c, nil
		}
	}
	return "", fmt.Errorf("unsupported dtype %q", dtype)
}

// TensorInfo describes one tensor of a safetensors file.
type TensorInfo struct {
	// Name is the tensor's key in the header.
	Name string
	// DType is our dtype name (Float32, BFloat16, Int64, ...); the file's
	// code is the upper-case safetensors name (F32, BF16, I64, ...).
	DType string
	// Shape is the tensor's shape (empty for a scalar).
	Shape []int
	// Offset and Size locate the bytes in the data section.
	Offset, Size int64
}

// mapping is a file's bytes (memory-mapped or in memory), released once.
type mapping struct {
	mu     sync.RWMutex
	data   []byte
	mapped bool
	closed bool
}

func (m *mapping) release() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil
	}
	m.closed = true
	var err error
	if m.mapped {
		err = unmap(m.data)
	}
	m.data = nil
	return err
}

// Safetensors is an open .safetensors file. OpenSafetensors maps the file
// into memory (syscall.Mmap on Unix) and parses only the JSON header: a
// tensor's bytes are read from the page cache when the tensor is asked for,
// so one tensor of a large checkpoint costs only its own size. Accessors
// copy out of the mapping; after Close they return an error.
type Safetensors struct {
	path    string
	m       *mapping
	base    int64 // start of the data section
	tensors map[string]TensorInfo
	names   []string
	meta    map[string]string
}

// OpenSafetensors opens and validates a .safetensors file: header size,
// JSON, dtypes, shapes, and that the tensors' byte ranges match their
// shapes and tile the data section without gaps or overlaps (as the
// reference implementation requires). O(header size).
func OpenSafetensors(path string) (*Safetensors, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := st.Size()
	if size < 8 {
		return nil, fmt.Errorf("%s: truncated file: %d bytes, shorter than the 8-byte header length", path, size)
	}
	var pre [8]byte
	if _, err := io.ReadFull(f, pre[:]); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	n := binary.LittleEndian.Uint64(pre[:])
	if n > maxSafetensorsHeader || int64(n) > size-8 {
		// Parse the prefix only to get the precise error.
		_, err := parseSafetensors(pre[:], size)
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	hdr := make([]byte, 8+n)
	copy(hdr, pre[:])
	if _, err := io.ReadFull(f, hdr[8:]); err != nil {
		return nil, fmt.Errorf("%s: truncated header: %w", path, err)
	}
	s, err := parseSafetensors(hdr, size)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	data, err := mapFile(f, size)
	if err != nil {
		return nil, fmt.Errorf("%s: mmap: %w", path, err)
	}
	s.path = path
	s.m = &mapping{data: data, mapped: mmapSupported}
	runtime.AddCleanup(s, func(m *mapping) { m.release() }, s.m)
	return s, nil
}

// DecodeSafetensors parses a safetensors file held in memory (b is used,
// not copied). It validates like OpenSafetensors.
func DecodeSafetensors(b []byte) (*Safetensors, error) {
	s, err := parseSafetensors(b, int64(len(b)))
	if err != nil {
		return nil, err
	}
	s.path = "safetensors"
	s.m = &mapping{data: b}
	return s, nil
}

// parseSafetensors parses the header at the start of b for a file of
// fileSize bytes (b may hold only the header).
func parseSafetensors(b []byte, fileSize int64) (*Safetensors, error) {
	if len(b) < 8 || fileSize < 8 {
		return nil, fmt.Errorf("truncated file: %d bytes, shorter than the 8-byte header length", fileSize)
	}
	n := binary.LittleEndian.Uint64(b)
	if n > maxSafetensorsHeader {
		return nil, fmt.Errorf("bad header: header length %d exceeds %d bytes", n, maxSafetensorsHeader)
	}
	if int64(n) > fileSize-8 {
		return nil, fmt.Errorf("truncated file: header length %d but only %d bytes follow", n, fileSize-8)
	}
	if int64(len(b)) < 8+int64(n) {
		return nil, fmt.Errorf("truncated header: want %d bytes, have %d", 8+n, len(b))
	}
	hdr := b[8 : 8+n]
	if len(hdr) == 0 || hdr[0] != '{' {
		return nil, fmt.Errorf("bad header: JSON header does not start with '{'")
	}
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(hdr))
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("bad header: invalid JSON: %v", err)
	}
	if rest := bytes.TrimRight(hdr[dec.InputOffset():], " \x00"); len(rest) != 0 {
		return nil, fmt.Errorf("bad header: %d unexpected bytes after the JSON object", len(rest))
	}
	s := &Safetensors{base: 8 + int64(n), tensors: map[string]TensorInfo{}}
	dataLen := fileSize - s.base
	for name, msg := range raw {
		if name == "__metadata__" {
			if err := json.Unmarshal(msg, &s.meta); err != nil {
				return nil, fmt.Errorf("bad header: __metadata__ must map strings to strings: %v", err)
			}
			continue
		}
		var t struct {
			DType   *string  `json:"dtype"`
			Shape   *[]int64 `json:"shape"`
			Offsets *[]int64 `json:"data_offsets"`
		}
		if err := json.Unmarshal(msg, &t); err != nil {
			return nil, fmt.Errorf("bad header: tensor %q: %v", name, err)
		}
		if t.DType == nil || t.Shape == nil || t.Offsets == nil {
			return nil, fmt.Errorf("bad header: tensor %q lacks dtype, shape or data_offsets", name)
		}
		dt, ok := stCodes[*t.DType]
		if !ok {
			return nil, fmt.Errorf("tensor %q: unsupported dtype %q (supported: F64 F32 F16 BF16 I64 I32 I16 I8 U64 U32 U16 U8 BOOL)", name, *t.DType)
		}
		shape := make([]int, len(*t.Shape))
		for i, v := range *t.Shape {
			if v < 0 || v > math.MaxInt32*int64(1<<20) {
				return nil, fmt.Errorf("bad header: tensor %q: bad dimension %d in shape %v", name, v, *t.Shape)
			}
			shape[i] = int(v)
		}
		ne, err := numElements(shape, math.MaxInt64/16)
		if err != nil {
			return nil, fmt.Errorf("bad header: tensor %q: %v", name, err)
		}
		off := *t.Offsets
		if len(off) != 2 || off[0] < 0 || off[1] < off[0] {
			return nil, fmt.Errorf("bad header: tensor %q: data_offsets %v is not [begin, end] with 0 <= begin <= end", name, off)
		}
		if want := ne * int64(dtypes[dt].size); off[1]-off[0] != want {
			return nil, fmt.Errorf("shape mismatch: tensor %q of %s %v needs %d bytes, data_offsets %v span %d", name, *t.DType, shape, want, off, off[1]-off[0])
		}
		if off[1] > dataLen {
			return nil, fmt.Errorf("truncated file: tensor %q ends at data byte %d, the data section has %d", name, off[1], dataLen)
		}
		s.tensors[name] = TensorInfo{Name: name, DType: dt, Shape: shape, Offset: off[0], Size: off[1] - off[0]}
		s.names = append(s.names, name)
	}
	// The byte ranges must tile the data section.
	byOff := append([]string(nil), s.names...)
	sort.Slice(byOff, func(i, j int) bool {
		a, b := s.tensors[byOff[i]], s.tensors[byOff[j]]
		if a.Offset != b.Offset {
			return a.Offset < b.Offset
		}
		return a.Size < b.Size
	})
	var at int64
	for _, name := range byOff {
		t := s.tensors[name]
		if t.Offset != at {
			return nil, fmt.Errorf("bad header: tensor %q starts at data byte %d, expected %d (gap or overlap)", name, t.Offset, at)
		}
		at += t.Size
	}
	if at != dataLen {
		return nil, fmt.Errorf("bad header: tensors cover %d bytes of a %d-byte data section", at, dataLen)
	}
	sort.Strings(s.names)
	return s, nil
}

// Names returns the tensor names, sorted.
func (s *Safetensors) Names() []string { return append([]string(nil), s.names...) }

// Metadata returns the header's "__metadata__" map (nil when absent).
func (s *Safetensors) Metadata() map[string]string {
	out := make(map[string]string, len(s.meta))
	for k, v := range s.meta {
		out[k] = v
	}
	return out
}

// Info describes the named tensor without reading it. O(1).
func (s *Safetensors) Info(name string) (TensorInfo, error) {
	t, ok := s.tensors[name]
	if !ok {
		return TensorInfo{}, fmt.Errorf("%s: no tensor %q (%d tensors)", s.path, name, len(s.names))
	}
	t.Shape = append([]int(nil), t.Shape...)
	return t, nil
}

// withBytes runs f on the tensor's bytes while the mapping is held. f must
// copy out of b with copyMapped (which turns a fault of the mapping into
// an error) or convert it under this goroutine's fault protection.
func (s *Safetensors) withBytes(name string, f func(t TensorInfo, b []byte) error) (err error) {
	t, ok := s.tensors[name]
	if !ok {
		return fmt.Errorf("%s: no tensor %q (%d tensors)", s.path, name, len(s.names))
	}
	s.m.mu.RLock()
	defer s.m.mu.RUnlock()
	if s.m.closed {
		return fmt.Errorf("%s: tensor %q: file is closed", s.path, name)
	}
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: tensor %q: reading the mapped file failed (was it truncated?): %v", s.path, name, r)
		}
	}()
	start := s.base + t.Offset
	if err := f(t, s.m.data[start:start+t.Size]); err != nil {
		return fmt.Errorf("%s: tensor %q: %w", s.path, name, err)
	}
	return nil
}

// Array copies the named tensor out of the file. O(tensor size).
func (s *Safetensors) Array(name string) (*Array, error) {
	var a *Array
	err := s.withBytes(name, func(t TensorInfo, b []byte) error {
		a = allocArray(t.DType, append([]int(nil), t.Shape...), len(b)/dtypes[t.DType].size)
		return copyMapped(a.Data, b)
	})
	return a, err
}

// Dense reads the named tensor into a float64 matrix (any dtype; shape rules
// of Array.Dense: vectors n x 1, 3+-D tensors shape[0] x rest). O(size).
func (s *Safetensors) Dense(name string) (*mat.Dense, error) {
	a, err := s.Array(name)
	if err != nil {
		return nil, err
	}
	m, err := a.takeDense()
	if err != nil {
		return nil, fmt.Errorf("%s: tensor %q: %w", s.path, name, err)
	}
	return m, nil
}

// Dense32 reads the named tensor into a float32 matrix (F32 is one copy out
// of the mapping; F16 and BF16 widen exactly). O(size).
func (s *Safetensors) Dense32(name string) (*mat32.Dense, error) {
	var a *Array
	err := s.withBytes(name, func(t TensorInfo, b []byte) error {
		src := &Array{DType: t.DType, Shape: t.Shape, Data: b}
		if t.DType == Float32 {
			a = allocArray(Float32, append([]int(nil), t.Shape...), len(b)/4)
			return copyMapped(a.Data, b)
		}
		v, err := src.Float32s()
		a = &Array{DType: Float32, Shape: append([]int(nil), t.Shape...), f32: v, Data: f32bytes(v)}
		return err
	})
	if err != nil {
		return nil, err
	}
	m, err := a.takeDense32()
	if err != nil {
		return nil, fmt.Errorf("%s: tensor %q: %w", s.path, name, err)
	}
	return m, nil
}

// Close releases the mapping. Later reads return an error.
func (s *Safetensors) Close() error { return s.m.release() }

// ReadSafetensors reads every tensor of a file and its metadata.
// O(file size).
func ReadSafetensors(path string) (map[string]*Array, map[string]string, error) {
	s, err := OpenSafetensors(path)
	if err != nil {
		return nil, nil, err
	}
	defer s.Close()
	out := make(map[string]*Array, len(s.names))
	for _, name := range s.names {
		a, err := s.Array(name)
		if err != nil {
			return nil, nil, err
		}
		out[name] = a
	}
	return out, s.Metadata(), nil
}
