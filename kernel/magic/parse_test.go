package magic

import (
	"reflect"
	"testing"
)

// TestParse splits cells into their magic steps and Go code, with the
// positions of the Go code kept (magic lines blank).
func TestParse(t *testing.T) {
	for _, c := range []struct {
		cell string
		want []Step
	}{
		{"x := 1", []Step{{Kind: Go, Code: "x := 1"}}},
		{"", []Step{{Kind: Go, Code: ""}}},
		{"%who", []Step{{Kind: Line, Name: "who"}, {Kind: Go, Code: "\n"}}},
		{"// note\n%env A=1\nx := 2\n%not a magic", []Step{
			{Kind: Line, Name: "env", Args: "A=1"},
			{Kind: Go, Code: "// note\n\nx := 2\n%not a magic"}}},
		{"%env\tA=1 ", []Step{{Kind: Line, Name: "env", Args: "A=1"}, {Kind: Go, Code: "\n"}}},
		{"%%hello a b\nline 1\nline 2", []Step{
			{Kind: CellMagic, Name: "hello", Args: "a b", Body: "line 1\nline 2", Code: "\nline 1\nline 2"}}},
		{"%%time\ny := 20\ny + 1", []Step{{Kind: TimeCell, Name: "time", Body: "y := 20\ny + 1", Code: "\ny := 20\ny + 1"}}},
		{"%time 6 * 7", []Step{{Kind: Time, Name: "time", Args: "6 * 7", Code: "      6 * 7\n", Last: true}}},
		{"\n%time z := 2\nz * 5", []Step{
			{Kind: Time, Name: "time", Args: "z := 2", Code: "\n      z := 2\n"},
			{Kind: Go, Code: "\n\nz * 5"}}},
		{"%who\n%time f()\n", []Step{
			{Kind: Line, Name: "who"},
			{Kind: Time, Name: "time", Args: "f()", Code: "\n      f()\n", Last: true}}},
		{"%time", []Step{{Kind: Time, Name: "time", Code: "%time\n", Last: true}}},
	} {
		if got := Parse(c.cell); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Parse(%q) =\n%#v\nwant\n%#v", c.cell, got, c.want)
		}
	}
}

// TestRegistry checks the built-in magics and registration.
func TestRegistry(t *testing.T) {
	r := NewRegistry()
	want := []string{"%env", "%help", "%reset", "%time", "%who"}
	if got := r.Names(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Names() = %v, want %v", got, want)
	}
	r.Register(Magic{Name: "a", Help: "first"})
	if m, ok := r.Lookup("a"); !ok || m.Help != "first" {
		t.Fatalf("Lookup(a) = %v, %v", m, ok)
	}
	if _, ok := r.Lookup("nosuch"); ok {
		t.Fatal("Lookup of an unknown magic")
	}
	if got := r.All()[0].Name; got != "a" {
		t.Fatalf("All() not sorted: first %q", got)
	}
}
