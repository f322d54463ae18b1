// Package symgen generates the yaegi symbol tables of the packages built into
// the kernel: one file a package written by yaegi's extract package, plus a
// list of the built-in plugins (one per third-party module, one per local
// package) that the plugins registry turns into manifests.
//
// It is driven by `go generate ./plugins/...` (plugins/internal/gen) and by
// the staleness test of package plugins.
package symgen

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"text/template"

	"github.com/traefik/yaegi/extract"
)

// Dest is the Go package name of the generated files.
const Dest = "symbols"

// ThirdParty lists the packages of other modules compiled into the kernel,
// besides the standard library (which comes from yaegi's own tables).
var ThirdParty = []string{
	"gonum.org/v1/gonum/blas",
	"gonum.org/v1/gonum/blas/blas32",
	"gonum.org/v1/gonum/blas/blas64",
	"gonum.org/v1/gonum/floats",
	"gonum.org/v1/gonum/floats/scalar",
	"gonum.org/v1/gonum/mat",
	"gonum.org/v1/gonum/optimize",
	"gonum.org/v1/gonum/stat",
	"gonum.org/v1/gonum/stat/distuv",
	"github.com/go-echarts/go-echarts/v2/charts",
	"github.com/go-echarts/go-echarts/v2/components",
	"github.com/go-echarts/go-echarts/v2/event",
	"github.com/go-echarts/go-echarts/v2/opts",
	"github.com/go-echarts/go-echarts/v2/render",
	"github.com/go-echarts/go-echarts/v2/types",
}

// Descriptions are the one-line descriptions of the third-party modules
// built-in plugins.
var Descriptions = map[string]string{
	"gonum.org/v1/gonum":                  "Numerical Go: dense matrices (mat), statistics and distributions (stat, distuv), float slices (floats), BLAS (blas, blas32, blas64) and optimization (optimize).",
	"github.com/go-echarts/go-echarts/v2": "Interactive Apache ECharts charts: chart types (charts), options (opts), pages (components), events and rendering.",
}

// LocalPatterns are the package patterns of this module whose packages are
// all built in; they are expanded with `go list` at generation time.
var LocalPatterns = []string{"./native/...", "./display/..."}

// Package is one package to extract.
type Package struct {
	ImportPath string
	Name       string
	Doc        string // synopsis of the package documentation
	Module     string // module path
	Version    string // module version; empty for the main module
	Local      bool   // part of the main module
	Dir        string
	Files      []string // Go files of the default build, relative to Dir
}

type listed struct {
	ImportPath string
	Name       string
	Doc        string
	Dir        string
	GoFiles    []string
	CgoFiles   []string
	Module     *struct {
		Path    string
		Version string
		Main    bool
	}
	Error *struct{ Err string }
}

// List runs `go list` in root on the given patterns and returns the packages
// to extract: it skips main packages, internal and testdata directories and
// directories with only test files, and fails on packages that do not load.
// Cost: one go list process.
func List(root string, patterns []string) ([]Package, error) {
	if len(patterns) == 0 {
		return nil, nil
	}
	args := append([]string{"list", "-e", "-json=ImportPath,Name,Doc,Dir,GoFiles,CgoFiles,Module,Error"}, patterns...)
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list %s: %v: %s", strings.Join(patterns, " "), err, stderr.Bytes())
	}
	var pkgs []Package
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var l listed
		if err := dec.Decode(&l); err != nil {
			return nil, fmt.Errorf("decoding go list output: %v", err)
		}
		if skipped(l) {
			continue
		}
		if l.Error != nil {
			return nil, fmt.Errorf("package %s: %s", l.ImportPath, l.Error.Err)
		}
		p := Package{ImportPath: l.ImportPath, Name: l.Name, Doc: l.Doc, Dir: l.Dir, Files: append(l.GoFiles, l.CgoFiles...)}
		if l.Module != nil {
			p.Module, p.Version, p.Local = l.Module.Path, l.Module.Version, l.Module.Main
		}
		pkgs = append(pkgs, p)
	}
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].ImportPath < pkgs[j].ImportPath })
	return pkgs, nil
}

