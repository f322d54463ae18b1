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
// it was forwarded, that sync markers never reach the output even when a
// write splits them, and that data passes through unchanged.
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
	// A marker prefix written by the user is not a marker: it is held back
	// only until it cannot be one, and forwarded.
	c.w.Write(syncMarker[:5])
	want.Write(syncMarker[:5])
	c.w.WriteString("tail\n")
	want.WriteString("tail\n")
	c.Flush(time.Second)
	if out.String() != want.String() {
		t.Fatalf("got %q..., want the input unchanged", out.String()[max(0, len(out.String())-20):])
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if partialSuffix([]byte("abc\x00\x1bsub"), syncMarker) != 5 || partialSuffix([]byte("abc"), syncMarker) != 0 {
		t.Fatal("partialSuffix")
	}
}
