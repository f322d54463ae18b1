package dataset

import (
	"fmt"
	"os"
	"path/filepath"
)

// tempFile is a file written under a temporary name next to its final
// path and renamed there by commit, so that readers never see it half
// written.
type tempFile struct {
	*os.File
	path string
}

// createTemp creates ".<base>.*.tmp" in path's directory.
func createTemp(path string) (*tempFile, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return nil, err
	}
	return &tempFile{File: f, path: path}, nil
}

// commit closes the file and renames it to its final path. It does not
// fsync: the rename protects readers from an interrupted or failed write,
// not from a power loss (as numpy, torch and safetensors' own writers).
func (f *tempFile) commit() error {
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("%s: %w", f.path, err)
	}
	if err := os.Rename(f.Name(), f.path); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}

// abort closes and removes the temporary file.
func (f *tempFile) abort() {
	f.Close()
	os.Remove(f.Name())
}
