package dataset

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// rssFile returns the process's resident file-backed memory in bytes
// (RssFile in /proc/self/status).
func rssFile(t *testing.T) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "RssFile:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	t.Fatal("no RssFile in /proc/self/status")
	return 0
}

// TestReleaseDropsPages: reading a 48 MB tensor through the mapping makes
// its pages resident; Release takes them out of the resident set again
// (RssFile falls by at least 40 MB), and the tensor still reads back.
func TestReleaseDropsPages(t *testing.T) {
	const n = 12 << 20 // float32 elements: 48 MB
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(i % 1000)
	}
	p := filepath.Join(t.TempDir(), "big.safetensors")
	s, err := CreateSafetensors(p, []TensorInfo{{Name: "w", DType: Float32, Shape: []int{n}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.WriteFloat32s("w", v); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := OpenSafetensors(p)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Float32s("w"); err != nil {
		t.Fatal(err)
	}
	touched := rssFile(t)
	if err := st.Release("w"); err != nil {
		t.Fatal(err)
	}
	released := rssFile(t)
	if touched-released < 40<<20 {
		t.Errorf("RssFile %d MB after reading, %d MB after Release: want a drop of >= 40 MB", touched>>20, released>>20)
	}
	back, err := st.Float32s("w")
	if err != nil || back[n-1] != v[n-1] {
		t.Errorf("after Release: %v, last element %v", err, back[n-1])
	}
}
