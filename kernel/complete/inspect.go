package complete

import (
	"fmt"
	"go/doc/comment"
	"reflect"
	"strings"

	"github.com/subspace-kernel/subspace/api"
)

// Inspect describes the symbol under, or just before, cursor (in Unicode
// code points); when the cursor is in the argument list of a call with no
// identifier at it, it describes the called function.
//
// A package member (`fmt.Println`, `mat.NewDense`, `strings.Builder`,
// `strings.Builder.WriteString`) shows its signature and doc comment from
// the documentation index (or its reflected type when the index lacks it); a
// package name shows the package doc; a user declaration shows its signature
// and doc; a live variable (or a field of one) shows its runtime type and a
// summary of its value (see Summarize); a method of a live value or of a
// variable declared in the cell shows the method's signature and doc;
// keywords and builtins show the doc of package builtin. detail >= 1 adds
// the full source of a user function (from a Scope implementing SourceScope,
// else from the cell text).
//
// Text is text/plain; Markdown is text/markdown. A panic raised by the
// Scope is recovered and reported in Text. Cost: O(len(code)) plus the size
// of the summarised value.
func Inspect(code string, cursor, detail int, sc Scope) (res api.Inspection) {
	defer func() {
		if !catchPanics {
			return
		}
		if p := recover(); p != nil {
			res = api.Inspection{Found: true, Text: fmt.Sprintf("inspect failed: panic: %v", p)}
		}
	}()
	chain := chainAt(code, byteOffset(code, cursor))
	if len(chain) == 0 || callChainAt(code, byteOffset(code, cursor)) {
		return describe(code, cursor, detail, sc)
	}
	r := newRequest(code, sc)
	expr := strings.Join(chain, ".")
	name := chain[0]
	d, inCell := r.cellDecl(name)
	var sec []section
	if len(chain) == 2 {
		// A method of a session type, declared in a cell.
		if typ := r.userType(name); typ != "" {
			if m, ok := r.global(typ + "." + chain[1]); ok {
				sec = []section{{title: expr, sig: m.Signature, doc: m.Doc, src: r.source(m.Name, code, detail)}}
			}
		}
	}
	if v, ok := r.value(name); sec == nil && ok && (!inCell || d.Kind == "var") {
		sec = r.inspectValue(expr, v, chain)
	}
	if sec == nil && inCell {
		sec = r.inspectCellDecl(d, chain, code, detail)
	}
	if sec == nil && len(chain) == 1 {
		if g, ok := r.global(name); ok {
			sec = []section{{sig: kindOr(g.Signature, g.Kind+" "+g.Name), doc: g.Doc, src: r.source(name, code, detail)}}
		}
	}
	if sec == nil && !inCell {
		if _, isGlobal := r.global(name); !isGlobal {
			if path := r.packagePath(name); path != "" {
				sec = r.inspectPackage(path, chain[1:])
			}
		}
	}
	if sec == nil && len(chain) == 1 {
		if e, ok := LookupDoc("builtin", name); ok {
			sec = []section{{sig: e.Signature, doc: e.Doc, pkg: "builtin"}}
		} else if isKeyword(name) {
			sec = []section{{title: name, text: "Go keyword"}}
		}
	}
	if sec == nil {
		return describe(code, cursor, detail, sc)
	}
	return render(sec, detail)
}

// callChainAt reports whether the identifier at byte offset b is selected
// from a call or index result (`f().x`, `xs[0].T`).
func callChainAt(code string, b int) bool {
	_, s := selectorChain(code, identEnd(code, b))
	return s > 0 && (code[s-1] == ')' || code[s-1] == ']')
}

// describe inspects the expression that ends with the identifier at the
// cursor through a Scope implementing TypeScope: its type.
func describe(code string, cursor, detail int, sc Scope) api.Inspection {
	ts, ok := sc.(TypeScope)
	if !ok {
		return api.Inspection{}
	}
	e := identEnd(code, byteOffset(code, cursor))
	s := exprStart(code, e)
	if s >= e {
		return api.Inspection{}
	}
	d, ok := ts.Describe(code, s, e)
	if !ok {
		return api.Inspection{}
	}
	return render([]section{{sig: d}}, detail)
}

// source returns the source of a user function for detail >= 1.
func (r *request) source(name, code string, detail int) string {
	if detail < 1 {
		return ""
	}
	if ss, ok := r.sc.(SourceScope); ok {
		if src, ok := ss.Source(name); ok && src != "" {
			return src
		}
	}
	return funcSource(code, name)
}

func isKeyword(s string) bool {
	for _, k := range keywords {
		if k == s {
			return true
		}
	}
	return false
}

