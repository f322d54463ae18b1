package dataset

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio/npy"
	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/mat32"
)

// testArrays returns one array of every dtype, in several shapes, with
// values that exercise signs, extremes and (for floats) non-integers.
func testArrays(t *testing.T) map[string]*Array {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	mk := func(dtype string, shape ...int) *Array {
		n := 1
		for _, s := range shape {
			n *= s
		}
		a := allocArray(dtype, shape, n)
		for i := 0; i < n; i++ {
			switch dtypes[dtype].kind {
			case 'f':
				a.setFloat(i, rng.NormFloat64()*100)
			case 'b':
				a.setInt(i, int64(rng.IntN(2)))
			case 'u':
				a.setInt(i, int64(rng.Uint64()>>(64-8*dtypes[dtype].size)))
			default:
				a.setInt(i, int64(rng.Uint64()))
			}
		}
		return a
	}
	return map[string]*Array{
		"f8_2d":    mk(Float64, 7, 5),
		"f4_2d":    mk(Float32, 3, 11),
		"f2_3d":    mk(Float16, 2, 3, 4),
		"bf16_2d":  mk(BFloat16, 4, 4),
		"i8_1d":    mk(Int64, 9),
		"i4_2d":    mk(Int32, 2, 2),
		"i2_1d":    mk(Int16, 5),
		"i1_1d":    mk(Int8, 5),
		"u8_1d":    mk(Uint64, 3),
		"u4_1d":    mk(Uint32, 3),
		"u2_1d":    mk(Uint16, 3),
		"u1_2d":    mk(Uint8, 4, 3),
		"b_2d":     mk(Bool, 3, 5),
		"f8_0d":    mk(Float64),
		"f4_empty": mk(Float32, 0, 4),
	}
}

func sameArray(t *testing.T, what string, got, want *Array) {
	t.Helper()
	if got.DType != want.DType || !sameShape(got.Shape, want.Shape) || !bytes.Equal(got.Data, want.Data) {
		t.Fatalf("%s: got %v (%d bytes), want %v (%d bytes)", what, got, len(got.Data), want, len(want.Data))
	}
}

// TestRoundTrips writes every dtype with every writer and reads it back
// byte for byte.
func TestRoundTrips(t *testing.T) {
	dir := t.TempDir()
	arrays := testArrays(t)
	w := NewSafetensorsWriter()
	w.SetMetadata("note", "round trip")
	for name, a := range arrays {
		if err := w.Add(name, a); err != nil {
			t.Fatal(err)
		}
		if a.DType == BFloat16 {
			if err := WriteNPY(filepath.Join(dir, name+".npy"), a); err == nil || !strings.Contains(err.Error(), "bfloat16") {
				t.Fatalf("bfloat16 npy: err = %v", err)
			}
			continue
		}
		p := filepath.Join(dir, name+".npy")
		if err := WriteNPY(p, a); err != nil {
			t.Fatal(err)
		}
		got, err := ReadNPY(p)
		if err != nil {
			t.Fatal(err)
		}
		sameArray(t, "npy "+name, got, a)
	}
	p := filepath.Join(dir, "all.safetensors")
	if err := w.Write(p); err != nil {
		t.Fatal(err)
	}
	back, meta, err := ReadSafetensors(p)
	if err != nil {
		t.Fatal(err)
	}
	if meta["note"] != "round trip" || len(back) != len(arrays) {
		t.Fatalf("safetensors: meta %v, %d tensors", meta, len(back))
	}
	for name, a := range arrays {
		sameArray(t, "safetensors "+name, back[name], a)
	}
	raw, _ := os.ReadFile(p)
	mem, err := DecodeSafetensors(raw)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := mem.Array("i8_1d")
	sameArray(t, "in-memory safetensors", got, arrays["i8_1d"])

	npz := map[string]*Array{}
	for name, a := range arrays {
		if a.DType != BFloat16 {
			npz[name] = a
		}
	}
	for _, c := range []bool{false, true} {
		p := filepath.Join(dir, "all.npz")
		if err := WriteNPZ(p, npz, c); err != nil {
			t.Fatal(err)
		}
		back, err := ReadNPZ(p)
		if err != nil {
			t.Fatal(err)
		}
		for name, a := range npz {
			sameArray(t, "npz "+name, back[name], a)
		}
	}
}

