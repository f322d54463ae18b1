package dataset

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestStreamMatchesWriter: streaming every test array (in name order,
// through Write) gives the same bytes as SafetensorsWriter; streaming
// float values converts them exactly as Array.Convert does; the flat
// accessors read every dtype back.
func TestStreamMatchesWriter(t *testing.T) {
	dir := t.TempDir()
	arrays := testArrays(t)
	names := make([]string, 0, len(arrays))
	w := NewSafetensorsWriter()
	for name, a := range arrays {
		names = append(names, name)
		w.Add(name, a)
	}
	sort.Strings(names)
	w.SetMetadata("k", "v")
	var infos []TensorInfo
	for _, name := range names {
		infos = append(infos, TensorInfo{Name: name, DType: arrays[name].DType, Shape: arrays[name].Shape})
	}
	p := filepath.Join(dir, "stream.safetensors")
	s, err := CreateSafetensors(p, infos, map[string]string{"k": "v"})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if err := s.Write(name, arrays[name]); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	w.Encode(&want)
	got, _ := os.ReadFile(p)
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("streamed file (%d bytes) differs from SafetensorsWriter's (%d bytes)", len(got), want.Len())
	}

	// Float values into every float dtype.
	v64 := []float64{1, -2.5, 1e-3, 3.14159265358979, 65504, 1e-8}
	v32 := make([]float32, len(v64))
	for i, v := range v64 {
		v32[i] = float32(v)
	}
	var fi []TensorInfo
	for _, dt := range []string{Float64, Float32, Float16, BFloat16} {
		fi = append(fi, TensorInfo{Name: "from64_" + dt, DType: dt, Shape: []int{2, 3}}, TensorInfo{Name: "from32_" + dt, DType: dt, Shape: []int{6}})
	}
	p2 := filepath.Join(dir, "floats.safetensors")
	s2, err := CreateSafetensors(p2, fi, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, dt := range []string{Float64, Float32, Float16, BFloat16} {
		if err := s2.WriteFloat64s("from64_"+dt, v64); err != nil {
			t.Fatal(err)
		}
		if err := s2.WriteFloat32s("from32_"+dt, v32); err != nil {
			t.Fatal(err)
		}
	}
	if err := s2.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := OpenSafetensors(p2)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a64, _ := FromFloat64s(v64, 2, 3)
	a32, _ := FromFloat32s(v32)
	for _, dt := range []string{Float64, Float32, Float16, BFloat16} {
		for _, c := range []struct {
			name string
			src  *Array
		}{{"from64_" + dt, a64}, {"from32_" + dt, a32}} {
			want, _ := c.src.Convert(dt)
			got, err := st.Array(c.name)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Data, want.Data) {
				t.Errorf("%s: streamed bytes differ from Convert's", c.name)
			}
			f64, _ := st.Float64s(c.name)
			f32, _ := st.Float32s(c.name)
			wf, _ := want.Float64s()
			for i := range wf {
				if f64[i] != wf[i] || f32[i] != float32(wf[i]) {
					t.Fatalf("%s element %d: Float64s %v Float32s %v, want %v", c.name, i, f64[i], f32[i], wf[i])
				}
			}
			if err := st.Release(c.name); err != nil {
				t.Fatal(err)
			}
			again, _ := st.Float64s(c.name)
			if again[5] != wf[5] {
				t.Errorf("%s unreadable after Release", c.name)
			}
		}
	}
}

// leftovers lists the files in dir.
func leftovers(t *testing.T, dir string) []string {
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// TestStreamErrors: writing out of order, the wrong number of elements or
// dtype, integer tensors from floats, closing early and aborting all fail
// with the tensor's name and leave no file (final or temporary) behind.
func TestStreamErrors(t *testing.T) {
	infos := []TensorInfo{{Name: "a", DType: Float32, Shape: []int{2, 2}}, {Name: "b", DType: Int32, Shape: []int{3}}}
	ints, _ := FromInts([]int{1, 2, 3}, 3)
	ints, _ = ints.Convert(Int32)
	cases := []struct {
		name string
		run  func(s *SafetensorsStream) error
		want string
	}{
		{"order", func(s *SafetensorsStream) error { return s.WriteFloat32s("b", []float32{1, 2, 3}) }, `tensor "b" written out of order: the header lists "a" next`},
		{"count", func(s *SafetensorsStream) error { return s.WriteFloat32s("a", []float32{1, 2, 3}) }, `tensor "a" of shape [2 2] needs 4 elements, got 3`},
		{"dtype", func(s *SafetensorsStream) error {
			s.WriteFloat32s("a", make([]float32, 4))
			return s.WriteFloat64s("b", []float64{1, 2, 3})
		}, `tensor "b" has dtype int32`},
		{"array dtype", func(s *SafetensorsStream) error {
			s.WriteFloat32s("a", make([]float32, 4))
			f, _ := FromFloat32s([]float32{1, 2, 3})
			return s.Write("b", f)
		}, `tensor "b" is float32 [3], the header lists int32 [3]`},
		{"early close", func(s *SafetensorsStream) error {
			s.WriteFloat32s("a", make([]float32, 4))
			return s.Close()
		}, `closed after 1 of 2 tensors (next: "b")`},
		{"abort", func(s *SafetensorsStream) error {
			s.WriteFloat32s("a", make([]float32, 4))
			s.Write("b", ints)
			s.Abort()
			return s.Close()
		}, "aborted"},
	}
	for _, c := range cases {
		dir := t.TempDir()
		s, err := CreateSafetensors(filepath.Join(dir, "out.safetensors"), infos, nil)
		if err != nil {
			t.Fatal(err)
		}
		err = c.run(s)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
		s.Abort()
		if left := leftovers(t, dir); len(left) != 0 {
			t.Errorf("%s: files left behind: %v", c.name, left)
		}
	}
	dir := t.TempDir()
	for _, bad := range [][]TensorInfo{nil, {{Name: "x", DType: "complex64", Shape: []int{1}}}, {{Name: "x", DType: Float32}, {Name: "x", DType: Float32}}} {
		if _, err := CreateSafetensors(filepath.Join(dir, "bad.safetensors"), bad, nil); err == nil {
			t.Errorf("header %v accepted", bad)
		}
	}
	if left := leftovers(t, dir); len(left) != 0 {
		t.Errorf("bad headers left files: %v", left)
	}
}
