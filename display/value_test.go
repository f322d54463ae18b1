package display

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/subspace-kernel/subspace/native/intrinsic"
	"gonum.org/v1/gonum/mat"
)

// estimate is an intrinsic.Estimate with n pointwise values drawn from a
// seeded generator.
func estimate(n int, seed uint64) intrinsic.Estimate {
	r := rand.New(rand.NewPCG(seed, 2))
	pw := make([]float64, n)
	for i := range pw {
		pw[i] = 2 + r.Float64()
	}
	return intrinsic.Estimate{Method: "TwoNN(discard=0.1)", Dim: 2.9612345678, Pointwise: pw, N: n}
}

// wellFormed parses an HTML fragment as XML (the tables and notes Render
// writes are XHTML-compatible): every element closed, no tag or character
// reference cut in half.
func wellFormed(t *testing.T, h string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader("<root>" + h + "</root>"))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("HTML not well formed: %v\n%.300s ... %.300s", err, h, h[max(len(h)-300, 0):])
		}
	}
}

func TestStructTable(t *testing.T) {
	e := estimate(2000, 1)
	for _, v := range []any{e, &e} {
		b := Render(v)
		checkBundle(t, b)
		p := b.PlainText()
		head := fmt.Sprintf("[]float64 len 2000 [%s %s", FormatFloat(e.Pointwise[0], 4), FormatFloat(e.Pointwise[1], 4))
		tail := fmt.Sprintf(" %s %s]", FormatFloat(e.Pointwise[1998], 4), FormatFloat(e.Pointwise[1999], 4))
		for _, want := range []string{"intrinsic.Estimate\n", "Method      TwoNN(discard=0.1)\n", "Dim         2.9612345678\n",
			"Pointwise   " + head, tail, "N           2000\n", "Duplicates  0"} {
			if !strings.Contains(p, want) {
				t.Errorf("%T: plain lacks %q:\n%s", v, want, p)
			}
		}
		if len(p) > 400 {
			t.Errorf("%T: plain is %d bytes, want a short table:\n%s", v, len(p), p)
		}
		h := b.Data["text/html"].(string)
		wellFormed(t, h)
		for _, want := range []string{"<th>Pointwise</th><td>" + head, "<th>Dim</th><td>2.9612345678</td>"} {
			if !strings.Contains(h, want) {
				t.Errorf("%T: html lacks %q:\n%s", v, want, h)
			}
		}
	}
	if p := Render(&e).PlainText(); !strings.HasPrefix(p, "&intrinsic.Estimate\n") {
		t.Errorf("pointer caption: %q", p[:30])
	}
	// A struct pointing to itself is shown once, then by address.
	type node struct {
		Name string
		Next *node
	}
	n := &node{Name: "a"}
	n.Next = n
	if p := Render(n).PlainText(); !strings.Contains(p, "Next  0x") {
		t.Errorf("cycle:\n%s", p)
	}
	// Errors and Stringers print as fmt prints them, not as tables.
	if p := Render(errors.New("boom")).PlainText(); p != "boom" {
		t.Errorf("error: %q", p)
	}
	if p := Render(time.Unix(0, 0).UTC()).PlainText(); p != time.Unix(0, 0).UTC().String() {
		t.Errorf("Stringer: %q", p)
	}
}

// TestCellStructNames checks the names of the struct types yaegi builds
// for cells (reflect.StructOf, unexported names prefixed with X).
func TestCellStructNames(t *testing.T) {
	st := reflect.StructOf([]reflect.StructField{
		{Name: "Xx", Type: reflect.TypeOf(0)}, {Name: "Y", Type: reflect.TypeOf(0)}, {Name: "Xname", Type: reflect.TypeOf("")}})
	v := reflect.New(st).Elem()
	v.Field(0).SetInt(1)
	v.Field(1).SetInt(2)
	v.Field(2).SetString("a")
	if got, want := Render(v.Interface()).PlainText(), "struct{x int; Y int; name string}\nx     1\nY     2\nname  a"; got != want {
		t.Errorf("cell struct:\n%s\nwant\n%s", got, want)
	}
	s := reflect.MakeSlice(reflect.SliceOf(st), 2, 2)
	s.Index(1).Set(v)
	p := Render(s.Interface()).PlainText()
	if !strings.HasPrefix(p, "[]struct{x int; Y int; name string} (2 rows)\n   x  Y  name\n") {
		t.Errorf("cell struct slice:\n%s", p)
	}
}

