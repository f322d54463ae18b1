// Package dataset reads and writes the files embeddings, activations and
// weights come in: NumPy .npy and .npz, .safetensors, CSV/TSV with a header
// and Parquet columns (floats or fixed-size lists of floats). Every reader
// returns an *Array (dtype, shape, bytes) that converts to a *mat.Dense or a
// *mat32.Dense with shape checks, or does so in one call (ReadNPYDense,
// (*Safetensors).Dense32, ReadCSV, ReadParquet, ...). Errors name the file,
// the array or tensor, and what is wrong (truncated data, bad header,
// unsupported dtype, shape mismatch); corrupted input never panics.
//
// The API is non-generic so that notebook cells (yaegi) can call it.
//
// NumPy format: the header parser and the data codec are our own. We
// evaluated codeberg.org/sbinet/npyio v0.14.0 (in go.mod): it reads Fortran
// order and npz and has a float16 type, but its header parser panics on
// malformed headers (a header without '\n' slices at -1), it rounds float16
// by truncation and decodes float16 subnormals wrongly, and it reads through
// io.ReadAll and reflection (two copies of a 300 MB embedding table). The
// tests use npyio as an independent reader and writer to check that files
// pass between the two.
package dataset

import (
	"encoding/binary"
	"fmt"
	"math"
	"unsafe"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/mat32"
)

// Element types (Array.DType). The names are numpy's, plus "bfloat16"
// (safetensors BF16), which numpy lacks.
const (
	Float64  = "float64"
	Float32  = "float32"
	Float16  = "float16"
	BFloat16 = "bfloat16"
	Int64    = "int64"
	Int32    = "int32"
	Int16    = "int16"
	Int8     = "int8"
	Uint64   = "uint64"
	Uint32   = "uint32"
	Uint16   = "uint16"
	Uint8    = "uint8"
	Bool     = "bool"
)

type dtypeInfo struct {
	size int
	kind byte // 'f' float, 'i' signed, 'u' unsigned, 'b' bool
}

var dtypes = map[string]dtypeInfo{
	Float64: {8, 'f'}, Float32: {4, 'f'}, Float16: {2, 'f'}, BFloat16: {2, 'f'},
	Int64: {8, 'i'}, Int32: {4, 'i'}, Int16: {2, 'i'}, Int8: {1, 'i'},
	Uint64: {8, 'u'}, Uint32: {4, 'u'}, Uint16: {2, 'u'}, Uint8: {1, 'u'},
	Bool: {1, 'b'},
}

// ItemSize returns the size in bytes of one element of dtype, or 0 when the
// dtype is unknown. O(1).
func ItemSize(dtype string) int { return dtypes[dtype].size }

// Array is an n-dimensional array as stored in a file: its element type,
// its shape and its elements as little-endian bytes in C (row-major) order
// (readers convert Fortran order and big-endian data on the way in).
type Array struct {
	// DType is one of the dtype constants (Float32, Int64, Bool, ...).
	DType string
	// Shape lists the dimensions; empty for a scalar.
	Shape []int
	// Data holds Len()*ItemSize(DType) bytes.
	Data []byte

	// f32 or f64 is set when Data aliases a float slice allocated by a
	// reader; conversion then hands that slice over without copying.
	f32 []float32
	f64 []float64
}

var littleEndianHost = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

// numElements returns the product of shape, or an error on a negative
// dimension or an overflow past limit elements.
func numElements(shape []int, limit int64) (int64, error) {
	n := int64(1)
	for _, s := range shape {
		if s < 0 {
			return 0, fmt.Errorf("negative dimension in shape %v", shape)
		}
		if s != 0 && n > limit/int64(s) {
			return 0, fmt.Errorf("shape %v has more than %d elements", shape, limit)
		}
		n *= int64(s)
	}
	return n, nil
}

// Len returns the number of elements (the product of Shape). O(len(Shape)).
func (a *Array) Len() int {
	n := 1
	for _, s := range a.Shape {
		n *= s
	}
	return n
}

