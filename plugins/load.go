package plugins

import (
	"bytes"
	"debug/buildinfo"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"strings"

	"github.com/traefik/yaegi/interp"
)

// symbolsVar is the variable every plugin built by Build exports: its yaegi
// symbol tables (map[string]map[string]reflect.Value, the name yaegi's
// extract writes to). Its manifest is a string variable, read from the file.
const symbolsVar = "Symbols"

// The manifest is embedded in the plugin as one string literal between these
// markers, so that it can be read from the file before the plugin is opened.
const (
	manifestStart = "subspace.plugin.manifest.v1<"
	manifestEnd   = ">subspace.plugin.manifest.end"
)

// ErrUnsupported is wrapped by Load's error where this kernel cannot open
// shared-object plugins (built without cgo, or an OS without Go plugin
// support). Built-in plugins work everywhere.
var ErrUnsupported = errors.New("shared-object plugins are not supported by this kernel")

// ReadManifest reads the manifest embedded in a plugin file without opening
// it, and fills GoVersion and Modules from the file's Go build information.
// Cost: one read of the file (tens of MB) and a linear scan.
func ReadManifest(file string) (*Manifest, *debug.BuildInfo, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, err
	}
	i := bytes.Index(data, []byte(manifestStart))
	if i < 0 {
		return nil, nil, fmt.Errorf("%s is not a subspace plugin (no manifest in it): build plugins with `subspace plugin build DIR` or %%plugin build DIR", file)
	}
	rest := data[i+len(manifestStart):]
	j := bytes.Index(rest, []byte(manifestEnd))
	if j < 0 {
		return nil, nil, fmt.Errorf("%s: truncated plugin manifest", file)
	}
	m := new(Manifest)
	if err := json.Unmarshal(rest[:j], m); err != nil {
		return nil, nil, fmt.Errorf("%s: bad plugin manifest: %v", file, err)
	}
	bi, err := buildinfo.Read(bytes.NewReader(data))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: no Go build information: %v", file, err)
	}
	m.GoVersion = bi.GoVersion
	m.Modules = moduleVersions(bi)
	m.File = file
	return m, bi, nil
}

// Check reads a plugin's manifest and build information and compares them
// with the kernel's. It returns the manifest, and a *MismatchError naming
// every difference (and the command that rebuilds the plugin) when the
// plugin cannot be loaded into this kernel.
func Check(file string) (*Manifest, error) {
	m, bi, err := ReadManifest(file)
	if err != nil {
		return nil, err
	}
	kernel, err := kernelInfo()
	if err != nil {
		return m, err
	}
	if mm := Compare(bi, kernel); len(mm) > 0 {
		return m, &MismatchError{File: file, Mismatches: mm, Rebuild: rebuildCommand(m)}
	}
	return m, nil
}

func rebuildCommand(m *Manifest) string {
	origin := m.Origin
	if origin == "" {
		origin = "DIR"
	}
	verb := "build"
	if !filepath.IsAbs(origin) && strings.Contains(origin, "@") {
		verb = "get"
	}
	return fmt.Sprintf("`subspace plugin %s %s` (or %%plugin %s %s in a cell)", verb, origin, verb, origin)
}

// Load checks a plugin file against the kernel (Check), opens it and returns
// its manifest and symbol tables, ready for interp.Use / Session.Use. It
// refuses, with an error and without opening it, a plugin built with another
// Go toolchain, other module versions or other build settings, and a plugin
// providing a package that is built in or that another loaded plugin
// already provides (Go cannot unload plugins: restart the kernel to load a
// changed version). Loading the same unchanged file again returns the first
// result. The kernel keeps running whatever the outcome.
func Load(file string) (*Manifest, interp.Exports, error) {
	if ok, why := Supported(); !ok {
		return nil, nil, fmt.Errorf("cannot load %s: %w: %s", file, ErrUnsupported, why)
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, nil, err
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, nil, err
	}
	registry.mu.Lock()
	defer registry.mu.Unlock()
	for _, l := range registry.loaded {
		if l.m.File != abs {
			continue
		}
		if !st.ModTime().Equal(l.mtime) || st.Size() != l.size {
			return nil, nil, fmt.Errorf("plugin %s was loaded from %s before that file changed (rebuilt?); Go cannot unload a plugin: restart the kernel to load the new one", l.m.Name, abs)
		}
		m := *l.m
		return &m, l.exports, nil
	}
	m, err := Check(abs)
	if err != nil {
		return m, nil, err
	}
	for _, p := range m.Packages {
		if other, ok := providerLocked(p); ok {
			if other.Builtin() {
				return m, nil, fmt.Errorf("package %s is built into the kernel (plugin %s); plugin %s cannot replace it", p, other.Name, abs)
			}
			return m, nil, fmt.Errorf("package %s is already provided by plugin %s loaded from %s; Go cannot unload a plugin: restart the kernel to load %s", p, other.Name, other.File, abs)
		}
	}
	lookup, err := open(abs)
	if err != nil {
		return m, nil, fmt.Errorf("%w. If it was built for another kernel, rebuild it with %s", err, rebuildCommand(m))
	}
	sym, err := lookup(symbolsVar)
	if err != nil {
		return m, nil, fmt.Errorf("%s: %v", abs, err)
	}
	tables, ok := sym.(*map[string]map[string]reflect.Value)
	if !ok {
		return m, nil, fmt.Errorf("%s: variable %s has type %T, want *map[string]map[string]reflect.Value", abs, symbolsVar, sym)
	}
	exports := interp.Exports(*tables)
	registry.loaded = append(registry.loaded, loaded{m: m, exports: exports, mtime: st.ModTime(), size: st.Size()})
	c := *m
	return &c, exports, nil
}
