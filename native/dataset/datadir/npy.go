package datadir

import (
	"fmt"
	"io"
	"os"

	"github.com/subspace-kernel/subspace/native/dataset"
)

// CheckNPY reads the header of the .npy file at path and checks that it
// holds a little-endian, C-order array of dtype whose shape matches shape
// (an entry of -1 matches any length) and that the file is exactly as long
// as its header plus the data, so a truncated or padded conversion is
// caught before anything is read. Errors are Damaged errors naming the
// file (Missing when it does not exist). O(header size).
func CheckNPY(set, path, dtype string, shape ...int) (*dataset.NPYHeader, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, Missing(set, path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", set, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", set, err)
	}
	buf := make([]byte, 4096)
	n, err := io.ReadFull(f, buf)
	if err != nil && err != io.ErrUnexpectedEOF {
		return nil, Damaged(set, path, fmt.Sprintf("unreadable header (%v)", err))
	}
	h, err := dataset.ParseNPYHeader(buf[:n])
	if err != nil {
		return nil, Damaged(set, path, err.Error())
	}
	if h.DType != dtype || h.BigEndian || h.Fortran {
		return nil, Damaged(set, path, fmt.Sprintf("dtype %s (big-endian %v, Fortran order %v), want little-endian C-order %s", h.Descr, h.BigEndian, h.Fortran, dtype))
	}
	if !shapeMatches(h.Shape, shape) {
		return nil, Damaged(set, path, fmt.Sprintf("shape %v, want %v (-1: any)", h.Shape, shape))
	}
	want := int64(h.DataOffset) + int64(dataset.ItemSize(dtype))*int64(product(h.Shape))
	if st.Size() != want {
		return nil, Damaged(set, path, fmt.Sprintf("%d bytes, but shape %v of %s needs %d", st.Size(), h.Shape, dtype, want))
	}
	return h, nil
}

func shapeMatches(got, want []int) bool {
	if len(got) != len(want) {
		return false
	}
	for i, w := range want {
		if w != -1 && got[i] != w {
			return false
		}
	}
	return true
}

func product(shape []int) int {
	n := 1
	for _, s := range shape {
		n *= s
	}
	return n
}