// String summarises the array, e.g. "Array(float32 [100 768])".
func (a *Array) String() string { return fmt.Sprintf("Array(%s %v)", a.DType, a.Shape) }

// Check verifies that the dtype is known, the shape non-negative and Data
// exactly Len()*ItemSize bytes long. O(len(Shape)).
func (a *Array) Check() error {
	if a == nil {
		return fmt.Errorf("nil array")
	}
	info, ok := dtypes[a.DType]
	if !ok {
		return fmt.Errorf("unsupported dtype %q", a.DType)
	}
	n, err := numElements(a.Shape, math.MaxInt64/8)
	if err != nil {
		return err
	}
	if int64(len(a.Data)) != n*int64(info.size) {
		return fmt.Errorf("%s array of shape %v needs %d bytes, has %d", a.DType, a.Shape, n*int64(info.size), len(a.Data))
	}
	return nil
}

// allocArray returns an array whose Data is backed by a float slice for
// float32/float64 (so conversion can hand it over) or by bytes otherwise.
func allocArray(dtype string, shape []int, n int) *Array {
	a := &Array{DType: dtype, Shape: shape}
	switch {
	case dtype == Float32 && littleEndianHost:
		a.f32 = make([]float32, n)
		a.Data = f32bytes(a.f32)
	case dtype == Float64 && littleEndianHost:
		a.f64 = make([]float64, n)
		a.Data = f64bytes(a.f64)
	default:
		a.Data = make([]byte, n*dtypes[dtype].size)
	}
	return a
}

func f32bytes(f []float32) []byte {
	if len(f) == 0 {
		return []byte{}
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(f))), len(f)*4)
}

func f64bytes(f []float64) []byte {
	if len(f) == 0 {
		return []byte{}
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(f))), len(f)*8)
}

// float returns element i as a float64 (int64 and uint64 beyond 2^53 round).
func (a *Array) float(i int) float64 {
	d := a.Data
	switch a.DType {
	case Float64:
		return math.Float64frombits(binary.LittleEndian.Uint64(d[8*i:]))
	case Float32:
		return float64(math.Float32frombits(binary.LittleEndian.Uint32(d[4*i:])))
	case Float16:
		return float64(HalfToFloat32(binary.LittleEndian.Uint16(d[2*i:])))
	case BFloat16:
		return float64(BFloat16ToFloat32(binary.LittleEndian.Uint16(d[2*i:])))
	case Int64:
		return float64(int64(binary.LittleEndian.Uint64(d[8*i:])))
	case Int32:
		return float64(int32(binary.LittleEndian.Uint32(d[4*i:])))
	case Int16:
		return float64(int16(binary.LittleEndian.Uint16(d[2*i:])))
	case Int8:
		return float64(int8(d[i]))
	case Uint64:
		return float64(binary.LittleEndian.Uint64(d[8*i:]))
	case Uint32:
		return float64(binary.LittleEndian.Uint32(d[4*i:]))
	case Uint16:
		return float64(binary.LittleEndian.Uint16(d[2*i:]))
	case Uint8:
		return float64(d[i])
	case Bool:
		if d[i] != 0 {
			return 1
		}
		return 0
	}
	return math.NaN()
}

// integer returns element i of an integer or bool array exactly.
func (a *Array) integer(i int) int64 {
	d := a.Data
	switch a.DType {
	case Int64:
		return int64(binary.LittleEndian.Uint64(d[8*i:]))
	case Int32:
		return int64(int32(binary.LittleEndian.Uint32(d[4*i:])))
	case Int16:
		return int64(int16(binary.LittleEndian.Uint16(d[2*i:])))
	case Int8:
		return int64(int8(d[i]))
	case Uint64:
		return int64(binary.LittleEndian.Uint64(d[8*i:]))
	case Uint32:
		return int64(binary.LittleEndian.Uint32(d[4*i:]))
	case Uint16:
		return int64(binary.LittleEndian.Uint16(d[2*i:]))
	case Uint8:
		return int64(d[i])
	case Bool:
		if d[i] != 0 {
			return 1
		}
		return 0
	}
	return 0
}

