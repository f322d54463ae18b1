//go:build !unix

package dataset

import (
	"io"
	"os"
)

// mapFile reads the whole file where mmap is unavailable.
func mapFile(f *os.File, size int64) ([]byte, error) {
	b := make([]byte, size)
	n, err := f.ReadAt(b, 0)
	if n == len(b) && err == io.EOF {
		err = nil
	}
	return b, err
}

func unmap(b []byte) error { return nil }

const mmapSupported = false

func dropPages(data []byte, off, n int64) error { return nil }
