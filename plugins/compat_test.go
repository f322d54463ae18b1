package plugins

import (
	"io"
	"runtime/debug"
	"strings"
	"testing"
)

func TestCompare(t *testing.T) {
	kernel := func() *debug.BuildInfo {
		return &debug.BuildInfo{
			GoVersion: "go1.26.8",
			Main:      debug.Module{Path: "github.com/subspace-kernel/subspace", Version: "(devel)"},
			Deps: []*debug.Module{
				{Path: "gonum.org/v1/gonum", Version: "v0.17.0", Sum: "h1:A"},
				{Path: "github.com/traefik/yaegi", Version: "v0.16.1", Sum: "h1:B"},
				{Path: "example.com/forked", Version: "v1.0.0", Replace: &debug.Module{Path: "example.com/fork", Version: "v1.0.1", Sum: "h1:C"}},
			},
			Settings: []debug.BuildSetting{{Key: "-tags", Value: "openblas"}, {Key: "CGO_ENABLED", Value: "1"}, {Key: "GOAMD64", Value: "v1"}},
		}
	}
	good := func() *debug.BuildInfo {
		return &debug.BuildInfo{
			GoVersion: "go1.26.8",
			Main:      debug.Module{Path: "subspace.plugin/geom", Version: "(devel)"},
			Deps: []*debug.Module{
				{Path: "github.com/subspace-kernel/subspace", Version: "v0.0.0-00010101000000-000000000000", Replace: &debug.Module{Path: "/src/subspace", Version: "(devel)"}},
				{Path: "gonum.org/v1/gonum", Version: "v0.17.0", Sum: "h1:A"},
				{Path: "example.com/forked", Version: "v1.0.0", Replace: &debug.Module{Path: "example.com/fork", Version: "v1.0.1", Sum: "h1:C"}},
				{Path: "example.com/only-in-plugin", Version: "v2.0.0", Sum: "h1:D"},
			},
			Settings: []debug.BuildSetting{{Key: "-buildmode", Value: "plugin"}, {Key: "-tags", Value: "openblas"}, {Key: "CGO_ENABLED", Value: "1"}, {Key: "GOAMD64", Value: "v1"}, {Key: "-trimpath", Value: "false"}},
		}
	}
	for _, c := range []struct {
		name   string
		change func(p *debug.BuildInfo)
		want   []string // one Mismatch.String() each, in order
	}{
		{"same build", func(p *debug.BuildInfo) {}, nil},
		{"toolchain", func(p *debug.BuildInfo) { p.GoVersion = "go1.25.3" }, []string{"Go toolchain go1.25.3 (plugin) vs go1.26.8 (kernel)"}},
		{"module version", func(p *debug.BuildInfo) { p.Deps[1].Version = "v0.16.0" },
			[]string{"module gonum.org/v1/gonum v0.16.0 (plugin) vs v0.17.0 (kernel)"}},
		{"checksum", func(p *debug.BuildInfo) { p.Deps[1].Sum = "h1:Z" },
			[]string{"module gonum.org/v1/gonum checksum h1:Z (plugin) vs h1:A (kernel)"}},
		{"replacement", func(p *debug.BuildInfo) { p.Deps[2].Replace = nil },
			[]string{"module example.com/forked v1.0.0 (plugin) vs v1.0.0 => example.com/fork v1.0.1 (kernel)"}},
		{"kernel module from the proxy", func(p *debug.BuildInfo) { p.Deps[0].Replace = nil; p.Deps[0].Version = "v0.1.0" },
			[]string{"module github.com/subspace-kernel/subspace v0.1.0 (plugin) vs the kernel's own source tree (kernel)"}},
		{"tags", func(p *debug.BuildInfo) { p.Settings[1].Value = "" },
			[]string{"build setting -tags (none) (plugin) vs openblas (kernel)"}},
		{"trimpath", func(p *debug.BuildInfo) { p.Settings[4].Value = "true" },
			[]string{"build setting -trimpath true (plugin) vs (none) (kernel)"}},
		{"no cgo", func(p *debug.BuildInfo) { p.Settings[2].Value = "0" },
			[]string{"build setting CGO_ENABLED 0 (plugin) vs 1 (kernel)"}},
		{"two at once", func(p *debug.BuildInfo) { p.GoVersion = "go1.26.7"; p.Settings[3].Value = "v3" },
			[]string{"Go toolchain go1.26.7 (plugin) vs go1.26.8 (kernel)", "build setting GOAMD64 v3 (plugin) vs v1 (kernel)"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := good()
			c.change(p)
			var got []string
			for _, m := range Compare(p, kernel()) {
				got = append(got, m.String())
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("Compare:\n got %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestMismatchErrorText(t *testing.T) {
	e := &MismatchError{File: "/p/old.so", Mismatches: []Mismatch{{"Go toolchain", "go1.25.3", "go1.26.8"}},
		Rebuild: rebuildCommand(&Manifest{Origin: "gonum.org/v1/gonum/stat/combin@v0.17.0"})}
	want := "plugin /p/old.so does not match this kernel: Go toolchain go1.25.3 (plugin) vs go1.26.8 (kernel). " +
		"Rebuild it against this kernel with: `subspace plugin get gonum.org/v1/gonum/stat/combin@v0.17.0` (or %plugin get gonum.org/v1/gonum/stat/combin@v0.17.0 in a cell)"
	if e.Error() != want {
		t.Errorf("got  %s\nwant %s", e.Error(), want)
	}
}

func TestMergeSums(t *testing.T) {
	got := string(mergeSums([][]byte{[]byte("a h1:1\nb h1:2\n"), []byte("b h1:2\n\nc h1:3")}))
	if got != "a h1:1\nb h1:2\nc h1:3\n" {
		t.Errorf("mergeSums = %q", got)
	}
}

func TestParseBuildArgs(t *testing.T) {
	for _, c := range []struct {
		verb  string
		args  string
		want  BuildOptions
		quiet bool
		err   string
	}{
		{"build", "dir", BuildOptions{Dir: "dir"}, false, ""},
		{"build", "dir -o x.so -name n -q", BuildOptions{Dir: "dir", Out: "x.so", Name: "n"}, true, ""},
		{"build", "-import a/b -o x.so dir", BuildOptions{Dir: "dir", Out: "x.so", ImportPath: "a/b"}, false, ""},
		{"get", "m/p@v1.2.3", BuildOptions{Module: "m/p@v1.2.3"}, false, ""},
		{"get", "", BuildOptions{}, false, "usage: plugin get PKG@VERSION"},
		{"build", "a b", BuildOptions{}, false, "usage: plugin build DIR"},
		{"build", "dir -x", BuildOptions{}, false, "flag provided but not defined: -x"},
		{"load", "f", BuildOptions{}, false, "unknown plugin command"},
	} {
		o, quiet, err := ParseBuildArgs(c.verb, strings.Fields(c.args), io.Discard)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s %q: error %v, want %q", c.verb, c.args, err, c.err)
			}
			continue
		}
		if err != nil || quiet != c.quiet || o.Dir != c.want.Dir || o.Module != c.want.Module || o.Out != c.want.Out || o.Name != c.want.Name || o.ImportPath != c.want.ImportPath {
			t.Errorf("%s %q: %+v quiet=%v err=%v, want %+v quiet=%v", c.verb, c.args, o, quiet, err, c.want, c.quiet)
		}
	}
}
