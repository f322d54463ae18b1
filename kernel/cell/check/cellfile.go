package check

import (
	"go/ast"
	"sort"
	"strconv"
	"strings"

	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
)

// cellFile is a cell written as a Go file: the package names in scope as
// imports, then the cell's imports and declarations, then its statements
// in the body of one function; every piece at its cell position (line
// directives).
type cellFile struct {
	text     string
	segs     []seg           // where the cell's pieces are in text
	declared map[string]bool // package-level names of the cell (its imports included)
	methods  map[string]bool // "T.M" of the methods it declares
}

// seg is a piece of the cell copied into the file: text[file:file+n] is
// the cell's src[cell:cell+n].
type seg struct{ file, cell, n int }

// cellFile writes cell x as a file.
func (c *Checker) cellFile(x Cell) cellFile {
	cf := cellFile{declared: map[string]bool{}, methods: map[string]bool{}}
	var imports, decls, stmts []*rewrite.Item
	for _, it := range x.Items {
		switch it.Kind {
		case rewrite.Import:
			imports = append(imports, it)
			for _, sp := range it.Decl.(*ast.GenDecl).Specs {
				cf.declared[c.importName(sp.(*ast.ImportSpec))] = true
			}
		case rewrite.Decl:
			decls = append(decls, it)
			topNames(it.Decl, cf.declared, cf.methods)
		default:
			stmts = append(stmts, it)
		}
	}
	var b strings.Builder
	b.WriteString("package main\n")
	names := make([]string, 0, len(x.Imports))
	for n := range x.Imports {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if n == "_" || n == "." || cf.declared[n] || c.stubs[n] != "" {
			continue
		}
		b.WriteString("import " + n + " " + quote(x.Imports[n]) + "\n")
	}
	piece := func(it *rewrite.Item) {
		b.WriteString(rewrite.InlineDirective(x.Src, x.Name, it.Start))
		cf.segs = append(cf.segs, seg{file: b.Len(), cell: it.Start, n: it.End - it.Start})
		b.WriteString(x.Src[it.Start:it.End])
		b.WriteString("\n")
	}
	for _, it := range imports {
		piece(it)
	}
	for _, it := range decls {
		piece(it)
	}
	b.WriteString("func " + wrapperName + "() {\n")
	for _, it := range stmts {
		piece(it)
	}
	b.WriteString("}\n")
	cf.text = b.String()
	return cf
}

// importName returns the name an import spec binds.
func (c *Checker) importName(sp *ast.ImportSpec) string {
	if sp.Name != nil {
		return sp.Name.Name
	}
	path, _ := strconv.Unquote(sp.Path.Value)
	if p := c.im.pkg(path); p != nil {
		return p.Name()
	}
	return path[strings.LastIndexByte(path, '/')+1:]
}

// topNames adds the package-level names a declaration declares to names,
// and its method "T.M" to methods.
func topNames(d ast.Decl, names, methods map[string]bool) {
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv == nil {
			names[d.Name.Name] = true
		} else if len(d.Recv.List) == 1 {
			if t := rewrite.RecvTypeName(d.Recv.List[0].Type); t != "?" {
				methods[t+"."+d.Name.Name] = true
			}
		}
	case *ast.GenDecl:
		for _, sp := range d.Specs {
			switch s := sp.(type) {
			case *ast.ValueSpec:
				for _, id := range s.Names {
					names[id.Name] = true
				}
			case *ast.TypeSpec:
				names[s.Name.Name] = true
			}
		}
	}
}

// cellOff converts an offset of the file to the cell's, -1 outside the
// cell's pieces.
func cellOff(segs []seg, off int) int {
	i := sort.Search(len(segs), func(i int) bool { return segs[i].file+segs[i].n >= off })
	if i < len(segs) && off >= segs[i].file {
		return segs[i].cell + off - segs[i].file
	}
	return -1
}

func quote(s string) string { return strconv.Quote(s) }

// privateName is the import name of the package of index i in the stubs.
func privateName(i int) string { return "__i" + strconv.Itoa(i) }
