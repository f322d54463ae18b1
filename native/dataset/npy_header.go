package dataset

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// NPYHeader is the parsed header of a .npy file.
type NPYHeader struct {
	// Major and Minor are the format version (1.0, 2.0 or 3.0).
	Major, Minor int
	// Descr is numpy's dtype string, e.g. "<f4".
	Descr string
	// DType is our name for Descr (Float32, ...); empty when unsupported.
	DType string
	// BigEndian is true for '>' dtypes.
	BigEndian bool
	// Fortran is true when the data is in column-major order.
	Fortran bool
	// Shape is the array's shape (empty for a scalar).
	Shape []int
	// DataOffset is the number of bytes before the data.
	DataOffset int
}

var npyKinds = map[string]string{
	"f8": Float64, "f4": Float32, "f2": Float16,
	"i8": Int64, "i4": Int32, "i2": Int16, "i1": Int8,
	"u8": Uint64, "u4": Uint32, "u2": Uint16, "u1": Uint8,
	"b1": Bool,
}

// ParseNPYHeader parses the header at the start of b (which must hold at
// least the whole header; the data may follow). It checks the magic, the
// version, the header length and the Python dict literal with its 'descr',
// 'fortran_order' and 'shape' keys, and maps the dtype. Object arrays
// ('|O', pickled) and structured, string, complex and datetime dtypes are
// reported as unsupported. O(len(header)).
func ParseNPYHeader(b []byte) (*NPYHeader, error) {
	if len(b) < 10 {
		return nil, fmt.Errorf("bad header: %d bytes, shorter than the 10-byte preamble", len(b))
	}
	if string(b[:6]) != npyMagic {
		return nil, fmt.Errorf("bad header: not a .npy file (magic %q)", b[:6])
	}
	h := &NPYHeader{Major: int(b[6]), Minor: int(b[7])}
	var hlen, start int
	switch h.Major {
	case 1:
		hlen, start = int(binary.LittleEndian.Uint16(b[8:])), 10
	case 2, 3:
		if len(b) < 12 {
			return nil, fmt.Errorf("bad header: truncated version %d preamble", h.Major)
		}
		hlen, start = int(binary.LittleEndian.Uint32(b[8:])), 12
	default:
		return nil, fmt.Errorf("bad header: unknown format version %d.%d", h.Major, h.Minor)
	}
	if hlen > maxNPYHeader || hlen < 0 {
		return nil, fmt.Errorf("bad header: header length %d exceeds %d bytes", hlen, maxNPYHeader)
	}
	if len(b) < start+hlen {
		return nil, fmt.Errorf("truncated header: want %d bytes, have %d", start+hlen, len(b))
	}
	h.DataOffset = start + hlen
	if err := h.parseDict(string(b[start : start+hlen])); err != nil {
		return nil, fmt.Errorf("bad header: %w", err)
	}
	return h, nil
}

// parseDict reads "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }".
func (h *NPYHeader) parseDict(s string) error {
	p := &pyLexer{s: strings.TrimRight(s, " \n\x00")}
	if !p.eat('{') {
		return fmt.Errorf("header dict does not start with '{': %.40q", s)
	}
	seen := map[string]bool{}
	for {
		p.space()
		if p.eat('}') {
			break
		}
		key, err := p.str()
		if err != nil {
			return fmt.Errorf("dict key: %w", err)
		}
		p.space()
		if !p.eat(':') {
			return fmt.Errorf("missing ':' after key %q", key)
		}
		p.space()
		switch key {
		case "descr":
			if p.peek() == '[' {
				return fmt.Errorf("unsupported dtype: structured array (descr is a list of fields)")
			}
			if h.Descr, err = p.str(); err != nil {
				return fmt.Errorf("descr: %w", err)
			}
		case "fortran_order":
			switch {
			case p.word("True"):
				h.Fortran = true
			case p.word("False"):
				h.Fortran = false
			default:
				return fmt.Errorf("fortran_order is neither True nor False")
			}
		case "shape":
			if h.Shape, err = p.tuple(); err != nil {
				return fmt.Errorf("shape: %w", err)
			}
		default:
			return fmt.Errorf("unexpected key %q", key)
		}
		seen[key] = true
		p.space()
		if p.eat(',') {
			continue
		}
		p.space()
		if p.eat('}') {
			break
		}
		return fmt.Errorf("expected ',' or '}' after %q", key)
	}
	for _, k := range []string{"descr", "fortran_order", "shape"} {
		if !seen[k] {
			return fmt.Errorf("missing key %q", k)
		}
	}
	if _, err := numElements(h.Shape, math.MaxInt64/16); err != nil {
		return err
	}
	return h.mapDescr()
}

