package dataset

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestLargeParallel reads a 16 MB table through the parallel paths
// (positioned reads for .npy, parallel copies out of the mapping for
// .safetensors) and checks every byte; then truncates the mapped file under
// an open Safetensors and expects an error, not a crash.
func TestLargeParallel(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Log("GOMAXPROCS < 2: the read is sequential")
	}
	n := 4 << 20 // float32 elements
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(i%1000003) * 0.5
	}
	a, _ := FromFloat32s(v, n/512, 512)
	dir := t.TempDir()
	p := filepath.Join(dir, "big.npy")
	if err := WriteNPY(p, a); err != nil {
		t.Fatal(err)
	}
	got, err := ReadNPY(p)
	if err != nil || !bytes.Equal(got.Data, a.Data) {
		t.Fatalf("parallel npy read differs: %v", err)
	}
	sp := filepath.Join(dir, "big.safetensors")
	w := NewSafetensorsWriter()
	w.Add("t", a)
	if err := w.Write(sp); err != nil {
		t.Fatal(err)
	}
	st, err := OpenSafetensors(sp)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m, err := st.Dense32("t")
	if err != nil || !bytes.Equal(f32bytes(m.RawData()), a.Data) {
		t.Fatalf("parallel safetensors read differs: %v", err)
	}
	if !mmapSupported {
		return
	}
	if err := os.Truncate(sp, 1<<20); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Dense32("t"); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("read of a truncated mapping: %v", err)
	}
	if _, err := st.Array("t"); err == nil {
		t.Fatal("Array of a truncated mapping succeeded")
	}
}