func TestCompactNested(t *testing.T) {
	e := estimate(2000, 3)
	pw := e.Pointwise
	grid := make([][]float64, 300)
	for i := range grid {
		grid[i] = pw[i : i+50]
	}
	d := mat.NewDense(2, 2, []float64{1, 2, 3, 4.56789})
	big := mat.NewDense(100, 3, nil)
	big.Set(99, 2, 7)
	f4 := func(x float64) string { return FormatFloat(x, 4) }
	cases := []struct {
		name      string
		v         any
		width     int
		want      string   // exact text, when set
		has       []string // substrings, in order
		maxLength int
	}{
		{"small slice exact", []float64{1, 2.5, 3}, 80, "[1 2.5 3]", nil, 0},
		{"long slice elided", pw, 1000, "", []string{"[]float64 len 2000 [", f4(pw[0]) + " " + f4(pw[1]), " ... ", f4(pw[1998]) + " " + f4(pw[1999]) + "]"}, 100},
		{"nested slices", grid, 1000, "", []string{"[][]float64 len 300 [[]float64 len 50 [" + f4(pw[0]), " ... []float64 len 50 [" + f4(grid[297][0])}, 1000},
		{"in a cell", pw, 80, "", []string{"[]float64 len 2000 [" + f4(pw[0]), "...", f4(pw[1999]) + "]"}, 80},
		{"too narrow", pw, 20, "[]float64 len 2000", nil, 0},
		{"small matrix", d, 80, "*mat.Dense 2×2 [[1 2] [3 4.568]]", nil, 0},
		{"large matrix", big, 100, "", []string{"*mat.Dense 100×3 [[0 0 0] ", " ... ", "[0 0 7]]"}, 100},
		{"struct with slice", e, 200, "", []string{"{Method:TwoNN(discard=0.1) Dim:2.961 Pointwise:[]float64 len 2000", "N:2000 Duplicates:0}"}, 200},
		{"pointer to struct", &intrinsic.Estimate{Dim: 2}, 200, "&{Method: Dim:2 Pointwise:[] StdErr:0 N:0 Duplicates:0}", nil, 0},
		{"map sorted", map[int]string{10: "b", 2: "a"}, 80, "map[2:a 10:b]", nil, 0},
		{"nil inside", []any{nil, (*mat.Dense)(nil)}, 80, "[<nil> <nil>]", nil, 0},
		{"long string", strings.Repeat("x", 500), 60, "", []string{"xxx...", "(len 500)"}, 60},
	}
	for _, c := range cases {
		got := Compact(c.v, c.width)
		if c.want != "" && got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
		rest := got
		for _, h := range c.has {
			i := strings.Index(rest, h)
			if i < 0 {
				t.Errorf("%s: %q lacks %q (in order)", c.name, got, h)
				break
			}
			rest = rest[i+len(h):]
		}
		if c.maxLength > 0 && len(got) > c.maxLength {
			t.Errorf("%s: %d bytes > %d: %q", c.name, len(got), c.maxLength, got)
		}
	}
	// Text, what a cell's value prints, elides the same way.
	if got := Text(pw); !strings.HasPrefix(got, "[]float64 len 2000 [") || len(got) > 100 {
		t.Errorf("Text(2000 floats) = %q", got)
	}
}

func TestSliceOfStructsElided(t *testing.T) {
	withTableOptions(t, TableOptions{MaxRows: 20})
	ests := make([]intrinsic.Estimate, 200)
	for i := range ests {
		ests[i] = estimate(2000, uint64(i))
	}
	full := fmt.Sprintf("%v", ests)
	b := Render(ests)
	checkBundle(t, b)
	p := b.PlainText()
	h := b.Data["text/html"].(string)
	wellFormed(t, h)
	// 200 rows of 2000 floats are about 7 MB as fmt prints them; the table
	// shows 20 rows of one line each.
	if len(full) < 1_000_000 || len(p) > 4000 || len(h) > 8000 {
		t.Fatalf("sizes: fmt %d, plain %d, html %d bytes", len(full), len(p), len(h))
	}
	lines := strings.Split(p, "\n")
	if len(lines) != 2+20+1 || !strings.HasPrefix(lines[0], "[]intrinsic.Estimate (200 rows)") {
		t.Fatalf("plain has %d lines:\n%s", len(lines), p)
	}
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "199") || !strings.Contains(last, "[]float64 len 2000 ["+FormatFloat(ests[199].Pointwise[0], 4)) {
		t.Errorf("last row %q", last)
	}
	// Pointers to structs make the same table.
	ptrs := []*intrinsic.Estimate{&ests[0], nil}
	pp := Render(ptrs).PlainText()
	if !strings.Contains(pp, "[]float64 len 2000") || !strings.Contains(pp, "<nil>") || len(pp) > 600 {
		t.Errorf("pointer slice:\n%s", pp)
	}
}

func withLimits(t *testing.T, l Limits) {
	old := CurrentLimits()
	SetLimits(l)
	t.Cleanup(func() { SetLimits(old) })
}

