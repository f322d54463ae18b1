package cell

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestPanicLine(t *testing.T) {
	for _, c := range []struct {
		line string
		want bool
	}{
		{"cell[3]/_.go:4:2: panic: main.f(...)\n", true},
		{"cell[12]:1:1: panic: main(...)\n", true},
		{"expr/_.go:1:3: panic: main(...)\n", true},
		{"1:28: panic: main(...)\n", true},
		{"panic: something\n", false},
		{"cell[3]/_.go:4:2: panic: main.f(...)\nand more\n", false},
		{"the cell[3]/_.go:4:2: panic", false},
	} {
		if got := panicLine.MatchString(c.line); got != c.want {
			t.Errorf("panicLine(%q) = %v, want %v", c.line, got, c.want)
		}
	}
}

// TestPipeCopier checks that Flush returns after everything written before
// it was forwarded, and that data passes through unchanged (also bytes
// that once made the copier's in-band sync marker).
func TestPipeCopier(t *testing.T) {
	var out syncBuffer
	c, err := newPipeCopier(&out)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	for i := 0; i < 200; i++ {
		line := strings.Repeat("x", i) + "\n"
		c.w.WriteString(line)
		want.WriteString(line)
		if i%50 == 0 {
			c.Flush(time.Second)
			if out.String() != want.String() {
				t.Fatalf("after Flush %d: got %d bytes, want %d", i, len(out.String()), want.Len())
			}
		}
	}
	c.w.Write([]byte("\x00\x1bsub"))
	want.Write([]byte("\x00\x1bsub"))
	c.w.WriteString("tail\n")
	want.WriteString("tail\n")
	c.Flush(time.Second)
	if out.String() != want.String() {
		t.Fatalf("got %q..., want the input unchanged", out.String()[max(0, len(out.String())-20):])
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
}
