package complete

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/subspace-kernel/subspace/kernel/complete/internal/docgen"
)

// TestDocIndexUpToDate fails when the committed index was generated for a
// different package list, generator version, Go release or gonum /
// go-echarts / yaegi version than the current ones. It compares hashes
// instead of regenerating (regenerating takes a few seconds of CPU on a
// shared machine and would compare this module's ./native and ./display
// packages, which change all the time); the generator's own test checks
// what it writes. Packages of this module missing from the index are only
// logged.
func TestDocIndexUpToDate(t *testing.T) {
	if err := Preload(); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(out)))
	fixed := docgen.FixedPackages()
	hash, err := docgen.ListHash(root, fixed)
	if err != nil {
		t.Fatal(err)
	}
	if docs.index.Version != docgen.Version || docs.index.ListHash != hash {
		t.Fatalf("the embedded doc index is stale (version %q hash %q, want %q %q): run `go generate ./kernel/complete/`",
			docs.index.Version, docs.index.ListHash, docgen.Version, hash)
	}
	for _, p := range fixed {
		pd, ok := lookupPackage(p)
		if !ok || len(pd.Symbols) == 0 {
			t.Errorf("package %s missing or empty in the doc index", p)
		}
	}
	cmd := exec.Command("go", append([]string{"list", "-e", "-f", "{{if .GoFiles}}{{.ImportPath}}{{end}}"}, docgen.Local...)...)
	cmd.Dir = root
	local, err := cmd.Output()
	if err == nil {
		for _, p := range strings.Fields(string(local)) {
			if _, ok := lookupPackage(p); !ok {
				t.Logf("module package %s is not in the doc index yet (run `go generate ./kernel/complete/`)", p)
			}
		}
	}
}

// TestDocIndexSize keeps the embedded index small.
func TestDocIndexSize(t *testing.T) {
	if n := len(docIndexGz); n > 3<<20 {
		t.Fatalf("embedded doc index is %d bytes, want < 3 MiB", n)
	}
}

func TestDocsFromDirAndRegister(t *testing.T) {
	entries, err := DocsFromDir("internal/docgen/testdata/sample")
	if err != nil {
		t.Fatal(err)
	}
	RegisterDocs("example.com/plugins/sample", entries)
	got := Inspect("sample.NewPoint(1, 2)", 10, 0, nil)
	if !strings.Contains(got.Text, "func NewPoint(x, y float64) *Point") || !strings.Contains(got.Text, "NewPoint returns a point.") {
		t.Fatalf("plugin docs not found:\n%s", got.Text)
	}
	if _, err := DocsFromDir("internal/docgen/testdata"); err == nil {
		t.Fatalf("a directory without Go files must give an error")
	}
}