// chainAt returns the selector chain a.b.c whose last identifier contains
// (or ends at) byte offset b; with no identifier there, the chain of the
// enclosing call's function.
func chainAt(code string, b int) []string {
	s, e := identStart(code, b), identEnd(code, b)
	if s != e {
		if chain, _ := selectorChain(code, e); chain != nil {
			return chain
		}
	}
	// Just after "f(", or inside the arguments on something that is not
	// an identifier: the called function.
	p := enclosingCall(code, b)
	if p <= 0 {
		return nil
	}
	chain, _ := selectorChain(code, p)
	return chain
}

// section is one part of an inspection: a title or signature, a summary and
// a doc comment.
type section struct {
	title string // e.g. "x *mat.Dense"
	sig   string // Go code, shown in a code block
	text  string // plain lines (value summary), shown preformatted
	doc   string // go/doc comment
	src   string // full source, shown for detail >= 1
	pkg   string // import path doc links without a package refer to
}

// render turns sections into text/plain and text/markdown.
func render(secs []section, detail int) api.Inspection {
	var plain, md strings.Builder
	for i, s := range secs {
		// Doc links ([Builder.Write], [io.Writer]) become links to
		// pkg.go.dev in Markdown and plain names in text.
		p := comment.Parser{
			LookupPackage: func(name string) (string, bool) {
				if path := knownPackage(name, nil); path != "" {
					return path, true
				}
				return "", false
			},
			LookupSym: func(recv, name string) bool { return s.pkg != "" },
		}
		pr := comment.Printer{TextWidth: 80, DocLinkURL: func(l *comment.DocLink) string {
			path := l.ImportPath
			if path == "" {
				path = s.pkg
			}
			if path == "" {
				return ""
			}
			u := "https://pkg.go.dev/" + path
			if l.Name != "" {
				u += "#" + l.Name
				if l.Recv != "" {
					u = "https://pkg.go.dev/" + path + "#" + l.Recv + "." + l.Name
				}
			}
			return u
		}}
		if i > 0 {
			plain.WriteString("\n")
			md.WriteString("\n---\n\n")
		}
		if s.title != "" {
			plain.WriteString(s.title + "\n")
			md.WriteString("**" + s.title + "**\n\n")
		}
		if s.sig != "" {
			plain.WriteString(s.sig + "\n")
			md.WriteString("```go\n" + s.sig + "\n```\n\n")
		}
		if s.text != "" {
			plain.WriteString(s.text + "\n")
			md.WriteString("```\n" + s.text + "\n```\n\n")
		}
		if s.doc != "" {
			d := p.Parse(s.doc)
			plain.WriteString("\n" + string(pr.Text(d)))
			md.Write(pr.Markdown(d))
			md.WriteString("\n")
		}
		if detail >= 1 && s.src != "" && s.src != s.sig {
			plain.WriteString("\nSource:\n" + s.src + "\n")
			md.WriteString("Source:\n\n```go\n" + s.src + "\n```\n\n")
		}
	}
	return api.Inspection{Found: true, Text: strings.TrimRight(plain.String(), "\n"), Markdown: strings.TrimRight(md.String(), "\n")}
}

// inspectValue describes a live variable or a field or method reached
// from it.
func (r *request) inspectValue(expr string, v reflect.Value, chain []string) []section {
	for i, name := range chain[1:] {
		f, ok := field(v, name)
		if ok {
			v = f
			continue
		}
		if i != len(chain)-2 || !v.IsValid() {
			return nil
		}
		// The last element may be a method.
		return inspectMethod(expr, v.Type(), name)
	}
	var secs []section
	if !v.IsValid() || !v.CanInterface() {
		secs = append(secs, section{title: expr, text: "value not accessible"})
	} else {
		secs = append(secs, section{title: expr, text: Summarize(v.Interface())})
	}
	if len(chain) == 1 {
		if g, ok := r.global(chain[0]); ok {
			secs[0].sig, secs[0].doc = g.Signature, g.Doc
		}
		if typ := r.userType(chain[0]); typ != "" {
			secs[0].title += " (" + typ + ")"
		}
	}
	return secs
}

// inspectMethod describes method name of type t (or *t), with its doc from
// the index when the receiver is a named type of an indexed package.
func inspectMethod(expr string, t reflect.Type, name string) []section {
	m, ok := t.MethodByName(name)
	if !ok && t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface {
		m, ok = reflect.PointerTo(t).MethodByName(name)
	}
	if !ok {
		return nil
	}
	sec := section{title: expr, sig: fmt.Sprintf("func (%s) %s%s", t, name, strings.TrimPrefix(methodType(m, t.Kind() != reflect.Interface), "func"))}
	nt := t
	if nt.Kind() == reflect.Pointer {
		nt = nt.Elem()
	}
	if nt.PkgPath() != "" {
		if e, ok := LookupDoc(nt.PkgPath(), nt.Name()+"."+name); ok {
			sec.sig, sec.doc, sec.pkg = e.Signature, e.Doc, nt.PkgPath()
		}
	}
	return []section{sec}
}

