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

// dropPages advises the kernel that data[off:off+n] (rounded out to whole
// pages) is not needed: the pages leave the resident set and are read
// again on the next access.
func dropPages(data []byte, off, n int64) error {
	page := int64(syscall.Getpagesize())
	lo := off &^ (page - 1)
	hi := min((off+n+page-1)&^(page-1), int64(len(data)))
	if hi <= lo {
		return nil
	}
	return syscall.Madvise(data[lo:hi], syscall.MADV_DONTNEED)
}
