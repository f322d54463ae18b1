package dataset

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"sync"
)

// parallelChunk is the smallest piece worth a goroutine: below it, one
// read or copy is as fast.
const parallelChunk = 8 << 20

// pieces splits n bytes into up to GOMAXPROCS ranges of at least
// parallelChunk bytes, aligned to 4 KiB pages.
func pieces(n int) [][2]int {
	k := min(runtime.GOMAXPROCS(0), n/parallelChunk)
	if k <= 1 {
		return [][2]int{{0, n}}
	}
	step := (n/k + 4095) &^ 4095
	var out [][2]int
	for s := 0; s < n; s += step {
		out = append(out, [2]int{s, min(s+step, n)})
	}
	return out
}

// eachPiece runs f on every piece of pieces(n), each on its own goroutine,
// and returns the error of the first failing piece (in offset order).
func eachPiece(n int, f func(lo, hi int) error) error {
	ps := pieces(n)
	errs := make([]error, len(ps))
	var wg sync.WaitGroup
	for i, p := range ps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f(p[0], p[1])
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// parallelReadAt fills dst from r at offset off, with one positioned read
// per piece in parallel (the page faults of a fresh destination and the
// kernel's copy then spread over the cores). O(len(dst)).
func parallelReadAt(r io.ReaderAt, off int64, dst []byte) error {
	return eachPiece(len(dst), func(lo, hi int) error {
		n, err := r.ReadAt(dst[lo:hi], off+int64(lo))
		if n == hi-lo {
			return nil
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			err = fmt.Errorf("truncated data: %d bytes missing", hi-lo-n)
		}
		return err
	})
}

// copyMapped copies src (memory-mapped file bytes) into dst (same length)
// in parallel pieces. A fault while reading the mapping (the file was
// truncated underneath it) is returned as an error instead of crashing.
func copyMapped(dst, src []byte) error {
	return eachPiece(len(dst), func(lo, hi int) (err error) {
		old := debug.SetPanicOnFault(true)
		defer func() {
			debug.SetPanicOnFault(old)
			if r := recover(); r != nil {
				err = fmt.Errorf("reading the mapped file failed (was it truncated?): %v", r)
			}
		}()
		copy(dst[lo:hi], src[lo:hi])
		return nil
	})
}
