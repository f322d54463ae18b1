package docgen

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func moduleRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

func TestBuildSample(t *testing.T) {
	const path = "github.com/subspace-kernel/subspace/kernel/complete/internal/docgen/testdata/sample"
	pkgs, warnings, err := Build(moduleRoot(t), []string{"./kernel/complete/internal/docgen/testdata/sample"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := pkgs[path]
	if p == nil {
		t.Fatalf("sample not indexed; warnings %q; got %v", warnings, pkgs)
	}
	if p.Name != "sample" || !strings.HasPrefix(p.Doc, "Package sample is a fixture") || !strings.Contains(p.Doc, "second paragraph") {
		t.Errorf("package name/doc = %q / %q", p.Name, p.Doc)
	}
	tests := []struct{ name, kind, sig, doc string }{
		{"Mode", "type", "type Mode int", "Mode selects a thing."},
		{"Fast", "const", "const Fast Mode = iota", "Fast is fast."},
		{"Slow", "const", "const Slow Mode", "Slow is slow."},
		{"Medium", "const", "const Medium Mode", "Modes."},
		{"MaxA", "const", "const MaxA = 1", "Limits of the sample."},
		{"MaxB", "const", "const MaxB = 2", "Limits of the sample."},
		{"Default", "var", "var Default = Fast", "Default is the default mode."},
		{"Point", "type", "type Point struct {\n\tX, Y float64 // coordinates\n\t// contains filtered or unexported fields\n}", "Point is a point."},
		{"NewPoint", "func", "func NewPoint(x, y float64) *Point", "NewPoint returns a point."},
		{"Point.Norm", "method", "func (p *Point) Norm() float64", "Norm returns the Euclidean norm."},
		{"Map", "func", "func Map[T any](xs []T, f func(T) T) []T", "Map applies f to xs."},
	}
	for _, tc := range tests {
		e, ok := p.Symbols[tc.name]
		if !ok {
			t.Errorf("%s missing", tc.name)
			continue
		}
		if e.Kind != tc.kind || e.Signature != tc.sig || strings.TrimSpace(e.Doc) != tc.doc {
			t.Errorf("%s = {%q, %q, %q}, want {%q, %q, %q}", tc.name, e.Kind, e.Signature, e.Doc, tc.kind, tc.sig, tc.doc)
		}
	}
	for _, name := range []string{"hidden", "unexported", "Point.private", "tag"} {
		if _, ok := p.Symbols[name]; ok {
			t.Errorf("unexported %s indexed", name)
		}
	}
	if len(p.Symbols) != len(tests)+1 { // + Long
		t.Errorf("%d symbols, want %d", len(p.Symbols), len(tests)+1)
	}
}

func TestTruncateDoc(t *testing.T) {
	doc := "First paragraph here.\n\nSecond paragraph that is rather long.\n\nThird."
	tests := []struct {
		max  int
		want string
	}{
		{0, doc},
		{len(doc), doc},
		{30, "First paragraph here.\n\n(Documentation truncated; see pkg.go.dev for the rest.)"},
		{60, "First paragraph here.\n\nSecond paragraph that is rather long.\n\n(Documentation truncated; see pkg.go.dev for the rest.)"},
		{8, "First paragraph…\n\n(Documentation truncated; see pkg.go.dev for the rest.)"},
	}
	for _, tc := range tests {
		if got := truncateDoc(doc, tc.max); got != tc.want {
			t.Errorf("truncateDoc(max=%d) = %q, want %q", tc.max, got, tc.want)
		}
	}
	long := strings.Repeat("word ", 10) + "end. " + strings.Repeat("more ", 20)
	if got := truncateDoc(long, 30); !strings.HasPrefix(got, strings.Repeat("word ", 10)+"end.\n\n(Documentation truncated") {
		t.Errorf("first paragraph longer than 2*max must be cut at a sentence end: %q", got)
	}
}

func TestStdPackages(t *testing.T) {
	std := StdPackages()
	has := map[string]bool{}
	for _, p := range std {
		has[p] = true
		if strings.Contains(strings.SplitN(p, "/", 2)[0], ".") {
			t.Errorf("non-standard package %s in StdPackages", p)
		}
	}
	for _, p := range []string{"builtin", "fmt", "math/rand/v2", "net/http", "strings"} {
		if !has[p] {
			t.Errorf("%s missing from StdPackages", p)
		}
	}
}

func TestFromDir(t *testing.T) {
	p, err := FromDir("testdata/sample", "example.com/sample", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if e := p.Symbols["NewPoint"]; e.Signature != "func NewPoint(x, y float64) *Point" || e.Kind != "func" {
		t.Errorf("NewPoint = %+v", e)
	}
	if _, err := FromDir("testdata/nosuchdir", "x", Options{}); err == nil {
		t.Errorf("FromDir of a missing directory must fail")
	}
}

func TestBuildSkipsCommands(t *testing.T) {
	pkgs, warnings, err := Build(moduleRoot(t), []string{"./kernel/complete/internal/gendocs", "./kernel/complete/internal/docgen/testdata/sample"}, Options{SkipInternal: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) != 0 || len(warnings) != 2 || !strings.Contains(warnings[0], "command or internal") {
		t.Fatalf("pkgs %v warnings %q: want the command and the internal package skipped", pkgs, warnings)
	}
}