func TestOutputCap(t *testing.T) {
	withLimits(t, Limits{Text: 1000, HTML: 2000})
	long := strings.Repeat("line of text\n", 500)
	b := Render(PlainText(long))
	p := b.PlainText()
	if len(p) > 1000+300 || !strings.HasPrefix(p, "line of text\n") ||
		!strings.Contains(p, "output cut: 1,000 of 6,500 bytes of text shown") || !strings.Contains(p, "display.Full(v)") {
		t.Fatalf("cut text (%d bytes):\n%s", len(p), p[max(len(p)-300, 0):])
	}
	if !strings.HasSuffix(strings.SplitN(p, "\n...", 2)[0], "line of text") {
		t.Errorf("text not cut at a line end")
	}
	// The renderer's own bundle is not changed; Full shows everything.
	raw := PlainText(long)
	Render(raw)
	if raw.Data["text/plain"] != long || Render(Full(raw)).PlainText() != long {
		t.Fatal("Render changed the Raw, or Full cut it")
	}
	// HTML is cut between tags, with the open elements closed.
	withTableOptions(t, TableOptions{MaxRows: 500})
	rows := make([]row, 300)
	for i := range rows {
		rows[i] = row{Name: fmt.Sprintf("<b>%d</b> & 'x'", i), Score: float64(i)}
	}
	rb := Render(rows)
	h := rb.Data["text/html"].(string)
	wellFormed(t, h)
	if len(h) > 2000+400 || !strings.Contains(h, "</tbody></table></div>") || !strings.Contains(h, "output cut: ") ||
		!strings.Contains(h, "bytes of HTML shown") || !strings.Contains(h, "&lt;b&gt;0&lt;/b&gt;") {
		t.Fatalf("cut html (%d bytes): %s", len(h), h)
	}
	if fh := Render(Full(rows)).Data["text/html"].(string); strings.Contains(fh, "output cut") || !strings.Contains(fh, "&lt;b&gt;299&lt;/b&gt;") {
		t.Fatal("Full(rows) was cut")
	}
	// A bundle with a richer part keeps its HTML fallback whole.
	richHTML := strings.Repeat("<p>x</p>", 1000)
	rich := Raw{Data: map[string]any{"text/plain": "chart", "text/html": richHTML, "application/vnd.test+json": map[string]any{}}}
	if Render(rich).Data["text/html"] != richHTML {
		t.Fatal("the HTML fallback of a rich bundle was cut")
	}
}

func TestCutHTML(t *testing.T) {
	cases := []struct {
		name, in string
		limit    int
		want     string
	}{
		{"between tags", "<div><p>ab</p><p>cd</p></div>", 16, "<div><p>ab</p></div>"},
		{"inside text", "<div><p>abcdef</p></div>", 11, "<div><p>abc</p></div>"},
		{"not in a tag", `<div><p class="a>b">x</p></div>`, 12, "<div></div>"},
		{"not in an entity", "<p>a &amp; b</p>", 8, "<p>a </p>"},
		{"not in a script", "<div><script>if (a<b) {}</script>tail</div>", 20, "<div></div>"},
		{"void elements", "<p>a<br>b<img src=x>cdefgh</p>", 24, "<p>a<br>b<img src=x>cdef</p>"},
		{"comment", "<p><!-- <b> -->abcdef</p>", 20, "<p><!-- <b> -->abcde</p>"},
		{"short", "<p>a</p>", 100, "<p>a</p>"},
	}
	for _, c := range cases {
		if got := cutHTML(c.in, c.limit); got != c.want {
			t.Errorf("%s: cutHTML(%q, %d) = %q, want %q", c.name, c.in, c.limit, got, c.want)
		}
	}
}

func TestStructName(t *testing.T) {
	field := func(name string, v any) reflect.StructField {
		return reflect.StructField{Name: name, Type: reflect.TypeOf(v)}
	}
	cases := []struct {
		fields []reflect.StructField
		want   string
	}{
		{[]reflect.StructField{field("Xx", 0), field("Y", "")}, "struct{x int; Y string}"},
		{[]reflect.StructField{field("Measure", ""), field("Rotated", 0.0), field("Stretched", 0.0), field("Mixed", 0.0)},
			"struct{Measure, Rotated, Stretched, Mixed}"},
		{[]reflect.StructField{field("Measure", ""), field("Rotated", 0.0), field("Stretched", 0.0), field("Mixed", 0.0),
			field("Another", 0), field("More", 0)}, "struct{Measure, Rotated, Stretched, Mixed, ...}"},
		{[]reflect.StructField{field("Xa", 0), field("Xb", 0), field("Xc", 0), field("Xd", 0), field("Xe", 0), field("Xf", 0.0)},
			"struct{a, b, c, d, e, f}"},
	}
	for _, c := range cases {
		if got := typeName(reflect.StructOf(c.fields)); got != c.want {
			t.Errorf("typeName = %q, want %q", got, c.want)
		}
	}
}
