package dataset

import (
	"archive/zip"
	"fmt"
	"os"
	"sort"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/mat32"
)

// NPZ is an open .npz archive (np.savez or np.savez_compressed): a zip
// file of .npy members, read one array at a time.
type NPZ struct {
	path  string
	z     *zip.ReadCloser
	files map[string]*zip.File
	names []string
}

// OpenNPZ opens a .npz file and lists its arrays; arrays are decoded only
// when asked for. O(number of members).
func OpenNPZ(path string) (*NPZ, error) {
	z, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable .npz (zip) file: %w", path, err)
	}
	n := &NPZ{path: path, z: z, files: map[string]*zip.File{}}
	for _, f := range z.File {
		name := strings.TrimSuffix(f.Name, ".npy")
		n.files[name] = f
		n.names = append(n.names, name)
	}
	sort.Strings(n.names)
	return n, nil
}

// Names returns the array names (member names without ".npy"), sorted.
func (n *NPZ) Names() []string { return append([]string(nil), n.names...) }

// Array decodes the named array. O(its size).
func (n *NPZ) Array(name string) (*Array, error) {
	f, ok := n.files[name]
	if !ok {
		return nil, fmt.Errorf("%s: no array %q (have %v)", n.path, name, n.names)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: array %q: %w", n.path, name, err)
	}
	defer rc.Close()
	a, err := readNPY(rc, int64(f.UncompressedSize64))
	if err != nil {
		return nil, fmt.Errorf("%s: array %q: %w", n.path, name, err)
	}
	return a, nil
}

// Dense decodes the named array into a float64 matrix (see Array.Dense).
func (n *NPZ) Dense(name string) (*mat.Dense, error) {
	a, err := n.Array(name)
	if err != nil {
		return nil, err
	}
	m, err := a.takeDense()
	if err != nil {
		return nil, fmt.Errorf("%s: array %q: %w", n.path, name, err)
	}
	return m, nil
}

// Dense32 decodes the named array into a float32 matrix (see Array.Dense).
func (n *NPZ) Dense32(name string) (*mat32.Dense, error) {
	a, err := n.Array(name)
	if err != nil {
		return nil, err
	}
	m, err := a.takeDense32()
	if err != nil {
		return nil, fmt.Errorf("%s: array %q: %w", n.path, name, err)
	}
	return m, nil
}

// Close closes the archive.
func (n *NPZ) Close() error { return n.z.Close() }

// ReadNPZ reads every array of a .npz file. O(file size).
func ReadNPZ(path string) (map[string]*Array, error) {
	n, err := OpenNPZ(path)
	if err != nil {
		return nil, err
	}
	defer n.Close()
	out := make(map[string]*Array, len(n.names))
	for _, name := range n.names {
		a, err := n.Array(name)
		if err != nil {
			return nil, err
		}
		out[name] = a
	}
	return out, nil
}

// WriteNPZ writes arrays into a .npz file that np.load reads, members in
// name order; compress selects deflate (np.savez_compressed) instead of
// stored members (np.savez). O(total size).
func WriteNPZ(path string, arrays map[string]*Array, compress bool) error {
	names := make([]string, 0, len(arrays))
	for k := range arrays {
		names = append(names, k)
	}
	sort.Strings(names)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	method := zip.Store
	if compress {
		method = zip.Deflate
	}
	for _, name := range names {
		if name == "" || strings.ContainsAny(name, "/\\") {
			f.Close()
			return fmt.Errorf("%s: bad array name %q", path, name)
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name + ".npy", Method: method})
		if err == nil {
			err = EncodeNPY(w, arrays[name])
		}
		if err != nil {
			f.Close()
			return fmt.Errorf("%s: array %q: %w", path, name, err)
		}
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}