// setFloat stores v into element i (float dtypes round to nearest even;
// integer dtypes take the value truncated toward zero).
func (a *Array) setFloat(i int, v float64) {
	d := a.Data
	switch a.DType {
	case Float64:
		binary.LittleEndian.PutUint64(d[8*i:], math.Float64bits(v))
	case Float32:
		binary.LittleEndian.PutUint32(d[4*i:], math.Float32bits(float32(v)))
	case Float16:
		binary.LittleEndian.PutUint16(d[2*i:], Float64ToHalf(v))
	case BFloat16:
		binary.LittleEndian.PutUint16(d[2*i:], Float32ToBFloat16(float32(v)))
	default:
		a.setInt(i, int64(v))
	}
}

func (a *Array) setInt(i int, v int64) {
	d := a.Data
	switch a.DType {
	case Int64, Uint64:
		binary.LittleEndian.PutUint64(d[8*i:], uint64(v))
	case Int32, Uint32:
		binary.LittleEndian.PutUint32(d[4*i:], uint32(v))
	case Int16, Uint16:
		binary.LittleEndian.PutUint16(d[2*i:], uint16(v))
	case Int8, Uint8:
		d[i] = byte(v)
	case Bool:
		d[i] = 0
		if v != 0 {
			d[i] = 1
		}
	default:
		a.setFloat(i, float64(v))
	}
}

// Float64s returns the elements converted to float64 (a new slice; int64
// and uint64 values beyond 2^53 round). O(Len()).
func (a *Array) Float64s() ([]float64, error) {
	if err := a.Check(); err != nil {
		return nil, err
	}
	n := a.Len()
	out := make([]float64, n)
	if a.DType == Float64 && littleEndianHost {
		copy(f64bytes(out), a.Data)
		return out, nil
	}
	for i := range out {
		out[i] = a.float(i)
	}
	return out, nil
}

// Float32s returns the elements converted to float32 (a new slice). O(Len()).
func (a *Array) Float32s() ([]float32, error) {
	if err := a.Check(); err != nil {
		return nil, err
	}
	n := a.Len()
	out := make([]float32, n)
	switch {
	case a.DType == Float32 && littleEndianHost:
		copy(f32bytes(out), a.Data)
	case a.DType == Float16:
		for i := range out {
			out[i] = HalfToFloat32(binary.LittleEndian.Uint16(a.Data[2*i:]))
		}
	case a.DType == BFloat16:
		for i := range out {
			out[i] = BFloat16ToFloat32(binary.LittleEndian.Uint16(a.Data[2*i:]))
		}
	default:
		for i := range out {
			out[i] = float32(a.float(i))
		}
	}
	return out, nil
}

// Ints returns the elements as ints: integer and bool arrays exactly, float
// arrays only when every value is integral (otherwise the error names the
// first element that is not). O(Len()).
func (a *Array) Ints() ([]int, error) {
	if err := a.Check(); err != nil {
		return nil, err
	}
	out := make([]int, a.Len())
	if dtypes[a.DType].kind == 'f' {
		for i := range out {
			v := a.float(i)
			if v != math.Trunc(v) || math.IsInf(v, 0) || math.Abs(v) > 1<<62 {
				return nil, fmt.Errorf("%s element %d = %v is not an integer", a.DType, i, v)
			}
			out[i] = int(v)
		}
		return out, nil
	}
	for i := range out {
		out[i] = int(a.integer(i))
	}
	return out, nil
}

