package dataset

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/mat32"
)

// npyMagic starts every .npy file.
const npyMagic = "\x93NUMPY"

// maxNPYHeader bounds the header length we accept (numpy itself refuses
// headers above 10,000 bytes unless told otherwise).
const maxNPYHeader = 1 << 20

// readNPY decodes a .npy stream of known total size (size < 0: unknown).
func readNPY(r io.Reader, size int64) (*Array, error) { return readNPYAt(r, size, nil) }

// readNPYAt is readNPY that, given the file as an io.ReaderAt (r then
// reads from its start), reads the data with parallel positioned reads.
func readNPYAt(r io.Reader, size int64, at io.ReaderAt) (*Array, error) {
	br := bufio.NewReaderSize(r, 4096)
	pre, err := br.Peek(12)
	if err != nil && len(pre) < 10 {
		if len(pre) == 0 {
			return nil, fmt.Errorf("empty file")
		}
		return nil, fmt.Errorf("truncated header: %d bytes", len(pre))
	}
	if len(pre) < 10 || string(pre[:6]) != npyMagic {
		return nil, fmt.Errorf("bad header: not a .npy file (magic %q)", pre[:min(6, len(pre))])
	}
	var hlen int
	if pre[6] == 1 {
		hlen = 10 + int(binary.LittleEndian.Uint16(pre[8:]))
	} else if len(pre) >= 12 {
		hlen = 12 + int(binary.LittleEndian.Uint32(pre[8:]))
	}
	if hlen <= 0 || hlen > maxNPYHeader+12 {
		_, err := ParseNPYHeader(pre) // reports the precise problem
		if err == nil {
			err = fmt.Errorf("bad header length")
		}
		return nil, err
	}
	hb := make([]byte, hlen)
	if n, err := io.ReadFull(br, hb); err != nil {
		return nil, fmt.Errorf("truncated header: want %d bytes, have %d", hlen, n)
	}
	h, err := ParseNPYHeader(hb)
	if err != nil {
		return nil, err
	}
	return readNPYData(br, h, size, at)
}

func readNPYData(r io.Reader, h *NPYHeader, size int64, at io.ReaderAt) (*Array, error) {
	isz := int64(dtypes[h.DType].size)
	n, err := numElements(h.Shape, math.MaxInt64/16)
	if err != nil {
		return nil, err
	}
	want := n * isz
	if size >= 0 && int64(h.DataOffset)+want > size {
		return nil, fmt.Errorf("truncated data: shape %v of %s needs %d bytes after the header, the file has %d", h.Shape, h.DType, want, size-int64(h.DataOffset))
	}
	if size < 0 && want > 1<<34 {
		return nil, fmt.Errorf("shape %v of %s needs %d bytes: too large for a stream of unknown size", h.Shape, h.DType, want)
	}
	a := allocArray(h.DType, append([]int(nil), h.Shape...), int(n))
	if at != nil && size >= 0 {
		if err := parallelReadAt(at, int64(h.DataOffset), a.Data); err != nil {
			return nil, err
		}
	} else if got, err := io.ReadFull(r, a.Data); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("truncated data: shape %v of %s needs %d bytes, got %d", h.Shape, h.DType, want, got)
		}
		return nil, err
	}
	if h.BigEndian {
		swapBytes(a.Data, int(isz))
	}
	if h.Fortran && len(h.Shape) > 1 {
		fortranToC(a, int(isz))
	}
	return a, nil
}

func swapBytes(d []byte, size int) {
	for i := 0; i+size <= len(d); i += size {
		for j, k := i, i+size-1; j < k; j, k = j+1, k-1 {
			d[j], d[k] = d[k], d[j]
		}
	}
}

// fortranToC reorders a column-major array into row-major order in place
// (through one temporary copy). O(Len()).
func fortranToC(a *Array, size int) {
	src := append([]byte(nil), a.Data...)
	shape := a.Shape
	nd := len(shape)
	// C strides in elements.
	cs := make([]int, nd)
	s := 1
	for k := nd - 1; k >= 0; k-- {
		cs[k] = s
		s *= shape[k]
	}
	idx := make([]int, nd)
	off := 0 // C offset of idx
	n := a.Len()
	for f := 0; f < n; f++ {
		copy(a.Data[off*size:(off+1)*size], src[f*size:(f+1)*size])
		// Fortran order: the first index varies fastest.
		for k := 0; k < nd; k++ {
			idx[k]++
			off += cs[k]
			if idx[k] < shape[k] {
				break
			}
			off -= cs[k] * idx[k]
			idx[k] = 0
		}
	}
}

