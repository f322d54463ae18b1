// Package pyref runs reference computations in Python (numpy, scipy,
// scikit-learn) from Go tests, so that a test compares against values
// computed in the same run rather than hard-coded ones.
//
// Scripts run under /usr/bin/python3 (the interpreter that has the
// packages; the python3 on PATH may not). Inputs go in as JSON on stdin or
// as .npy files (WriteNPY), outputs come back as JSON on stdout (JSON) or
// raw bytes (Run). A missing interpreter or module fails the test (it does
// not skip it) with a message telling to run `make deps`.
package pyref

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// Python is the interpreter every reference script runs under.
const Python = "/usr/bin/python3"

// Run runs script under Python with stdin (may be nil) and the extra
// command-line arguments args, and returns its standard output. script is
// either the path of a .py file (one line ending in ".py", relative to the
// test's directory) or Python source run with -c; in both cases
// sys.argv[1:] is args. It fails t when the interpreter is missing or the
// script exits non-zero, quoting the script's stderr and saying to run
// `make deps` (naming the module when Python reports one missing). The cost
// is a Python start (about 0.1 s, more with scipy or sklearn imports) plus
// the script's own.
func Run(t testing.TB, script string, stdin []byte, args ...string) []byte {
	t.Helper()
	if _, err := os.Stat(Python); err != nil {
		t.Fatalf("pyref: %s not found: run `make deps` (python3 with numpy, scipy and scikit-learn)", Python)
	}
	name := "inline script"
	argv := []string{"-c", script}
	if strings.HasSuffix(script, ".py") && !strings.ContainsAny(script, "\n;") {
		name = script
		argv = []string{script}
	}
	cmd := exec.Command(Python, append(argv, args...)...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := stderr.String()
		if m := missingModule(msg); m != "" {
			t.Fatalf("pyref: %s needs the Python module %q, which %s lacks: run `make deps`\n%s", name, m, Python, msg)
		}
		t.Fatalf("pyref: %s failed under %s: %v\n%s\n(run `make deps` if a module is missing)", name, Python, err, msg)
	}
	return stdout.Bytes()
}

// missingModule returns the module named by a ModuleNotFoundError in
// Python's stderr, or "".
func missingModule(stderr string) string {
	const marker = "ModuleNotFoundError: No module named "
	i := strings.LastIndex(stderr, marker)
	if i < 0 {
		return ""
	}
	rest := stderr[i+len(marker):]
	if j := strings.IndexByte(rest, '\n'); j >= 0 {
		rest = rest[:j]
	}
	return strings.Trim(rest, `'" `)
}

// JSON runs script (as Run, with args) with the JSON encoding of in on its
// stdin (nothing when in is nil) and decodes its JSON stdout into out (a
// pointer). It fails t when in cannot be encoded or the output decoded,
// quoting the output. Python's json writes NaN and Infinity, which
// encoding/json rejects: scripts must map them to null or strings.
func JSON(t testing.TB, script string, in, out any, args ...string) {
	t.Helper()
	var stdin []byte
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatalf("pyref: encoding the input: %v", err)
		}
		stdin = b
	}
	stdout := Run(t, script, stdin, args...)
	if err := json.Unmarshal(stdout, out); err != nil {
		t.Fatalf("pyref: decoding the output of the reference script: %v\n%s", err, truncate(stdout, 2000))
	}
}

func truncate(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	return string(b[:n]) + fmt.Sprintf("... (%d bytes)", len(b))
}

// Rows copies m into a slice of rows, the form json.Marshal turns into a
// nested list numpy.array reads as an r x c array. O(r c) time and memory.
func Rows(m mat.Matrix) [][]float64 {
	r, c := m.Dims()
	out := make([][]float64, r)
	for i := range out {
		row := make([]float64, c)
		if d, ok := m.(mat.RawRowViewer); ok {
			copy(row, d.RawRowView(i))
		} else {
			for j := range row {
				row[j] = m.At(i, j)
			}
		}
		out[i] = row
	}
	return out
}

// WriteNPY writes m as a float64, C-order, 2-D .npy file (format 1.0) in
// a directory of t.TempDir() and returns its path, for scripts that take
// matrices too large for JSON (numpy.load(path)). Values, NaN and Inf
// included, round-trip exactly. O(r c) time, 8 r c bytes on disk.
func WriteNPY(t testing.TB, m mat.Matrix) string {
	t.Helper()
	r, c := m.Dims()
	header := fmt.Sprintf("{'descr': '<f8', 'fortran_order': False, 'shape': (%d, %d), }", r, c)
	// magic (6) + version (2) + header length (2) + header + '\n' padded
	// to a multiple of 64 bytes.
	pad := 64 - (10+len(header)+1)%64
	if pad == 64 {
		pad = 0
	}
	header += strings.Repeat(" ", pad) + "\n"
	var buf bytes.Buffer
	buf.Grow(10 + len(header) + 8*r*c)
	buf.WriteString("\x93NUMPY\x01\x00")
	binary.Write(&buf, binary.LittleEndian, uint16(len(header))) //nolint:errcheck // bytes.Buffer writes cannot fail
	buf.WriteString(header)
	var b [8]byte
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			binary.LittleEndian.PutUint64(b[:], math.Float64bits(m.At(i, j)))
			buf.Write(b[:])
		}
	}
	f, err := os.CreateTemp(t.TempDir(), "pyref-*.npy")
	if err != nil {
		t.Fatalf("pyref: %v", err)
	}
	path := f.Name()
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		t.Fatalf("pyref: writing %s: %v", filepath.Base(path), err)
	}
	if err := f.Close(); err != nil {
		t.Fatalf("pyref: closing %s: %v", filepath.Base(path), err)
	}
	return path
}