// matrixDims maps the shape to rows x cols: a scalar is 1 x 1, a vector of
// n elements n x 1, an array of 3+ dimensions shape[0] x prod(shape[1:]).
func (a *Array) matrixDims() (int, int, error) {
	if err := a.Check(); err != nil {
		return 0, 0, err
	}
	switch len(a.Shape) {
	case 0:
		return 1, 1, nil
	case 1:
		if a.Shape[0] == 0 {
			return 0, 0, fmt.Errorf("empty array of shape %v", a.Shape)
		}
		return a.Shape[0], 1, nil
	}
	r, c := a.Shape[0], 1
	for _, s := range a.Shape[1:] {
		c *= s
	}
	if r == 0 || c == 0 {
		return 0, 0, fmt.Errorf("empty array of shape %v", a.Shape)
	}
	return r, c, nil
}

// Dense converts the array to a float64 matrix: a scalar becomes 1 x 1, a
// vector of n elements n x 1, a 2-D array rows x cols and an array of more
// dimensions shape[0] x prod(shape[1:]) (e.g. N x 8 x 8 images become
// N x 64). Empty arrays are an error (gonum has no empty matrices). O(Len()).
func (a *Array) Dense() (*mat.Dense, error) {
	r, c, err := a.matrixDims()
	if err != nil {
		return nil, err
	}
	if a.f64 != nil {
		out := make([]float64, len(a.f64))
		copy(out, a.f64)
		return mat.NewDense(r, c, out), nil
	}
	v, err := a.Float64s()
	if err != nil {
		return nil, err
	}
	return mat.NewDense(r, c, v), nil
}

// Dense32 converts the array to a float32 matrix with the same shape rules
// as Dense. O(Len()).
func (a *Array) Dense32() (*mat32.Dense, error) {
	r, c, err := a.matrixDims()
	if err != nil {
		return nil, err
	}
	v, err := a.Float32s()
	if err != nil {
		return nil, err
	}
	return mat32.New(r, c, v)
}

// take converts to a matrix, handing over the float backing slice without a
// copy when the array owns one (readers call it on arrays nobody else sees).
func (a *Array) takeDense() (*mat.Dense, error) {
	if a.f64 != nil && len(a.f64) == a.Len() {
		r, c, err := a.matrixDims()
		if err != nil {
			return nil, err
		}
		return mat.NewDense(r, c, a.f64), nil
	}
	return a.Dense()
}

func (a *Array) takeDense32() (*mat32.Dense, error) {
	if a.f32 != nil && len(a.f32) == a.Len() {
		r, c, err := a.matrixDims()
		if err != nil {
			return nil, err
		}
		return mat32.New(r, c, a.f32)
	}
	return a.Dense32()
}

// Convert returns a copy of the array with another element type. Floats
// round to nearest even when narrowing (float32 to float16 or bfloat16);
// converting floats to an integer type requires integral values, and
// integer values must fit the target type (the error names the first
// element that does not). O(Len()).
func (a *Array) Convert(dtype string) (*Array, error) {
	if err := a.Check(); err != nil {
		return nil, err
	}
	info, ok := dtypes[dtype]
	if !ok {
		return nil, fmt.Errorf("unsupported dtype %q", dtype)
	}
	n := a.Len()
	out := allocArray(dtype, append([]int(nil), a.Shape...), n)
	src := dtypes[a.DType]
	switch {
	case info.kind == 'f' && src.kind == 'f':
		for i := 0; i < n; i++ {
			out.setFloat(i, a.float(i))
		}
	case info.kind == 'f':
		for i := 0; i < n; i++ {
			if src.kind == 'u' {
				out.setFloat(i, float64(uint64(a.integer(i))))
			} else {
				out.setFloat(i, float64(a.integer(i)))
			}
		}
	default:
		for i := 0; i < n; i++ {
			var v int64
			if src.kind == 'f' {
				f := a.float(i)
				if f != math.Trunc(f) || math.IsInf(f, 0) || math.Abs(f) >= 1<<63 {
					return nil, fmt.Errorf("converting %s to %s: element %d = %v is not an integer", a.DType, dtype, i, f)
				}
				v = int64(f)
			} else {
				v = a.integer(i)
				if src.kind == 'u' && v < 0 {
					return nil, fmt.Errorf("converting %s to %s: element %d = %d does not fit", a.DType, dtype, i, uint64(v))
				}
			}
			if !fits(v, dtype) {
				return nil, fmt.Errorf("converting %s to %s: element %d = %d does not fit", a.DType, dtype, i, v)
			}
			out.setInt(i, v)
		}
	}
	return out, nil
}