// TestMatrices checks the matrix helpers: float64 and float32 matrices
// through npy and safetensors, narrowing to float16/bfloat16 within their
// rounding error, and the shape rules.
func TestMatrices(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(3, 4))
	m := mat.NewDense(13, 6, nil)
	for i := 0; i < 13; i++ {
		for j := 0; j < 6; j++ {
			m.Set(i, j, rng.NormFloat64())
		}
	}
	m32 := mat32.FromDense(m)
	if err := WriteNPYDense(filepath.Join(dir, "m.npy"), m); err != nil {
		t.Fatal(err)
	}
	if err := WriteNPYDense32(filepath.Join(dir, "m32.npy"), m32); err != nil {
		t.Fatal(err)
	}
	got, err := ReadNPYDense(filepath.Join(dir, "m.npy"))
	if err != nil || !mat.Equal(got, m) {
		t.Fatalf("float64 npy matrix: %v", err)
	}
	got32, err := ReadNPYDense32(filepath.Join(dir, "m32.npy"))
	if err != nil || !mat.Equal(got32.ToDense(), m32.ToDense()) {
		t.Fatalf("float32 npy matrix: %v", err)
	}
	p := filepath.Join(dir, "w.safetensors")
	w := NewSafetensorsWriter()
	for _, dt := range []string{Float64, Float32, Float16, BFloat16} {
		if err := w.AddDense("m."+dt, m, dt); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.AddDense32("m32", m32, Float32); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(p); err != nil {
		t.Fatal(err)
	}
	st, err := OpenSafetensors(p)
	if err != nil {
		t.Fatal(err)
	}
	// relative rounding error bounds: 2^-53, 2^-24, 2^-11, 2^-8
	for dt, tol := range map[string]float64{Float64: 0, Float32: 6e-8, Float16: 4.9e-4, BFloat16: 3.9e-3} {
		d, err := st.Dense("m." + dt)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 13; i++ {
			for j := 0; j < 6; j++ {
				if e := math.Abs(d.At(i, j) - m.At(i, j)); e > tol*math.Abs(m.At(i, j)) {
					t.Fatalf("%s (%d,%d): %v vs %v, relative error above %g", dt, i, j, d.At(i, j), m.At(i, j), tol)
				}
			}
		}
	}
	d32, err := st.Dense32("m32")
	if err != nil || !mat.Equal(d32.ToDense(), m32.ToDense()) {
		t.Fatalf("Dense32: %v", err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Dense32("m32"); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("read after Close: %v", err)
	}
	// Shape rules.
	a, _ := FromFloat64s([]float64{1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2)
	d, err := a.Dense()
	if r, c := d.Dims(); err != nil || r != 2 || c != 4 || d.At(1, 3) != 8 {
		t.Fatalf("3-D to matrix: %v", err)
	}
	v, _ := FromInts([]int{4, 5, 6})
	d, _ = v.Dense()
	if r, c := d.Dims(); r != 3 || c != 1 || d.At(2, 0) != 6 {
		t.Fatalf("vector to matrix: %dx%d", r, c)
	}
	if _, err := FromFloat64s([]float64{1, 2, 3}, 2, 2); err == nil {
		t.Fatal("shape mismatch accepted")
	}
}

// TestHalf checks float16 conversion on every bit pattern (exact widening
// then narrowing back), rounding to nearest even, and bfloat16 rounding.
func TestHalf(t *testing.T) {
	for h := 0; h < 1<<16; h++ {
		f := HalfToFloat32(uint16(h))
		if f != f {
			if Float32ToHalf(f)&0x7c00 != 0x7c00 || Float32ToHalf(f)&0x3ff == 0 {
				t.Fatalf("NaN %#04x narrows to %#04x", h, Float32ToHalf(f))
			}
			continue
		}
		if back := Float32ToHalf(f); back != uint16(h) {
			t.Fatalf("half %#04x -> %v -> %#04x", h, f, back)
		}
	}
	cases := []struct {
		f    float32
		want uint16
	}{
		{1 + 1.0/2048, 0x3c00},          // tie, rounds to even (1.0)
		{1 + 3.0/2048, 0x3c02},          // tie, rounds to even (1+2/1024)
		{65504, 0x7bff},                 // largest finite
		{65520, 0x7c00},                 // rounds to infinity
		{5.960464477539063e-08, 0x0001}, // smallest subnormal
		{2.9802322387695312e-08, 0},     // half of it: tie to even (zero)
		{float32(math.Copysign(0, -1)), 0x8000},
	}
	for _, c := range cases {
		if got := Float32ToHalf(c.f); got != c.want {
			t.Fatalf("Float32ToHalf(%v) = %#04x, want %#04x", c.f, got, c.want)
		}
	}
	if got := Float32ToBFloat16(1 + 1.0/256); got != 0x3f80 { // tie to even
		t.Fatalf("bf16 tie: %#04x", got)
	}
	if got := Float32ToBFloat16(1 + 3.0/256); got != 0x3f82 {
		t.Fatalf("bf16 tie up: %#04x", got)
	}
	if BFloat16ToFloat32(0x3f81) != 1+1.0/128 {
		t.Fatal("bf16 widening")
	}
}

// TestConvert checks dtype conversion, including the errors for values that
// do not fit.
func TestConvert(t *testing.T) {
	a, _ := FromFloat64s([]float64{1, -2, 300})
	b, err := a.Convert(Int16)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := b.Ints(); v[0] != 1 || v[1] != -2 || v[2] != 300 {
		t.Fatalf("ints %v", v)
	}
	if _, err := a.Convert(Uint8); err == nil || !strings.Contains(err.Error(), "element 1") {
		t.Fatalf("uint8 of -2: %v", err)
	}
	f, _ := FromFloat64s([]float64{1.5})
	if _, err := f.Convert(Int64); err == nil {
		t.Fatal("1.5 converted to int64")
	}
	if _, err := f.Ints(); err == nil {
		t.Fatal("Ints of 1.5")
	}
	bo, _ := FromBools([]bool{true, false})
	if v, _ := bo.Float64s(); v[0] != 1 || v[1] != 0 {
		t.Fatalf("bools %v", v)
	}
}

// TestNpyio checks interoperability with codeberg.org/sbinet/npyio: it
// reads our files, and we read its files.
func TestNpyio(t *testing.T) {
	m := mat.NewDense(3, 4, []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12.5})
	var buf bytes.Buffer
	if err := EncodeNPY(&buf, FromDense(m)); err != nil {
		t.Fatal(err)
	}
	var back mat.Dense
	if err := npy.Read(bytes.NewReader(buf.Bytes()), &back); err != nil || !mat.Equal(&back, m) {
		t.Fatalf("npyio reading ours: %v", err)
	}
	buf.Reset()
	if err := npy.Write(&buf, []float32{1, 2.5, -3}); err != nil {
		t.Fatal(err)
	}
	a, err := DecodeNPY(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := a.Float32s(); a.DType != Float32 || len(v) != 3 || v[1] != 2.5 {
		t.Fatalf("npyio's file: %v %v", a, v)
	}
}

// TestCorruptFiles truncates valid files at every length and flips header
// bytes: every read must return an error (never panic), and truncation
// errors must say so.
func TestCorruptFiles(t *testing.T) {
	arrays := testArrays(t)
	var npyBuf bytes.Buffer
	if err := EncodeNPY(&npyBuf, arrays["f4_2d"]); err != nil {
		t.Fatal(err)
	}
	w := NewSafetensorsWriter()
	w.Add("a", arrays["f4_2d"])
	w.Add("b", arrays["i8_1d"])
	w.SetMetadata("k", "v")
	var stBuf bytes.Buffer
	if err := w.Encode(&stBuf); err != nil {
		t.Fatal(err)
	}
	full := npyBuf.Bytes()
	for n := 0; n < len(full); n++ {
		_, err := readNPY(bytes.NewReader(full[:n]), int64(n))
		if err == nil {
			t.Fatalf("npy truncated to %d bytes read without error", n)
		}
		if n >= 10 && !strings.Contains(err.Error(), "truncated") {
			t.Fatalf("npy truncated to %d bytes: %v", n, err)
		}
		if _, err := DecodeNPY(bytes.NewReader(full[:n])); err == nil {
			t.Fatalf("npy stream truncated to %d bytes read without error", n)
		}
	}
	stFull := stBuf.Bytes()
	for n := 0; n < len(stFull); n++ {
		if _, err := DecodeSafetensors(stFull[:n]); err == nil {
			t.Fatalf("safetensors truncated to %d bytes opened without error", n)
		}
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "t.safetensors")
	os.WriteFile(p, stFull[:len(stFull)-3], 0o644)
	if _, err := OpenSafetensors(p); err == nil || !strings.Contains(err.Error(), "t.safetensors") {
		t.Fatalf("truncated safetensors file: %v", err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for k := 0; k < 3000; k++ {
		b := append([]byte(nil), full...)
		b[rng.IntN(128)] = byte(rng.IntN(256))
		if a, err := readNPY(bytes.NewReader(b), int64(len(b))); err == nil {
			a.Float64s()
		}
		s := append([]byte(nil), stFull...)
		s[rng.IntN(int(8+binary64(stFull)))] = byte(rng.IntN(256))
		if st, err := DecodeSafetensors(s); err == nil {
			for _, name := range st.Names() {
				st.Dense("a")
				st.Array(name)
			}
		}
	}
	// A shape far larger than the file is refused before allocating.
	dict := "{'descr': '<f8', 'fortran_order': False, 'shape': (100000000000, 1000), }\n"
	bad := append([]byte("\x93NUMPY\x01\x00"), byte(len(dict)), 0)
	bad = append(bad, dict...)
	if _, err := readNPY(bytes.NewReader(bad), int64(len(bad))); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("huge shape: %v", err)
	}
}

func binary64(b []byte) uint64 {
	var n uint64
	for i := 7; i >= 0; i-- {
		n = n<<8 | uint64(b[i])
	}
	return n
}

// TestHeaderErrors checks specific malformed headers and their messages.
func TestHeaderErrors(t *testing.T) {
	hdr := func(dict string) []byte {
		b := []byte("\x93NUMPY\x01\x00")
		b = append(b, byte(len(dict)+1), byte((len(dict)+1)>>8))
		return append(append(b, dict...), '\n')
	}
	cases := []struct {
		b    []byte
		want string
	}{
		{[]byte("PK\x03\x04nope......"), "not a .npy file"},
		{hdr("{'descr': '<f4', 'fortran_order': False}"), `missing key "shape"`},
		{hdr("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }"), "complex"},
		{hdr("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }"), "pickle"},
		{hdr("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,), }"), "fortran_order"},
		{hdr("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -1), }"), "bad dimension"},
		{hdr("'descr': '<f4'"), "does not start"},
		{[]byte("\x93NUMPY\x09\x00\x10\x00"), "version 9"},
	}
	for _, c := range cases {
		_, err := ParseNPYHeader(c.b)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want %q", c.b, err, c.want)
		}
	}
	st := func(h string) []byte {
		b := make([]byte, 8, 8+len(h))
		b[0] = byte(len(h))
		return append(b, h...)
	}
	stCases := []struct {
		b    []byte
		want string
	}{
		{st(`{"a":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}` + "\x00"), "unsupported dtype"},
		{st(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}`), "shape mismatch"},
		{st(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`), "truncated"},
		{st(`[1,2]`), "does not start"},
		{st(`{"a":{"dtype":"F32"}}`), "lacks"},
		{append(st(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"b":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}`), 1, 2), "gap or overlap"},
		{append(st(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}`), 1, 2), "cover 1 bytes of a 2-byte"},
		{[]byte{255, 255, 255, 255, 0, 0, 0, 0, '{'}, "exceeds"},
	}
	for _, c := range stCases {
		_, err := DecodeSafetensors(c.b)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want %q", c.b, err, c.want)
		}
	}
}
