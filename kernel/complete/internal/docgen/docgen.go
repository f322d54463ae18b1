// Package docgen builds the documentation index that package complete
// embeds: for each package, the signature (declaration without body, as
// gofmt prints it) and doc comment of every exported name. It reads sources
// with `go list` and go/doc; nothing is compiled or type-checked, so
// packages that do not build yet are still indexed.
package docgen

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/build"
	"go/doc"
	"go/parser"
	"go/printer"
	"go/token"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/subspace-kernel/subspace/api"
	"github.com/traefik/yaegi/stdlib"
)

// Version is the generator's output version; bump it when the index
// format or content rules change so that the staleness test asks for a
// regeneration.
const Version = "2"

// Extra lists the non-standard packages indexed besides the standard
// library: the gonum and go-echarts packages cells use most.
var Extra = []string{
	"gonum.org/v1/gonum/mat",
	"gonum.org/v1/gonum/stat",
	"gonum.org/v1/gonum/floats",
	"gonum.org/v1/gonum/blas/blas64",
	"gonum.org/v1/gonum/stat/distuv",
	"gonum.org/v1/gonum/optimize",
	"github.com/go-echarts/go-echarts/v2/charts",
	"github.com/go-echarts/go-echarts/v2/opts",
	"github.com/go-echarts/go-echarts/v2/components",
	"github.com/go-echarts/go-echarts/v2/types",
}

// Local lists the patterns of this module's own packages that are indexed
// when they exist at generation time.
var Local = []string{"./native/...", "./display/..."}

// Modules lists the modules whose versions determine the fixed packages'
// documentation.
var Modules = []string{"gonum.org/v1/gonum", "github.com/go-echarts/go-echarts/v2", "github.com/traefik/yaegi"}

