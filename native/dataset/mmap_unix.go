//go:build unix

package dataset

import (
	"os"
	"syscall"
)

// mapFile maps size bytes of f read-only. The mapping stays valid after f
// is closed; unmap releases it.
func mapFile(f *os.File, size int64) ([]byte, error) {
	if size == 0 {
		return []byte{}, nil
	}
	return syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
}

func unmap(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	return syscall.Munmap(b)
}

const mmapSupported = true
