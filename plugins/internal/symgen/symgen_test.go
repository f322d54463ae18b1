package symgen

import (
	"os"
	"path/filepath"
	"testing"
)

// TestAPIFingerprint checks that the fingerprint changes exactly when what
// yaegi's extract reads changes.
func TestAPIFingerprint(t *testing.T) {
	const base = `package p

// F does things.
func F(x int) int { return x + 1 }

func helper() {}

type T struct{ A int }

func (T) M() {}

type I interface{ Do(x int) error }

const C = 3

var V = 1
`
	fp := func(src string) string {
		t.Helper()
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "p.go"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := APIFingerprint(dir, []string{"p.go"})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	b := fp(base)
	for _, c := range []struct {
		name, old, new string
		changes        bool
	}{
		{"body", "return x + 1", "return x + 2", false},
		{"comment", "// F does things.", "// F does other things.", false},
		{"unexported func", "func helper() {}", "func helper2() {}", false},
		{"struct field", "A int", "A, B int", false},
		{"method of a struct", "func (T) M() {}", "func (T) M2() {}", false},
		{"exported func renamed", "func F(", "func G(", true},
		{"func made generic", "func F(x int) int { return x + 1 }", "func F[X any](x X) X { return x }", true},
		{"interface method", "Do(x int) error", "Do(x int64) error", true},
		{"constant value", "const C = 3", "const C = 4", true},
		{"exported var added", "var V = 1", "var V, W = 1, 2", true},
		{"type made alias", "type T struct{ A int }", "type T = struct{ A int }", true},
	} {
		src := replaceOnce(t, base, c.old, c.new)
		if got := fp(src) != b; got != c.changes {
			t.Errorf("%s: fingerprint changed = %v, want %v", c.name, got, c.changes)
		}
	}
}

func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	for i := 0; i+len(old) <= len(s); i++ {
		if s[i:i+len(old)] == old {
			return s[:i] + new + s[i+len(old):]
		}
	}
	t.Fatalf("%q not in source", old)
	return ""
}

func TestGroups(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.go"), []byte("package a\n\nfunc A() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	pkgs := []Package{
		{ImportPath: "gonum.org/v1/gonum/mat", Module: "gonum.org/v1/gonum", Version: "v0.17.0"},
		{ImportPath: "example.com/m/native/a", Module: "example.com/m", Local: true, Doc: "Package a does A.", Dir: dir, Files: []string{"a.go"}},
		{ImportPath: "gonum.org/v1/gonum/stat", Module: "gonum.org/v1/gonum", Version: "v0.17.0"},
		{ImportPath: "github.com/go-echarts/go-echarts/v2/charts", Module: "github.com/go-echarts/go-echarts/v2", Version: "v2.6.7"},
	}
	groups, err := Groups(pkgs, map[string]string{"gonum.org/v1/gonum": "numbers"})
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 3 {
		t.Fatalf("%d groups, want 3: %+v", len(groups), groups)
	}
	want := []struct{ name, version, desc string }{{"go-echarts", "v2.6.7", ""}, {"gonum", "v0.17.0", "numbers"}, {"native/a", "", "Package a does A."}}
	for i, w := range want {
		g := groups[i]
		if g.Name != w.name || g.Version != w.version || g.Description != w.desc {
			t.Errorf("group %d = %+v, want %+v", i, g, w)
		}
	}
	if p := groups[1].Packages; len(p) != 2 || p[0] != "gonum.org/v1/gonum/mat" || p[1] != "gonum.org/v1/gonum/stat" {
		t.Errorf("gonum packages %v", p)
	}
	if groups[2].API == "" || groups[0].API != "" {
		t.Errorf("API fingerprints: local %q, third-party %q", groups[2].API, groups[0].API)
	}
	if got := FileName("github.com/go-echarts/go-echarts/v2/charts"); got != "zz_github_com_go_echarts_go_echarts_v2_charts.go" {
		t.Errorf("FileName = %s", got)
	}
}