func (h *NPYHeader) mapDescr() error {
	d := h.Descr
	if len(d) < 2 {
		return fmt.Errorf("unsupported dtype %q", d)
	}
	order := d[0]
	code := d[1:]
	switch order {
	case '<', '|', '=':
	case '>':
		h.BigEndian = true
	default:
		order, code = '|', d
	}
	if code == "b1" || code == "?" {
		code = "b1"
	}
	if dt, ok := npyKinds[code]; ok {
		h.DType = dt
		if dtypes[dt].size == 1 {
			h.BigEndian = false
		}
		return nil
	}
	_ = order
	switch code[0] {
	case 'O':
		return fmt.Errorf("unsupported dtype %q: an object array stored with pickle (np.save with allow_pickle); save a numeric array instead, e.g. arr.astype(np.float32)", d)
	case 'U', 'S', 'a':
		return fmt.Errorf("unsupported dtype %q: strings", d)
	case 'c':
		return fmt.Errorf("unsupported dtype %q: complex numbers", d)
	case 'M', 'm':
		return fmt.Errorf("unsupported dtype %q: dates and times", d)
	case 'V':
		return fmt.Errorf("unsupported dtype %q: raw void records", d)
	}
	return fmt.Errorf("unsupported dtype %q", d)
}

// pyLexer reads the small subset of Python literals npy headers use.
type pyLexer struct {
	s string
	i int
}

func (p *pyLexer) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n') {
		p.i++
	}
}

func (p *pyLexer) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *pyLexer) eat(c byte) bool {
	if p.peek() == c {
		p.i++
		return true
	}
	return false
}

func (p *pyLexer) word(w string) bool {
	if strings.HasPrefix(p.s[p.i:], w) {
		p.i += len(w)
		return true
	}
	return false
}

func (p *pyLexer) str() (string, error) {
	q := p.peek()
	if q != '\'' && q != '"' {
		return "", fmt.Errorf("expected a quoted string at offset %d", p.i)
	}
	end := strings.IndexByte(p.s[p.i+1:], q)
	if end < 0 {
		return "", fmt.Errorf("unterminated string at offset %d", p.i)
	}
	v := p.s[p.i+1 : p.i+1+end]
	p.i += end + 2
	return v, nil
}

func (p *pyLexer) tuple() ([]int, error) {
	if !p.eat('(') {
		return nil, fmt.Errorf("expected '(' at offset %d", p.i)
	}
	shape := []int{}
	for {
		p.space()
		if p.eat(')') {
			return shape, nil
		}
		j := p.i
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
		}
		if p.i < len(p.s) && p.s[p.i] == 'L' { // Python 2 longs
			p.i++
		}
		n, err := strconv.ParseInt(strings.TrimSuffix(p.s[j:p.i], "L"), 10, 64)
		if err != nil || n > math.MaxInt32*int64(1<<20) {
			return nil, fmt.Errorf("bad dimension %q at offset %d", p.s[j:p.i], j)
		}
		shape = append(shape, int(n))
		p.space()
		if p.eat(',') {
			continue
		}
		p.space()
		if p.eat(')') {
			return shape, nil
		}
		return nil, fmt.Errorf("expected ',' or ')' at offset %d", p.i)
	}
}
