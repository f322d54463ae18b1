// Package plugins is the registry of compiled Go that notebook cells can
// import: the packages built into the kernel (the standard library, gonum,
// go-echarts and every package under native/ and display/, whose yaegi symbol
// tables are generated into plugins/symbols by `go generate ./plugins/...`),
// and shared-object plugins (`-buildmode=plugin` .so files) loaded at run
// time after their build information was checked against the kernel's own.
//
// A plugin is described by a Manifest. Build turns a directory of Go code, or
// a public module at a version, into a .so pinned to the kernel's toolchain
// and module versions; Load checks and opens one. The package imports
// nothing of the kernel: package pluginmagic loads plugins into a cell
// session and gives cells the %plugin and %plugins magics.
package plugins

import (
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/subspace-kernel/subspace/api"
	"github.com/subspace-kernel/subspace/plugins/symbols"
	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
	"github.com/traefik/yaegi/stdlib/unsafe"
)

// Manifest describes a plugin: what it provides to cells and what it was
// built with.
type Manifest struct {
	// Name is the plugin's short name ("gonum", "native/knn", "geom").
	Name string `json:"name"`
	// Packages are the import paths cells can import from it.
	Packages []string `json:"packages"`
	// Version is the plugin's own version ("(devel)" when built from a
	// directory without one).
	Version string `json:"version"`
	// GoVersion is the Go toolchain it was compiled with ("go1.26.8").
	GoVersion string `json:"go_version"`
	// Modules maps each module linked into it to its version.
	Modules map[string]string `json:"modules"`
	// Description is one line saying what it is for.
	Description string `json:"description"`
	// Origin is what it was built from: a directory or MODULE@VERSION for
	// shared plugins, "built in" for the others.
	Origin string `json:"origin,omitempty"`
	// File is the .so it was loaded from; empty for built-in plugins.
	File string `json:"file,omitempty"`
	// Docs holds the documentation of each package's exported names, by
	// import path then name ("Func", "Type", "Type.Method"), for completion
	// and inspection.
	Docs map[string]map[string]api.DocEntry `json:"docs,omitempty"`
}

// Builtin reports whether the plugin is compiled into the kernel.
func (m *Manifest) Builtin() bool { return m.File == "" }

// Symbols returns the symbol tables built into the kernel beyond the
// standard library: unsafe (for zero-copy views of slices) and the generated
// tables of gonum, go-echarts, native/... and display/.... Pass them to
// cell.Options.Symbols (or interp.Use). The standard library itself comes
// from yaegi's stdlib.Symbols, which cell.New always uses and which must be
// used only once per interpreter (its generic packages are source code):
// its restricted wrappers make os.Exit and log.Fatal* panic instead of ending
// the process; yaegi's unrestricted tables (os/exec, the real os.Exit) and
// syscall are left out so that a cell cannot end the kernel. The maps are
// shared, not copied: O(1).
func Symbols() []interp.Exports {
	return []interp.Exports{unsafe.Symbols, symbols.Symbols}
}

var registry struct {
	mu     sync.Mutex
	loaded []loaded // shared plugins, in load order
}

// loaded is a shared plugin opened by Load.
type loaded struct {
	m       *Manifest
	exports interp.Exports
	mtime   time.Time // of the file when it was opened
	size    int64
}

// Manifests returns the manifests of the built-in plugins (the standard
// library first) followed by the shared plugins loaded so far, in load
// order. Versions of built-in plugins come from the kernel's build
// information. O(number of packages).
func Manifests() []Manifest {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	return manifestsLocked()
}

func manifestsLocked() []Manifest {
	out := builtinManifests()
	for _, l := range registry.loaded {
		out = append(out, *l.m)
	}
	return out
}

// builtinManifests derives the manifests of the built-in plugins from the
// generated list and the kernel's build information.
func builtinManifests() []Manifest {
	versions := map[string]string{}
	mainPath, mainVersion := "", "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok {
		mainPath = bi.Main.Path
		if bi.Main.Version != "" {
			mainVersion = bi.Main.Version
		}
		for _, d := range bi.Deps {
			versions[d.Path] = effective(d).Version
		}
	}
	var std []string
	for k := range stdlib.Symbols {
		if p := stdPackage(k); p != "" {
			std = append(std, p)
		}
	}
	std = append(std, "unsafe")
	sort.Strings(std)
	out := []Manifest{{
		Name:        "stdlib",
		Packages:    std,
		Version:     runtime.Version(),
		GoVersion:   runtime.Version(),
		Modules:     map[string]string{},
		Description: "Go standard library through yaegi's wrappers, and unsafe; os.Exit and log.Fatal* panic instead of ending the kernel, and os/exec and syscall are left out.",
		Origin:      "built in",
	}}
	for _, g := range symbols.Builtin {
		v := versions[g.Module]
		if g.Module == mainPath || v == "" {
			v = g.Version
		}
		if v == "" {
			v = mainVersion
		}
		out = append(out, Manifest{
			Name:        g.Name,
			Packages:    append([]string(nil), g.Packages...),
			Version:     v,
			GoVersion:   runtime.Version(),
			Modules:     map[string]string{g.Module: v},
			Description: g.Description,
			Origin:      "built in",
		})
	}
	return out
}

// stdPackage turns a yaegi stdlib key ("net/http/http") into an import path,
// or "" for yaegi's own entries.
func stdPackage(key string) string {
	i := strings.LastIndex(key, "/")
	if i < 0 || strings.Contains(key, ".") {
		return ""
	}
	return key[:i]
}

// effective returns the module actually linked for d (its replacement when
// replaced).
func effective(d *debug.Module) *debug.Module {
	if d.Replace != nil {
		return d.Replace
	}
	return d
}

// Provider returns the manifest of the plugin, built in or loaded, that
// provides importPath, and false when none does. O(total packages).
func Provider(importPath string) (Manifest, bool) {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	return providerLocked(importPath)
}

func providerLocked(importPath string) (Manifest, bool) {
	for _, m := range manifestsLocked() {
		for _, p := range m.Packages {
			if p == importPath {
				return m, true
			}
		}
	}
	return Manifest{}, false
}