// ReadNPY reads a .npy file: any numeric or bool dtype, C or Fortran order,
// either byte order, format versions 1 to 3. The data is read in one pass
// into the array (O(file size) time and memory).
func ReadNPY(path string) (*Array, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	a, err := readNPYAt(f, st.Size(), f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return a, nil
}

// DecodeNPY reads a .npy stream (for example an entry of a zip file). The
// size of the stream is unknown, so arrays above 16 GiB are refused.
func DecodeNPY(r io.Reader) (*Array, error) { return readNPY(r, -1) }

// ReadNPYDense reads a .npy file into a float64 matrix (see Array.Dense for
// the shape rules). A float64 C-order file is read straight into the
// matrix's storage.
func ReadNPYDense(path string) (*mat.Dense, error) {
	a, err := ReadNPY(path)
	if err != nil {
		return nil, err
	}
	m, err := a.takeDense()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// ReadNPYDense32 reads a .npy file into a float32 matrix (see Array.Dense
// for the shape rules). A float32 C-order file is read straight into the
// matrix's storage: one read, no conversion.
func ReadNPYDense32(path string) (*mat32.Dense, error) {
	a, err := ReadNPY(path)
	if err != nil {
		return nil, err
	}
	m, err := a.takeDense32()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// npyDescr returns numpy's dtype string for our dtype.
func npyDescr(dtype string) (string, error) {
	for code, dt := range npyKinds {
		if dt == dtype {
			if dtypes[dt].size == 1 {
				return "|" + code, nil
			}
			return "<" + code, nil
		}
	}
	if dtype == BFloat16 {
		return "", fmt.Errorf("dtype bfloat16 has no numpy equivalent; Convert to float32 first")
	}
	return "", fmt.Errorf("unsupported dtype %q", dtype)
}

// EncodeNPY writes a in .npy format (version 1.0, or 2.0 when the header
// exceeds 65,535 bytes), little-endian and C order, with the header padded
// to a multiple of 64 bytes as numpy does. O(Len()).
func EncodeNPY(w io.Writer, a *Array) error {
	if err := a.Check(); err != nil {
		return err
	}
	if err := EncodeNPYHeader(w, a.DType, a.Shape); err != nil {
		return err
	}
	_, err := w.Write(a.Data)
	return err
}

// EncodeNPYHeader writes only the header of a .npy file holding an array
// of the given dtype and shape (little-endian, C order, as EncodeNPY
// writes it), so that a writer can stream the data after it: the data
// must follow as prod(shape) little-endian elements. O(len(shape)).
func EncodeNPYHeader(w io.Writer, dtype string, shape []int) error {
	descr, err := npyDescr(dtype)
	if err != nil {
		return err
	}
	var sh strings.Builder
	sh.WriteByte('(')
	for i, s := range shape {
		if s < 0 {
			return fmt.Errorf("negative dimension %d in shape %v", s, shape)
		}
		if i > 0 {
			sh.WriteString(", ")
		}
		sh.WriteString(strconv.Itoa(s))
	}
	if len(shape) == 1 {
		sh.WriteByte(',')
	}
	sh.WriteByte(')')
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, sh.String())
	pre := 10
	major := byte(1)
	if len(dict)+1+pre > 65535 {
		pre, major = 12, 2
	}
	total := pre + len(dict) + 1
	pad := (64 - total%64) % 64
	hdr := dict + strings.Repeat(" ", pad) + "\n"
	var buf bytes.Buffer
	buf.WriteString(npyMagic)
	buf.WriteByte(major)
	buf.WriteByte(0)
	if major == 1 {
		binary.Write(&buf, binary.LittleEndian, uint16(len(hdr)))
	} else {
		binary.Write(&buf, binary.LittleEndian, uint32(len(hdr)))
	}
	buf.WriteString(hdr)
	_, err = w.Write(buf.Bytes())
	return err
}

// WriteNPY writes a to a .npy file (see EncodeNPY).
func WriteNPY(path string, a *Array) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := EncodeNPY(bw, a); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

// WriteNPYDense writes m as a 2-D float64 .npy file. O(rows*cols).
func WriteNPYDense(path string, m mat.Matrix) error { return WriteNPY(path, FromDense(m)) }

// WriteNPYDense32 writes m as a 2-D float32 .npy file. O(rows*cols).
func WriteNPYDense32(path string, m *mat32.Dense) error { return WriteNPY(path, FromDense32(m)) }
