package complete

import (
	"go/constant"
	"go/token"
	"reflect"
	"sort"
	"strings"
)

// packagePath returns the import path that name refers to: a package the
// session or the cell imported under that local name, else a known package
// whose name is name (preferring the table of well-known packages, then the
// standard library, then the shortest path), else "".
func (r *request) packagePath(name string) string {
	if p, ok := r.imports[name]; ok {
		return p
	}
	return knownPackage(name, r.packages())
}

// knownPackage finds a package named name among all (or, when all lacks
// it, the doc index).
func knownPackage(name string, all map[string]map[string]reflect.Value) string {
	if p, ok := preferred[name]; ok {
		if _, in := all[p]; in {
			return p
		}
		if _, in := lookupPackage(p); in {
			return p
		}
	}
	var matches []string
	for p := range all {
		if packageNameOf(p) == name {
			matches = append(matches, p)
		}
	}
	if len(matches) == 0 {
		matches = indexedPaths(name)
	}
	if len(matches) == 0 {
		return ""
	}
	sort.Slice(matches, func(i, j int) bool {
		si, sj := isStd(matches[i]), isStd(matches[j])
		if si != sj {
			return si
		}
		if len(matches[i]) != len(matches[j]) {
			return len(matches[i]) < len(matches[j])
		}
		return matches[i] < matches[j]
	})
	return matches[0]
}

// isStd reports whether path looks like a standard-library path (no dot in
// its first element).
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// packageMembers returns the exported names of the package at path with
// their kinds: from the session's symbol table when it has the package,
// else from the documentation index.
func packageMembers(path string, all map[string]map[string]reflect.Value) map[string]string {
	out := map[string]string{}
	syms := all[path]
	idx := indexedMembers(path)
	for name, v := range syms {
		if !token.IsExported(name) {
			continue // yaegi's interface wrappers are "_Name"
		}
		if k, ok := idx[name]; ok {
			out[name] = k
		} else {
			out[name] = kindOfSymbol(v)
		}
	}
	if len(syms) == 0 {
		for name, k := range idx {
			out[name] = k
		}
	}
	return out
}

var constantValue = reflect.TypeOf((*constant.Value)(nil)).Elem()

// kindOfSymbol guesses the kind of a symbol-table value the way yaegi's
// extract tool writes it: types as nil pointers, variables addressable,
// constants as go/constant values or plain values.
func kindOfSymbol(v reflect.Value) string {
	switch {
	case !v.IsValid():
		return "var"
	case v.CanAddr():
		return "var"
	case v.Kind() == reflect.Func:
		return "func"
	case v.Kind() == reflect.Pointer && v.IsNil():
		return "type"
	case v.Type().Implements(constantValue):
		return "const"
	}
	return "const"
}