func fits(v int64, dtype string) bool {
	switch dtype {
	case Int32:
		return v >= math.MinInt32 && v <= math.MaxInt32
	case Int16:
		return v >= math.MinInt16 && v <= math.MaxInt16
	case Int8:
		return v >= math.MinInt8 && v <= math.MaxInt8
	case Uint64:
		return v >= 0
	case Uint32:
		return v >= 0 && v <= math.MaxUint32
	case Uint16:
		return v >= 0 && v <= math.MaxUint16
	case Uint8:
		return v >= 0 && v <= math.MaxUint8
	}
	return true
}

// FromDense returns a float64 array of shape [rows, cols] holding a copy of
// m. O(rows*cols).
func FromDense(m mat.Matrix) *Array {
	r, c := m.Dims()
	a := allocArray(Float64, []int{r, c}, r*c)
	if a.f64 != nil {
		for i := 0; i < r; i++ {
			mat.Row(a.f64[i*c:(i+1)*c], i, m)
		}
		return a
	}
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			a.setFloat(i*c+j, m.At(i, j))
		}
	}
	return a
}

// FromDense32 returns a float32 array of shape [rows, cols] holding a copy
// of m. O(rows*cols).
func FromDense32(m *mat32.Dense) *Array {
	r, c := m.Dims()
	a := allocArray(Float32, []int{r, c}, r*c)
	if a.f32 != nil {
		copy(a.f32, m.RawData())
		return a
	}
	for i, v := range m.RawData() {
		a.setFloat(i, float64(v))
	}
	return a
}

// FromFloat64s returns a float64 array of the given shape (a vector when
// shape is empty) holding a copy of v; the shape must match len(v).
func FromFloat64s(v []float64, shape ...int) (*Array, error) {
	shape, err := shapeFor(len(v), shape)
	if err != nil {
		return nil, err
	}
	a := allocArray(Float64, shape, len(v))
	for i, x := range v {
		a.setFloat(i, x)
	}
	return a, nil
}

// FromFloat32s returns a float32 array of the given shape (a vector when
// shape is empty) holding a copy of v.
func FromFloat32s(v []float32, shape ...int) (*Array, error) {
	shape, err := shapeFor(len(v), shape)
	if err != nil {
		return nil, err
	}
	a := allocArray(Float32, shape, len(v))
	for i, x := range v {
		a.setFloat(i, float64(x))
	}
	return a, nil
}

// FromInts returns an int64 array of the given shape (a vector when shape
// is empty) holding v.
func FromInts(v []int, shape ...int) (*Array, error) {
	shape, err := shapeFor(len(v), shape)
	if err != nil {
		return nil, err
	}
	a := allocArray(Int64, shape, len(v))
	for i, x := range v {
		a.setInt(i, int64(x))
	}
	return a, nil
}

// FromBools returns a bool array of the given shape (a vector when shape is
// empty) holding v.
func FromBools(v []bool, shape ...int) (*Array, error) {
	shape, err := shapeFor(len(v), shape)
	if err != nil {
		return nil, err
	}
	a := allocArray(Bool, shape, len(v))
	for i, x := range v {
		if x {
			a.Data[i] = 1
		}
	}
	return a, nil
}

func shapeFor(n int, shape []int) ([]int, error) {
	if len(shape) == 0 {
		return []int{n}, nil
	}
	m, err := numElements(shape, math.MaxInt64/8)
	if err != nil {
		return nil, err
	}
	if m != int64(n) {
		return nil, fmt.Errorf("shape %v holds %d elements, data has %d", shape, m, n)
	}
	return append([]int(nil), shape...), nil
}

