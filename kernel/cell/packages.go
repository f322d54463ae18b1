package cell

import (
	"reflect"
	"sort"
	"strings"
	"sync"

	"github.com/traefik/yaegi/interp"
)

// packages are the compiled packages cells may import: the symbol tables
// of the standard library, of Options.Symbols and of Use, with the names of
// their packages. Safe for concurrent use.
type packages struct {
	mu      sync.Mutex
	exports []interp.Exports
	names   map[string]string                   // import path -> package name
	cache   map[string]map[string]reflect.Value // table(), until the next add
}

// add adds a symbol table. O(packages of e).
func (p *packages) add(e interp.Exports) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.names == nil {
		p.names = map[string]string{}
	}
	p.exports = append(p.exports, e)
	for k := range e {
		if i := strings.LastIndexByte(k, '/'); i > 0 {
			p.names[k[:i]] = k[i+1:]
		}
	}
	p.cache = nil
}

// all returns the symbol tables in the order they were added.
func (p *packages) all() []interp.Exports {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]interp.Exports(nil), p.exports...)
}

// name returns the package name of an import path, "" when unknown.
func (p *packages) name(path string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.names[path]
}

// symbol returns symbol name of the package with import path path.
func (p *packages) symbol(path, name string) (reflect.Value, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, e := range p.exports {
		if syms, ok := e[path+"/"+p.names[path]]; ok {
			if v, ok := syms[name]; ok {
				return v, true
			}
		}
	}
	return reflect.Value{}, false
}

// named returns the import paths of the packages called name that cells
// may name (not internal, not the session's own), standard library first,
// each group sorted. O(packages).
func (p *packages) named(name string) (std, other []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for path, n := range p.names {
		if n != name || strings.Contains(path, "internal") || strings.HasPrefix(path, "subspace/") {
			continue
		}
		if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") {
			other = append(other, path)
		} else {
			std = append(std, path)
		}
	}
	sort.Strings(std)
	sort.Strings(other)
	return std, other
}

// table maps every package path to its exported symbols. The map is built
// once (O(symbols)) and shared until the next add: callers must not modify
// it.
func (p *packages) table() map[string]map[string]reflect.Value {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cache != nil {
		return p.cache
	}
	out := map[string]map[string]reflect.Value{}
	for _, e := range p.exports {
		for k, syms := range e {
			i := strings.LastIndexByte(k, '/')
			if i <= 0 {
				continue
			}
			path := k[:i]
			if out[path] == nil {
				out[path] = map[string]reflect.Value{}
			}
			for n, v := range syms {
				out[path][n] = v
			}
		}
	}
	p.cache = out
	return out
}
