package rewrite_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
)

// tag matches the comment that marks the code of a workaround.
var tag = regexp.MustCompile(`// (yaegi v0\.16\.1|kernel) \(([a-z-]+)\):`)

// TestWorkaroundsTagged checks that every workaround listed in
// rewrite.Workarounds is tagged in the package it names, and that every
// tag in the cell pipeline's sources is listed, with the right origin.
func TestWorkaroundsTagged(t *testing.T) {
	dirs := map[string]string{"rewrite": ".", "cell": ".."}
	tagged := map[string]string{} // name -> package
	origin := map[string]bool{}   // name -> tagged as yaegi
	for pkg, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range tag.FindAllStringSubmatch(string(data), -1) {
				tagged[m[2]] = pkg
				origin[m[2]] = m[1] != "kernel"
			}
		}
	}
	listed := map[string]bool{}
	for _, w := range rewrite.Workarounds {
		if listed[w.Name] {
			t.Errorf("workaround %s listed twice", w.Name)
		}
		listed[w.Name] = true
		pkg, ok := tagged[w.Name]
		switch {
		case !ok:
			t.Errorf("workaround %s is not tagged in the sources", w.Name)
		case pkg != w.Where:
			t.Errorf("workaround %s is tagged in package %s, listed in %s", w.Name, pkg, w.Where)
		case origin[w.Name] != w.Yaegi:
			t.Errorf("workaround %s: tagged yaegi=%v, listed yaegi=%v", w.Name, origin[w.Name], w.Yaegi)
		}
		if w.Behaviour == "" || w.Remedy == "" {
			t.Errorf("workaround %s lacks its behaviour or remedy", w.Name)
		}
	}
	for name, pkg := range tagged {
		if !listed[name] {
			t.Errorf("tag %s (package %s) is not listed in Workarounds", name, pkg)
		}
	}
}
