package complete

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/subspace-kernel/subspace/api"
	"github.com/subspace-kernel/subspace/kernel/complete/internal/docgen"
)

//go:generate go run ./internal/gendocs -o docindex.json.gz

// docIndexGz is the documentation index written by internal/gendocs:
// gzip-compressed JSON of indexFile.
//
//go:embed docindex.json.gz
var docIndexGz []byte

var docs struct {
	once  sync.Once
	mu    sync.RWMutex
	index docgen.Index
	err   error
	// byName maps a package name to the import paths that have it.
	byName map[string][]string
}

// loadDocs decodes the embedded index once. It costs about the size of the
// uncompressed index in memory (about 3 MB of JSON decoded into maps) and
// 40-80 ms the first time on this machine (BenchmarkDecodeIndex).
func loadDocs() {
	docs.once.Do(func() {
		zr, err := gzip.NewReader(bytes.NewReader(docIndexGz))
		if err != nil {
			docs.err = fmt.Errorf("complete: embedded doc index: %w", err)
			docs.index.Packages = map[string]*docgen.Package{}
			return
		}
		if err := json.NewDecoder(zr).Decode(&docs.index); err != nil {
			docs.err = fmt.Errorf("complete: embedded doc index: %w", err)
		}
		if docs.index.Packages == nil {
			docs.index.Packages = map[string]*docgen.Package{}
		}
		docs.byName = map[string][]string{}
		for path, p := range docs.index.Packages {
			docs.byName[p.Name] = append(docs.byName[p.Name], path)
		}
	})
}

// Preload decodes the embedded documentation index now rather than at the
// first Inspect; a kernel may call it in a goroutine at start-up. It returns
// an error when the embedded index is corrupt.
func Preload() error {
	loadDocs()
	return docs.err
}

// RegisterDocs adds or replaces the documentation of a package at run time,
// for example when a plugin is loaded. Entries are merged into what the
// index already has for importPath. The package name is taken as the last
// element of importPath (skipping a major-version suffix such as "v2").
// O(len(entries)).
func RegisterDocs(importPath string, entries map[string]api.DocEntry) {
	loadDocs()
	docs.mu.Lock()
	defer docs.mu.Unlock()
	p := docs.index.Packages[importPath]
	if p == nil {
		p = &docgen.Package{Name: defaultPackageName(importPath), Symbols: map[string]api.DocEntry{}}
		docs.index.Packages[importPath] = p
		docs.byName[p.Name] = append(docs.byName[p.Name], importPath)
	}
	if p.Symbols == nil {
		p.Symbols = map[string]api.DocEntry{}
	}
	for name, e := range entries {
		p.Symbols[name] = e
	}
}

// LookupDoc returns the documentation of name ("Println", or
// "Builder.WriteString" for a method) in the package importPath. O(1).
func LookupDoc(importPath, name string) (e api.DocEntry, ok bool) {
	withPackage(importPath, func(p *docgen.Package) { e, ok = p.Symbols[name] })
	return e, ok
}

// lookupPackage returns the documentation of a package.
func lookupPackage(importPath string) (p docgen.Package, ok bool) {
	withPackage(importPath, func(q *docgen.Package) { p, ok = *q, true })
	return p, ok
}

// withPackage calls f with the documentation of the package importPath,
// under the index's read lock, if the index has it.
func withPackage(importPath string, f func(p *docgen.Package)) {
	loadDocs()
	docs.mu.RLock()
	defer docs.mu.RUnlock()
	if p := docs.index.Packages[importPath]; p != nil {
		f(p)
	}
}

// packageNameOf returns the package name recorded in the index for
// importPath, or the default guess from the path.
func packageNameOf(importPath string) string {
	loadDocs()
	docs.mu.RLock()
	p := docs.index.Packages[importPath]
	docs.mu.RUnlock()
	if p != nil && p.Name != "" {
		return p.Name
	}
	return defaultPackageName(importPath)
}

// indexedPaths returns the indexed import paths whose package name is name.
func indexedPaths(name string) []string {
	loadDocs()
	docs.mu.RLock()
	defer docs.mu.RUnlock()
	return append([]string(nil), docs.byName[name]...)
}

// indexedMembers returns the exported names of a package in the index
// (methods excluded), sorted.
func indexedMembers(importPath string) (out map[string]string) {
	withPackage(importPath, func(p *docgen.Package) {
		out = make(map[string]string, len(p.Symbols))
		for name, e := range p.Symbols {
			if !strings.Contains(name, ".") {
				out[name] = e.Kind
			}
		}
	})
	return out
}

// indexedMethods returns the methods the index lists for type typ of the
// package at importPath ("typ.M" entries), with kind "method".
func indexedMethods(importPath, typ string) (out map[string]string) {
	withPackage(importPath, func(p *docgen.Package) {
		out = map[string]string{}
		for name := range p.Symbols {
			if recv, m, ok := strings.Cut(name, "."); ok && recv == typ {
				out[m] = "method"
			}
		}
	})
	return out
}

// IndexedPackages returns the import paths the documentation index covers,
// sorted. O(n log n) in the number of packages.
func IndexedPackages() []string {
	loadDocs()
	docs.mu.RLock()
	defer docs.mu.RUnlock()
	out := make([]string, 0, len(docs.index.Packages))
	for p := range docs.index.Packages {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// defaultPackageName guesses a package name from its import path: the last
// element, or the one before a "vN" major-version suffix, with "go-" prefix
// and ".go" suffix removed.
func defaultPackageName(path string) string {
	elems := strings.Split(path, "/")
	name := elems[len(elems)-1]
	if len(elems) > 1 && len(name) > 1 && name[0] == 'v' && strings.Trim(name[1:], "0123456789") == "" {
		name = elems[len(elems)-2]
	}
	name = strings.TrimPrefix(name, "go-")
	name = strings.TrimSuffix(name, ".go")
	return strings.ReplaceAll(name, "-", "_")
}

// DocsFromDir extracts the documentation of the exported names of the Go
// package whose source is in dir (non-test files matching the current
// build context), ready for RegisterDocs: for example from a plugin's source
// tree when it is built or loaded. It returns an error when dir has no Go
// package or a file does not parse. Cost: parsing the package, O(source
// size).
func DocsFromDir(dir string) (map[string]api.DocEntry, error) {
	p, err := docgen.FromDir(dir, "", docgen.Options{})
	if err != nil {
		return nil, fmt.Errorf("complete: %w", err)
	}
	return p.Symbols, nil
}