// Float32ToHalf converts to IEEE 754 binary16, rounding to nearest even,
// with subnormals, overflow to infinity and NaN kept as NaN. O(1).
func Float32ToHalf(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int32(b>>23) & 0xff
	man := b & 0x7fffff
	switch {
	case exp == 0xff: // Inf or NaN
		if man != 0 {
			return sign | 0x7e00
		}
		return sign | 0x7c00
	case exp == 0 && man == 0:
		return sign
	}
	e := exp - 127 + 15
	if e >= 0x1f {
		return sign | 0x7c00
	}
	if e <= 0 {
		// subnormal half (or zero): value = man' * 2^-24
		if e < -10 {
			return sign
		}
		m := man | 0x800000 // implicit bit
		shift := uint32(14 - e)
		h := m >> shift
		rem := m & (1<<shift - 1)
		half := uint32(1) << (shift - 1)
		if rem > half || (rem == half && h&1 == 1) {
			h++
		}
		return sign | uint16(h)
	}
	h := uint32(e)<<10 | man>>13
	rem := man & 0x1fff
	if rem > 0x1000 || (rem == 0x1000 && h&1 == 1) {
		h++ // may carry into the exponent, up to infinity: correct
	}
	return sign | uint16(h)
}

// Float64ToHalf converts to IEEE 754 binary16 with a single rounding to
// nearest even (as numpy's float64 to float16 cast; going through float32
// could round twice). O(1).
func Float64ToHalf(f float64) uint16 {
	b := math.Float64bits(f)
	sign := uint16(b>>48) & 0x8000
	exp := int64(b>>52) & 0x7ff
	man := b & (1<<52 - 1)
	switch {
	case exp == 0x7ff:
		if man != 0 {
			return sign | 0x7e00
		}
		return sign | 0x7c00
	case exp == 0 && man == 0:
		return sign
	}
	e := exp - 1023 + 15
	if e >= 0x1f {
		return sign | 0x7c00
	}
	m := man | 1<<52 // implicit bit; 53 significant bits
	var shift uint64
	if e <= 0 {
		if e < -11 {
			return sign
		}
		shift = uint64(42 + 1 - e) // subnormal: value = h * 2^-24
	} else {
		shift = 42
		m = man // the exponent field carries the implicit bit below
	}
	h := m >> shift
	rem := m & (1<<shift - 1)
	half := uint64(1) << (shift - 1)
	if rem > half || (rem == half && h&1 == 1) {
		h++
	}
	if e > 0 {
		return sign + uint16(uint64(e)<<10+h) // a carry rounds up the exponent
	}
	return sign | uint16(h)
}

// HalfToFloat32 converts an IEEE 754 binary16 value to float32 exactly
// (subnormals included). O(1).
func HalfToFloat32(h uint16) float32 {
	sign := uint32(h&0x8000) << 16
	exp := uint32(h>>10) & 0x1f
	man := uint32(h & 0x3ff)
	switch {
	case exp == 0x1f:
		return math.Float32frombits(sign | 0x7f800000 | man<<13)
	case exp == 0:
		if man == 0 {
			return math.Float32frombits(sign)
		}
		v := float32(man) / (1 << 24)
		if sign != 0 {
			return -v
		}
		return v
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | man<<13)
}

// Float32ToBFloat16 converts to bfloat16 (the upper 16 bits of a float32),
// rounding to nearest even; NaN stays NaN. O(1).
func Float32ToBFloat16(f float32) uint16 {
	b := math.Float32bits(f)
	if b&0x7fffffff > 0x7f800000 {
		return uint16(b>>16) | 0x40
	}
	b += 0x7fff + (b>>16)&1
	return uint16(b >> 16)
}

// BFloat16ToFloat32 converts a bfloat16 value to float32 exactly. O(1).
func BFloat16ToFloat32(h uint16) float32 { return math.Float32frombits(uint32(h) << 16) }