func skipped(l listed) bool {
	for _, part := range strings.Split(l.ImportPath, "/") {
		if part == "internal" || part == "testdata" {
			return true
		}
	}
	if l.Error != nil && strings.Contains(l.Error.Err, "no non-test Go files") {
		return true
	}
	return l.Error == nil && (l.Name == "main" || len(l.GoFiles)+len(l.CgoFiles) == 0)
}

// FileName is the name of the generated file holding p's symbols.
func FileName(importPath string) string {
	return "zz_" + nonAlnum.ReplaceAllString(importPath, "_") + ".go"
}

var (
	nonAlnum     = regexp.MustCompile(`[^A-Za-z0-9]+`)
	majorVersion = regexp.MustCompile(`^v[0-9]+$`)
)

// Extract returns the symbol tables of pkgs, keyed by file name, running up
// to workers extractions at a time. Each extraction type-checks the package
// and its dependencies from source (about 0.2-1 s a package). It must run
// with the module root as working directory (yaegi's extract resolves
// packages from there).
func Extract(pkgs []Package, workers int) (map[string][]byte, error) {
	if workers < 1 {
		workers = 1
	}
	files := make(map[string][]byte, len(pkgs))
	errs := make([]error, len(pkgs))
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, workers)
	for i, p := range pkgs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			var b bytes.Buffer
			e := extract.Extractor{Dest: Dest}
			if _, err := e.Extract(p.ImportPath, "", &b); err != nil {
				errs[i] = fmt.Errorf("extracting %s: %v", p.ImportPath, err)
				return
			}
			mu.Lock()
			files[FileName(p.ImportPath)] = b.Bytes()
			mu.Unlock()
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

// Group is a built-in plugin: the packages of one third-party module, or one
// package of this module.
type Group struct {
	Name        string
	Module      string
	Version     string // module version at generation time; "" for this module
	Packages    []string
	Description string
	API         string // fingerprint of a local package's declarations (APIFingerprint)
}

// Groups gathers pkgs into built-in plugins. descriptions gives the
// description of third-party modules by module path.
func Groups(pkgs []Package, descriptions map[string]string) ([]Group, error) {
	var groups []Group
	byModule := map[string]int{}
	for _, p := range pkgs {
		if p.Local {
			api, err := APIFingerprint(p.Dir, p.Files)
			if err != nil {
				return nil, err
			}
			groups = append(groups, Group{
				API:         api,
				Name:        strings.TrimPrefix(p.ImportPath, p.Module+"/"),
				Module:      p.Module,
				Packages:    []string{p.ImportPath},
				Description: p.Doc,
			})
			continue
		}
		i, ok := byModule[p.Module]
		if !ok {
			i = len(groups)
			byModule[p.Module] = i
			groups = append(groups, Group{
				Name:        path2name(p.Module),
				Module:      p.Module,
				Version:     p.Version,
				Description: descriptions[p.Module],
			})
		}
		groups[i].Packages = append(groups[i].Packages, p.ImportPath)
	}
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].Name < groups[j].Name })
	return groups, nil
}

// APIFingerprint hashes what yaegi's extract reads from a package's source:
// the names of its exported functions, variables and types, whether they are
// generic, the full declarations of interfaces (their methods become
// wrappers) and of all constants (untyped values are copied). Bodies,
// comments and struct fields do not count. It parses the files only, so it
// is fast enough for a test to tell whether the generated table of a package
// is stale. O(size of the files).
func APIFingerprint(dir string, files []string) (string, error) {
	fset := token.NewFileSet()
	var lines []string
	node := func(n any) string {
		var b strings.Builder
		if err := printer.Fprint(&b, fset, n); err != nil {
			return fmt.Sprint(err)
		}
		return b.String()
	}
	for _, name := range files {
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			return "", err
		}
		lines = append(lines, "package "+f.Name.Name)
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.IsExported() {
					lines = append(lines, fmt.Sprintf("func %s generic=%v", d.Name.Name, d.Type.TypeParams != nil))
				}
			case *ast.GenDecl:
				switch d.Tok {
				case token.CONST:
					lines = append(lines, node(d))
				case token.VAR:
					for _, spec := range d.Specs {
						for _, n := range spec.(*ast.ValueSpec).Names {
							if n.IsExported() {
								lines = append(lines, "var "+n.Name)
							}
						}
					}
				case token.TYPE:
					for _, spec := range d.Specs {
						ts := spec.(*ast.TypeSpec)
						if !ts.Name.IsExported() {
							continue
						}
						if _, iface := ts.Type.(*ast.InterfaceType); iface {
							lines = append(lines, "type "+node(ts))
						} else {
							lines = append(lines, fmt.Sprintf("type %s generic=%v alias=%v", ts.Name.Name, ts.TypeParams != nil, ts.Assign.IsValid()))
						}
					}
				}
			}
		}
	}
	sort.Strings(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(sum[:8]), nil
}