// StdPackages returns the standard-library import paths present in yaegi's
// stdlib.Symbols, plus "builtin" (for the docs of len, append, ...), sorted.
func StdPackages() []string {
	seen := map[string]bool{"builtin": true}
	for key := range stdlib.Symbols {
		i := strings.LastIndexByte(key, '/')
		if i <= 0 {
			continue
		}
		path := key[:i]
		first, _, _ := strings.Cut(path, "/")
		if strings.Contains(first, ".") {
			continue // yaegi's own packages
		}
		seen[path] = true
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// FixedPackages returns StdPackages and Extra, sorted.
func FixedPackages() []string {
	out := append(StdPackages(), Extra...)
	sort.Strings(out)
	return out
}

// ListHash identifies what the fixed part of the index depends on: the
// generator Version, the Go release (major.minor) whose standard library is
// read, the versions of Modules, and the package list. It runs `go env` and
// `go list -m` in dir (the module root). O(len(pkgs)).
func ListHash(dir string, pkgs []string) (string, error) {
	goVer, err := run(dir, "go", "env", "GOVERSION")
	if err != nil {
		return "", err
	}
	goVer = strings.TrimSpace(goVer)
	if parts := strings.SplitN(goVer, ".", 3); len(parts) == 3 {
		goVer = parts[0] + "." + parts[1]
	}
	mods, err := run(dir, "go", append([]string{"list", "-m", "-f", "{{.Path}}@{{.Version}}"}, Modules...)...)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "docgen %s\n%s\n%s", Version, goVer, mods)
	for _, p := range pkgs {
		fmt.Fprintln(h, p)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

func run(dir, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s %s: %v: %s", name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

// Package is the documentation of one package in the index.
type Package struct {
	Name string `json:"n"` // package name (the default local name)
	Doc  string `json:"d,omitempty"`
	// Symbols maps exported names, and "Type.Method" for methods, to their
	// documentation (long comments cut to their first paragraphs).
	Symbols map[string]api.DocEntry `json:"s"`
}

// Index is the whole index: the format of package complete's embedded
// file.
type Index struct {
	// Version is the generator's format version.
	Version string `json:"version"`
	// ListHash identifies the list of fixed (standard library, gonum,
	// go-echarts) packages the index was generated for.
	ListHash string `json:"list_hash"`
	// Fixed is that list, sorted.
	Fixed    []string            `json:"fixed"`
	Packages map[string]*Package `json:"packages"`
}

// Options bound the size of the index.
type Options struct {
	// MaxDoc is the length in bytes beyond which a doc comment is cut
	// after its last whole paragraph that fits (the first paragraph is
	// always kept, cut at a sentence end if it alone exceeds 2*MaxDoc).
	// 0 keeps every comment whole.
	MaxDoc int
	// MaxPackageDoc is the same bound for package doc comments.
	MaxPackageDoc int
	// MaxSigLines cuts type declarations (long structs and interfaces)
	// after this many lines. 0 keeps them whole.
	MaxSigLines int
	// SkipInternal leaves out packages whose path has an "internal"
	// element (cells cannot import them).
	SkipInternal bool
}

// listed is the part of `go list -json` output that Build reads.
type listed struct {
	ImportPath string
	Name       string
	Dir        string
	GoFiles    []string
	CgoFiles   []string
	Error      *struct{ Err string }
}

// Build indexes the packages matched by patterns, listed with `go list -e`
// in dir. Commands, internal packages (with SkipInternal) and packages
// that cannot be listed or parsed are reported in warnings and skipped. Cost: parsing every listed file, O(total source).
func Build(dir string, patterns []string, o Options) (map[string]*Package, []string, error) {
	out, err := run(dir, "go", append([]string{"list", "-e", "-json=ImportPath,Name,Dir,GoFiles,CgoFiles,Error"}, patterns...)...)
	if err != nil {
		return nil, nil, err
	}
	var warnings []string
	pkgs := map[string]*Package{}
	dec := json.NewDecoder(strings.NewReader(out))
	for dec.More() {
		var l listed
		if err := dec.Decode(&l); err != nil {
			return nil, warnings, fmt.Errorf("decoding go list output: %w", err)
		}
		if l.Name == "main" || o.SkipInternal && strings.Contains("/"+l.ImportPath+"/", "/internal/") {
			warnings = append(warnings, fmt.Sprintf("%s: skipped: a command or internal package", l.ImportPath))
			continue
		}
		files := append(l.GoFiles, l.CgoFiles...)
		if l.Dir == "" || len(files) == 0 {
			msg := "no Go files"
			if l.Error != nil {
				msg = l.Error.Err
			}
			warnings = append(warnings, fmt.Sprintf("%s: skipped: %s", l.ImportPath, msg))
			continue
		}
		p, err := buildPackage(l, files, o)
		if err != nil {
			warnings = append(warnings, fmt.Sprintf("%s: skipped: %v", l.ImportPath, err))
			continue
		}
		pkgs[l.ImportPath] = p
	}
	return pkgs, warnings, nil
}

// FromDir indexes the package whose source is in dir (its non-test Go
// files that match the current build context), under importPath. Use it
// for packages that `go list` cannot see, such as a plugin's source tree.
// Cost: parsing the package, O(source size).
func FromDir(dir, importPath string, o Options) (*Package, error) {
	bp, err := build.ImportDir(dir, 0)
	if err != nil {
		return nil, fmt.Errorf("reading package in %s: %w", dir, err)
	}
	files := append(append([]string{}, bp.GoFiles...), bp.CgoFiles...)
	if len(files) == 0 {
		return nil, fmt.Errorf("no Go files in %s", dir)
	}
	return buildPackage(listed{ImportPath: importPath, Name: bp.Name, Dir: dir}, files, o)
}

func buildPackage(l listed, files []string, o Options) (*Package, error) {
	fset := token.NewFileSet()
	var asts []*ast.File
	for _, f := range files {
		af, err := parser.ParseFile(fset, filepath.Join(l.Dir, f), nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		asts = append(asts, af)
	}
	// AllMethods lists the methods promoted from exported embedded fields
	// too (go-echarts' charts.Bar gets SetGlobalOptions from RectChart).
	mode := doc.AllMethods
	if l.ImportPath == "builtin" {
		mode |= doc.AllDecls // its names are lower case
	}
	dp, err := doc.NewFromFiles(fset, asts, l.ImportPath, mode)
	if err != nil {
		return nil, err
	}
	b := builder{fset: fset, o: o, syms: map[string]api.DocEntry{}}
	for _, f := range dp.Funcs {
		b.fn("", f)
	}
	b.values(dp.Consts, "const")
	b.values(dp.Vars, "var")
	for _, t := range dp.Types {
		b.typ(t)
		b.values(t.Consts, "const")
		b.values(t.Vars, "var")
		for _, f := range t.Funcs {
			b.fn("", f)
		}
		for _, m := range t.Methods {
			b.fn(t.Name, m)
		}
	}
	return &Package{Name: dp.Name, Doc: truncateDoc(dp.Doc, o.MaxPackageDoc), Symbols: b.syms}, nil
}

type builder struct {
	fset *token.FileSet
	o    Options
	syms map[string]api.DocEntry
}

func (b *builder) print(node any) string {
	var buf bytes.Buffer
	cfg := printer.Config{Mode: printer.UseSpaces | printer.TabIndent, Tabwidth: 8}
	if err := cfg.Fprint(&buf, b.fset, node); err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	return buf.String()
}

func (b *builder) fn(recv string, f *doc.Func) {
	decl := &ast.FuncDecl{Recv: f.Decl.Recv, Name: f.Decl.Name, Type: f.Decl.Type}
	name, kind := f.Name, "func"
	if recv != "" {
		name, kind = recv+"."+f.Name, "method"
	}
	b.syms[name] = api.DocEntry{Kind: kind, Signature: b.print(decl), Doc: truncateDoc(f.Doc, b.o.MaxDoc)}
}

func (b *builder) typ(t *doc.Type) {
	for _, s := range t.Decl.Specs {
		ts, ok := s.(*ast.TypeSpec)
		if !ok || ts.Name.Name != t.Name {
			continue
		}
		cp := *ts
		cp.Doc, cp.Comment = nil, nil
		sig := b.print(&ast.GenDecl{Tok: token.TYPE, Specs: []ast.Spec{&cp}})
		b.syms[t.Name] = api.DocEntry{Kind: "type", Signature: cutLines(sig, b.o.MaxSigLines), Doc: truncateDoc(t.Doc, b.o.MaxDoc)}
	}
}

// values indexes every exported name of const or var groups. A name's doc
// is its own spec comment, else the group's doc comment.
func (b *builder) values(vals []*doc.Value, kind string) {
	for _, v := range vals {
		var lastType ast.Expr
		for _, s := range v.Decl.Specs {
			vs, ok := s.(*ast.ValueSpec)
			if !ok {
				continue
			}
			if vs.Type != nil || len(vs.Values) > 0 {
				lastType = vs.Type
			}
			d := v.Doc
			if vs.Doc != nil {
				d = vs.Doc.Text()
			} else if vs.Comment != nil {
				d = vs.Comment.Text()
			}
			cp := *vs
			cp.Doc, cp.Comment = nil, nil
			if cp.Type == nil && len(cp.Values) == 0 && kind == "const" {
				cp.Type = lastType // an iota continuation: show the group's type
			}
			for i, n := range vs.Names {
				if !n.IsExported() && !(kind == "const" && isBuiltinConst(n.Name)) {
					continue
				}
				one := cp
				one.Names = []*ast.Ident{n}
				if len(cp.Values) == len(vs.Names) {
					one.Values = []ast.Expr{cp.Values[i]}
				}
				sig := kind + " " + b.print(&one)
				b.syms[n.Name] = api.DocEntry{Kind: kind, Signature: cutLines(sig, b.o.MaxSigLines), Doc: truncateDoc(d, b.o.MaxDoc)}
			}
		}
	}
}

func isBuiltinConst(s string) bool { return s == "true" || s == "false" || s == "iota" }

// cutLines keeps the first max lines of s and says how many were left out.
func cutLines(s string, max int) string {
	lines := strings.Split(s, "\n")
	if max <= 0 || len(lines) <= max {
		return s
	}
	return strings.Join(lines[:max], "\n") + fmt.Sprintf("\n\t// ... %d more lines\n}", len(lines)-max-1)
}

// truncateDoc keeps the paragraphs of d that fit in max bytes (always the
// first one; when that alone exceeds 2*max bytes it is cut at its last
// sentence end, else word end, before 2*max) and marks the cut.
func truncateDoc(d string, max int) string {
	d = strings.TrimSpace(d)
	if max <= 0 || len(d) <= max {
		return d
	}
	paras := strings.Split(d, "\n\n")
	out := paras[0]
	if len(out) > 2*max {
		if cut := strings.LastIndex(out[:2*max], ". "); cut >= max/2 {
			out = out[:cut+1]
		} else if cut := strings.LastIndexAny(out[:2*max], " \n"); cut > 0 {
			out = out[:cut] + "…"
		} else {
			out = strings.ToValidUTF8(out[:2*max], "") + "…"
		}
	}
	for _, p := range paras[1:] {
		if len(out)+2+len(p) > max {
			break
		}
		out += "\n\n" + p
	}
	return out + "\n\n(Documentation truncated; see pkg.go.dev for the rest.)"
}
