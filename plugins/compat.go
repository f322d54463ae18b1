package plugins

import (
	"fmt"
	"runtime/debug"
	"sort"
	"strings"
)

// Mismatch is one difference between a plugin's build and the kernel's.
type Mismatch struct {
	What   string // "Go toolchain", "module gonum.org/v1/gonum", "build setting -tags", ...
	Plugin string // the plugin's value ("" when unset)
	Kernel string // the kernel's value
}

// String says "WHAT PLUGIN (plugin) vs KERNEL (kernel)".
func (m Mismatch) String() string {
	return fmt.Sprintf("%s %s (plugin) vs %s (kernel)", m.What, orNone(m.Plugin), orNone(m.Kernel))
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// MismatchError is returned when a plugin was not built with the kernel's
// toolchain, module versions or build settings; Go would refuse to load it,
// or it would not share types with the kernel.
type MismatchError struct {
	File       string
	Mismatches []Mismatch
	// Rebuild is the command that rebuilds the plugin against this kernel.
	Rebuild string
}

// Error names the file, every mismatch and the rebuild command.
func (e *MismatchError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "plugin %s does not match this kernel: ", e.File)
	for i, m := range e.Mismatches {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(m.String())
	}
	fmt.Fprintf(&b, ". Rebuild it against this kernel with: %s", e.Rebuild)
	return b.String()
}

// settingsChecked are the build settings that change compiled packages, and
// so must be equal in the kernel and its plugins.
var settingsChecked = []string{
	"-tags", "-trimpath", "-race", "-msan", "-asan", "-gcflags", "-asmflags",
	"GOOS", "GOARCH", "GOAMD64", "GOARM", "GOARM64", "GO386", "GOPPC64", "GORISCV64", "GOEXPERIMENT",
}

// Compare lists the differences between a plugin's build information and
// the kernel's that prevent loading it: the Go toolchain, the version (and
// checksum) of every module both link, the build settings that change
// compiled code, and cgo, which plugins require. Modules only the plugin
// links are fine. The kernel's own main module must come into the plugin
// through a directory replacement (its content is then checked by the Go
// runtime when the plugin is opened). O(number of modules).
func Compare(plugin, kernel *debug.BuildInfo) []Mismatch {
	var out []Mismatch
	if plugin.GoVersion != kernel.GoVersion {
		out = append(out, Mismatch{"Go toolchain", plugin.GoVersion, kernel.GoVersion})
	}
	kdeps := map[string]*debug.Module{}
	for _, d := range kernel.Deps {
		kdeps[d.Path] = d
	}
	for _, d := range plugin.Deps {
		if d.Path == kernel.Main.Path {
			if d.Replace == nil || d.Replace.Version != "" && d.Replace.Version != "(devel)" {
				v := d.Version
				if d.Replace != nil {
					v = d.Replace.Path + " " + d.Replace.Version
				}
				out = append(out, Mismatch{"module " + d.Path, v, "the kernel's own source tree"})
			}
			continue
		}
		k, ok := kdeps[d.Path]
		if !ok {
			continue
		}
		pe, ke := effective(d), effective(k)
		if pe.Path != ke.Path || pe.Version != ke.Version {
			out = append(out, Mismatch{"module " + d.Path, describe(d), describe(k)})
		} else if pe.Sum != "" && ke.Sum != "" && pe.Sum != ke.Sum {
			out = append(out, Mismatch{"module " + d.Path + " checksum", pe.Sum, ke.Sum})
		}
	}
	ps, ks := settings(plugin), settings(kernel)
	for _, key := range settingsChecked {
		if ps[key] != ks[key] {
			out = append(out, Mismatch{"build setting " + key, ps[key], ks[key]})
		}
	}
	if ps["CGO_ENABLED"] != "1" {
		out = append(out, Mismatch{"build setting CGO_ENABLED", ps["CGO_ENABLED"], ks["CGO_ENABLED"]})
	}
	return out
}

// describe prints a module as go.mod would: "path version" or
// "path version => replacement".
func describe(m *debug.Module) string {
	s := m.Version
	if m.Replace != nil {
		r := m.Replace.Path
		if m.Replace.Version != "" {
			r += " " + m.Replace.Version
		}
		if m.Replace.Path == m.Path {
			return m.Replace.Version
		}
		s += " => " + r
	}
	return s
}

func settings(bi *debug.BuildInfo) map[string]string {
	m := make(map[string]string, len(bi.Settings))
	for _, s := range bi.Settings {
		m[s.Key] = s.Value
	}
	// -trimpath=false is the default and may be omitted.
	if m["-trimpath"] == "false" {
		delete(m, "-trimpath")
	}
	return m
}

// moduleVersions maps each module linked by bi to its effective version.
func moduleVersions(bi *debug.BuildInfo) map[string]string {
	out := make(map[string]string, len(bi.Deps))
	for _, d := range bi.Deps {
		out[d.Path] = describe(d)
	}
	return out
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