// path2name names a module's plugin after the last element of its path that
// is not a major version suffix: gonum.org/v1/gonum -> gonum,
// github.com/go-echarts/go-echarts/v2 -> go-echarts.
func path2name(mod string) string {
	parts := strings.Split(mod, "/")
	for i := len(parts) - 1; i > 0; i-- {
		if !majorVersion.MatchString(parts[i]) {
			return parts[i]
		}
	}
	return mod
}

var groupsTemplate = template.Must(template.New("groups").Parse(`// Code generated by plugins/internal/gen (go generate ./plugins/...). DO NOT EDIT.

package {{.Dest}}

// Builtin lists the plugins compiled into the kernel, besides the standard
// library: one per third-party module and one per package of this module.
var Builtin = []Group{
{{- range .Groups}}
	{
		Name:        {{printf "%q" .Name}},
		Module:      {{printf "%q" .Module}},
		Version:     {{printf "%q" .Version}},
		Packages:    []string{ {{- range $i, $p := .Packages}}{{if $i}}, {{end}}{{printf "%q" $p}}{{end -}} },
		Description: {{printf "%q" .Description}},
		{{- if .API}}
		API:         {{printf "%q" .API}},
		{{- end}}
	},
{{- end}}
}
`))

// BuiltinFile is the name of the generated file listing the built-in plugins.
const BuiltinFile = "zz_builtin.go"

// BuiltinSource renders the Go file that lists groups.
func BuiltinSource(groups []Group) ([]byte, error) {
	var b bytes.Buffer
	if err := groupsTemplate.Execute(&b, map[string]any{"Dest": Dest, "Groups": groups}); err != nil {
		return nil, err
	}
	return format.Source(b.Bytes())
}

// Write replaces the generated files (zz_*.go) of dir with files.
func Write(dir string, files map[string][]byte) error {
	old, err := filepath.Glob(filepath.Join(dir, "zz_*.go"))
	if err != nil {
		return err
	}
	for _, f := range old {
		if _, keep := files[filepath.Base(f)]; !keep {
			if err := os.Remove(f); err != nil {
				return err
			}
		}
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Generate lists the third-party packages and the local packages of the
// module at root (skipping import paths matching exclude, when not nil),
// extracts their symbols with workers parallel extractions, and returns
// every generated file by name, including BuiltinFile. The working directory
// must be root. Cost: a few seconds a dozen packages.
func Generate(root string, exclude *regexp.Regexp, workers int) (map[string][]byte, error) {
	third, err := List(root, ThirdParty)
	if err != nil {
		return nil, err
	}
	local, err := List(root, LocalPatterns)
	if err != nil {
		return nil, err
	}
	var pkgs []Package
	for _, p := range append(third, local...) {
		if exclude == nil || !exclude.MatchString(p.ImportPath) {
			pkgs = append(pkgs, p)
		}
	}
	files, err := Extract(pkgs, workers)
	if err != nil {
		return nil, err
	}
	groups, err := Groups(pkgs, Descriptions)
	if err != nil {
		return nil, err
	}
	b, err := BuiltinSource(groups)
	if err != nil {
		return nil, err
	}
	files[BuiltinFile] = b
	return files, nil
}
