package main

import (
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/subspace-kernel/subspace"

// layerRules are the import edges the architecture forbids: a package
// matching from may not depend, even indirectly, on a package matching
// any of to. A pattern ending in "/..." matches the package and those
// below it.
var layerRules = []struct {
	from string
	to   []string
	why  string
}{
	{"native/...", []string{"kernel/...", "display/...", "plugins/...", "api/..."}, "compiled numerics know nothing of the kernel"},
	{"plugins", []string{"kernel/..."}, "the plugin core (registry, build, compatibility, load) is a leaf the kernel uses"},
	{"kernel", []string{"github.com/traefik/yaegi/...", "display/...", "kernel/cell/...", "kernel/engine"}, "the protocol server knows only api.Engine and MIME bundles"},
	{"kernel/wire", []string{"github.com/traefik/yaegi/...", "display/...", "kernel/cell/..."}, "the wire format is protocol only"},
	{"kernel/zmtp", []string{"github.com/traefik/yaegi/...", "display/...", "kernel/cell/..."}, "the transport is protocol only"},
	{"kernel/supervise", []string{"github.com/traefik/yaegi/...", "display/...", "kernel/cell/...", "kernel/engine", "kernel/wire", "kernel/zmtp"}, "the worker proxy knows only api.Engine and processes"},
	{"api", []string{"*"}, "the boundary types depend on the standard library only"},
	{"kernel/cell/rewrite", []string{"github.com/traefik/yaegi/...", "kernel/cell"}, "rewrites are pure source-to-source functions"},
	{"kernel/magic", []string{"github.com/traefik/yaegi/...", "kernel/cell/..."}, "magics see a session through an interface"},
	{"kernel/cell/check", []string{"github.com/traefik/yaegi/interp", "kernel/cell", "kernel/complete"}, "the type checker reads symbol tables and cell source, never a session"},
	{"display/...", []string{"kernel/...", "plugins/..."}, "display is a library cells import"},
}

// match reports whether import path p matches pattern (relative to the
// module unless it has a dot in its first element; "*" matches any
// package outside the standard library).
func match(pattern, p string) bool {
	if pattern == "*" {
		first, _, _ := strings.Cut(p, "/")
		return strings.Contains(first, ".")
	}
	if first, _, _ := strings.Cut(pattern, "/"); !strings.Contains(first, ".") {
		pattern = module + "/" + pattern
	}
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return p == base || strings.HasPrefix(p, base+"/")
	}
	return p == pattern
}

// TestLayers checks the import graph of the module's packages (go list
// -deps -json) against layerRules.
func TestLayers(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "-json", module+"/...")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	deps := map[string][]string{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p struct {
			ImportPath string
			Deps       []string
			Standard   bool
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(p.ImportPath, module) {
			deps[p.ImportPath] = p.Deps
		}
	}
	checked := 0
	for _, r := range layerRules {
		for pkg, ds := range deps {
			if !match(r.from, pkg) {
				continue
			}
			checked++
			for _, d := range ds {
				for _, to := range r.to {
					if match(to, d) {
						t.Errorf("%s depends on %s, which %s may not (%s)", strings.TrimPrefix(pkg, module+"/"), d, r.from, r.why)
					}
				}
			}
		}
	}
	if len(deps) < 20 || checked < len(layerRules) {
		t.Fatalf("go list gave %d packages of the module, %d rule applications: the test does not see the module", len(deps), checked)
	}
}