// inspectCellDecl describes an identifier declared in the cell text, or a
// field or method reached from a variable whose type the cell states.
func (r *request) inspectCellDecl(d cellDecl, chain []string, code string, detail int) []section {
	var t reflect.Type
	if d.Type != nil {
		t = r.typeOf(d.Type)
	}
	if len(chain) > 1 {
		if t == nil {
			// No symbol table for the package: a method from the index.
			if path, typ, ok := r.docTypeOf(d.Name); ok && len(chain) == 2 {
				if e, ok := LookupDoc(path, typ+"."+chain[1]); ok {
					return []section{{title: strings.Join(chain, "."), sig: e.Signature, doc: e.Doc, pkg: path}}
				}
			}
			return nil
		}
		last := chain[len(chain)-1]
		if tg, ok := walkType(t, chain[1:]); ok {
			return []section{{title: strings.Join(chain, "."), text: "type: " + tg.t.String()}}
		}
		tg, ok := walkType(t, chain[1:len(chain)-1])
		if !ok {
			return nil
		}
		return inspectMethod(strings.Join(chain, "."), tg.t, last)
	}
	line := strings.TrimSpace(strings.SplitN(code[lineStartOf(code, d.Pos):], "\n", 2)[0])
	title := d.Kind + " " + d.Name
	if t != nil {
		title += " " + t.String()
	} else if path, typ, ok := r.docTypeOf(d.Name); ok {
		title += " " + packageNameOf(path) + "." + typ
		if d.Type.Call || d.Type.Ptr {
			// NewT usually returns *T; say so only when the index does.
			if e, ok := LookupDoc(path, d.Type.Name); d.Type.Ptr || ok && strings.HasSuffix(e.Signature, "*"+typ) {
				title = d.Kind + " " + d.Name + " *" + packageNameOf(path) + "." + typ
			}
		}
	}
	return []section{{title: title + " (declared in this cell, not run yet)", sig: line, src: r.source(d.Name, code, detail)}}
}

// methodType renders a method's type without its receiver (hasRecv: the
// method's type has the receiver as its first parameter, as for methods of
// concrete types).
func methodType(m reflect.Method, hasRecv bool) string {
	ft := m.Type
	first := 0
	if hasRecv {
		first = 1
	}
	var in []string
	for i := first; i < ft.NumIn(); i++ {
		in = append(in, ft.In(i).String())
	}
	if ft.IsVariadic() && len(in) > 0 {
		in[len(in)-1] = "..." + strings.TrimPrefix(in[len(in)-1], "[]")
	}
	var out []string
	for i := 0; i < ft.NumOut(); i++ {
		out = append(out, ft.Out(i).String())
	}
	s := "func(" + strings.Join(in, ", ") + ")"
	switch len(out) {
	case 0:
	case 1:
		s += " " + out[0]
	default:
		s += " (" + strings.Join(out, ", ") + ")"
	}
	return s
}

// inspectPackage describes the package at path or its member rest[0]
// (rest[1] for a method of a type).
func (r *request) inspectPackage(path string, rest []string) []section {
	if len(rest) == 0 {
		p, ok := lookupPackage(path)
		if !ok {
			if _, in := r.packages()[path]; !in {
				return nil
			}
			return []section{{sig: "import \"" + path + "\""}}
		}
		return []section{{sig: "package " + p.Name + " // import \"" + path + "\"", doc: p.Doc, pkg: path}}
	}
	name := strings.Join(rest, ".")
	if len(rest) <= 2 {
		if e, ok := LookupDoc(path, name); ok {
			return []section{{sig: e.Signature, doc: e.Doc, pkg: path}}
		}
	}
	v, ok := r.packages()[path][rest[0]]
	if !ok {
		return nil
	}
	pkg := packageNameOf(path)
	switch kindOfSymbol(v) {
	case "func":
		return []section{{sig: "func " + rest[0] + strings.TrimPrefix(v.Type().String(), "func")}}
	case "type":
		t := v.Type().Elem()
		if len(rest) == 2 {
			return inspectMethod(pkg+"."+name, t, rest[1])
		}
		return []section{{sig: "type " + rest[0] + " " + t.Kind().String()}}
	case "var":
		if tg, ok := walkValue(v, rest[1:]); ok && tg.v.CanInterface() {
			return []section{{title: pkg + "." + name, text: Summarize(tg.v.Interface())}}
		}
	case "const":
		return []section{{sig: "const " + rest[0] + " = " + fmt.Sprint(v.Interface())}}
	}
	return nil
}
