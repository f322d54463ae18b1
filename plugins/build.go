package plugins

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/subspace-kernel/subspace/api"
)

// BuildOptions say what Build compiles and where it writes the plugin.
// Exactly one of Dir and Module is set.
type BuildOptions struct {
	// Dir is a directory holding one Go package (not package main). Inside a
	// module (a go.mod in Dir or above) the package keeps its import path;
	// otherwise cells import it by the directory's base name.
	Dir string
	// Module is PACKAGE@VERSION of a public Go module, fetched through the
	// module proxy (e.g. "gonum.org/v1/gonum/stat/combin@v0.17.0").
	Module string
	// ImportPath overrides the import path cells use for a Dir outside any
	// module.
	ImportPath string
	// Out is the .so file to write; default OutDir/NAME.so.
	Out string
	// OutDir is where Out goes by default; default DefaultDir().
	OutDir string
	// Name, Version and Description override the manifest's (default: the
	// package name, "(devel)" or the module version, the package synopsis).
	Name, Version, Description string
	// Log receives the go command's output while building; may be nil.
	Log io.Writer
	// KernelSource is the directory of the kernel's own module source, needed
	// when the plugin imports the kernel's packages (native/..., display/...).
	// Default: $SUBSPACE_SOURCE, else the source tree this binary was built
	// from, when it still exists.
	KernelSource string
}

// DefaultDir is where Build writes plugins by default:
// $SUBSPACE_PLUGIN_BUILD_DIR, else the user cache directory's
// subspace/plugins.
func DefaultDir() string {
	if d := os.Getenv("SUBSPACE_PLUGIN_BUILD_DIR"); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "subspace", "plugins")
	}
	return filepath.Join(os.TempDir(), "subspace-plugins")
}

// fileUnsafe matches what a plugin's name may not put in a file name.
var fileUnsafe = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

//go:embed internal/gensrc/main.go.txt
var generatorSource string

// Build compiles a Go package into a plugin that matches the running kernel
// and returns its manifest (File is the written .so; it is not loaded). The
// plugin is built in a temporary module whose go.mod requires and pins (with
// replace directives) every module the kernel links at the kernel's exact
// version, with the kernel's Go toolchain and build settings (-tags,
// -trimpath, cgo flags, GOAMD64, ...), and whose main package holds the yaegi
// symbol table of the package (yaegi's extract) and the manifest. Cost: a go
// build; about 10-20 s the first time, a few seconds once the build cache is
// warm.
func Build(ctx context.Context, o BuildOptions) (*Manifest, error) {
	if (o.Dir == "") == (o.Module == "") {
		return nil, errors.New("plugin build: give either a directory or a MODULE@VERSION")
	}
	kernel, err := kernelInfo()
	if err != nil {
		return nil, fmt.Errorf("plugin build: %v", err)
	}
	if ok, why := Supported(); !ok {
		return nil, fmt.Errorf("plugin build: %s", why)
	}
	b := &builder{ctx: ctx, o: o, kernel: kernel, log: o.Log}
	if b.log == nil {
		b.log = io.Discard
	}
	if b.gocmd, err = goCommand(kernel.GoVersion); err != nil {
		return nil, err
	}
	if b.work, err = os.MkdirTemp("", "subspace-plugin-"); err != nil {
		return nil, err
	}
	defer os.RemoveAll(b.work)
	m, err := b.build()
	if err != nil {
		return nil, fmt.Errorf("plugin build %s: %w", b.origin(), err)
	}
	return m, nil
}

type builder struct {
	ctx    context.Context
	o      BuildOptions
	kernel *debug.BuildInfo
	log    io.Writer
	gocmd  string
	work   string

	importPath string   // the package cells import
	modVersion string   // VERSION of a Module build
	requires   []string // extra "path version" requirements
	replaces   []string // extra "path => dir" replacements
	sums       [][]byte // go.sum contents to start from
}

func (b *builder) origin() string {
	if b.o.Dir != "" {
		if abs, err := filepath.Abs(b.o.Dir); err == nil {
			return abs
		}
		return b.o.Dir
	}
	return b.o.Module
}

func (b *builder) build() (*Manifest, error) {
	src := kernelSource(b.kernel, b.o.KernelSource)
	if src != "" {
		if sum, err := os.ReadFile(filepath.Join(src, "go.sum")); err == nil {
			b.sums = append(b.sums, sum)
		}
	}
	var err error
	if b.o.Dir != "" {
		err = b.fromDir(src)
	} else {
		err = b.fromModule()
	}
	if err != nil {
		return nil, err
	}
	if err := b.writeGoMod(src); err != nil {
		return nil, err
	}
	if b.o.Module != "" {
		if err := b.addModule(); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(filepath.Join(b.work, "gen"), 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(b.work, "gen", "main.go"), []byte(generatorSource), 0o644); err != nil {
		return nil, err
	}
	var info struct {
		Name     string
		Synopsis string
		Docs     map[string]api.DocEntry
	}
	out, err := b.goRun(nil, "run", "./gen", b.importPath, "zz_symbols.go")
	if err != nil {
		if src == "" && strings.Contains(err.Error(), b.kernel.Main.Path) {
			err = fmt.Errorf("%w\n(the source tree of the kernel module %s was not found, so its packages cannot be imported by plugins: set SUBSPACE_SOURCE to it)", err, b.kernel.Main.Path)
		}
		return nil, err
	}
	if err := json.Unmarshal(out, &info); err != nil {
		return nil, fmt.Errorf("reading the symbol generator's output: %v", err)
	}
	if info.Name == "main" {
		return nil, fmt.Errorf("%s is package main; a plugin's package must be importable (e.g. package geom)", b.importPath)
	}
	m := &Manifest{
		Name:        firstNonEmpty(b.o.Name, info.Name),
		Packages:    []string{b.importPath},
		Version:     b.o.Version,
		Description: firstNonEmpty(b.o.Description, info.Synopsis, "Go package "+b.importPath+" built as a plugin."),
		Origin:      b.origin(),
		Docs:        map[string]map[string]api.DocEntry{b.importPath: info.Docs},
	}
	if m.Version == "" {
		m.Version = firstNonEmpty(b.modVersion, "(devel)")
	}
	if err := b.writeMain(m); err != nil {
		return nil, err
	}
	dst := b.o.Out
	if dst == "" {
		dir := firstNonEmpty(b.o.OutDir, DefaultDir())
		dst = filepath.Join(dir, fileUnsafe.ReplaceAllString(m.Name, "_")+".so")
	}
	if dst, err = filepath.Abs(dst); err != nil {
		return nil, err
	}
	tmp := filepath.Join(b.work, "plugin.so")
	args := append([]string{"build", "-buildmode=plugin", "-o", tmp}, b.buildFlags()...)
	if _, err := b.goRun(b.log, append(args, ".")...); err != nil {
		return nil, err
	}
	if err := install(tmp, dst); err != nil {
		return nil, err
	}
	checked, err := Check(dst)
	if err != nil {
		return nil, fmt.Errorf("the plugin was built but does not match the kernel (a module it needs forced other versions?): %w", err)
	}
	return checked, nil
}

// fromDir sets the import path and module wiring of a package directory.
func (b *builder) fromDir(kernelSrc string) error {
	dir, err := filepath.Abs(b.o.Dir)
	if err != nil {
		return err
	}
	if st, err := os.Stat(dir); err != nil {
		return err
	} else if !st.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	if root, mod := findModule(dir); root != "" {
		rel, err := filepath.Rel(root, dir)
		if err != nil {
			return err
		}
		b.importPath = mod
		if rel != "." {
			b.importPath = mod + "/" + filepath.ToSlash(rel)
		}
		if mod == b.kernel.Main.Path {
			if kernelSrc == "" || root != kernelSrc {
				return fmt.Errorf("%s is inside the kernel's module %s but not in the source tree the kernel was built from (%s)", dir, mod, orNone(kernelSrc))
			}
			return nil
		}
		b.requires = append(b.requires, mod+" v0.0.0-00010101000000-000000000000")
		b.replaces = append(b.replaces, mod+" => "+root)
		if sum, err := os.ReadFile(filepath.Join(root, "go.sum")); err == nil {
			b.sums = append(b.sums, sum)
		}
		return nil
	}
	// No module: copy the package into a module of its own.
	b.importPath = firstNonEmpty(b.o.ImportPath, filepath.Base(dir))
	pkgDir := filepath.Join(b.work, "src")
	if err := os.MkdirAll(pkgDir, 0o755); err != nil {
		return err
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return err
	}
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(pkgDir, filepath.Base(f)), data, 0o644); err != nil {
			return err
		}
		n++
	}
	if n == 0 {
		return fmt.Errorf("no Go files in %s", dir)
	}
	gomod := fmt.Sprintf("module %s\n\ngo %s\n", b.importPath, strings.TrimPrefix(b.kernel.GoVersion, "go"))
	if err := os.WriteFile(filepath.Join(pkgDir, "go.mod"), []byte(gomod), 0o644); err != nil {
		return err
	}
	b.requires = append(b.requires, b.importPath+" v0.0.0-00010101000000-000000000000")
	b.replaces = append(b.replaces, b.importPath+" => ./src")
	return nil
}

// fromModule checks PACKAGE@VERSION against the kernel's pins.
func (b *builder) fromModule() error {
	i := strings.LastIndex(b.o.Module, "@")
	if i <= 0 || i == len(b.o.Module)-1 {
		return fmt.Errorf("want PACKAGE@VERSION, got %q", b.o.Module)
	}
	pkg, version := b.o.Module[:i], b.o.Module[i+1:]
	b.importPath, b.modVersion = pkg, version
	for _, d := range b.kernel.Deps {
		if pkg == d.Path || strings.HasPrefix(pkg, d.Path+"/") {
			if v := effective(d).Version; v != version {
				return fmt.Errorf("module %s is linked into the kernel at %s; a plugin must use the same version (asked for %s): use %s@%s", d.Path, v, version, pkg, v)
			}
		}
	}
	if m, ok := Provider(pkg); ok {
		if m.Builtin() {
			return fmt.Errorf("%s is already built into the kernel (plugin %s): import it directly", pkg, m.Name)
		}
		return fmt.Errorf("%s is already provided by plugin %s loaded from %s", pkg, m.Name, m.File)
	}
	return nil
}

// addModule finds the module providing the package of o.Module with
// `go mod download` (which works where the proxy refuses version lists) and
// requires it.
func (b *builder) addModule() error {
	pkg, version := b.importPath, b.modVersion
	var lastErr error
	for p := pkg; p != "." && p != "/" && p != ""; p = filepath.ToSlash(filepath.Dir(p)) {
		out, err := b.goRun(nil, "mod", "download", "-json", p+"@"+version)
		var dl struct{ Path, Version, Error string }
		_ = json.Unmarshal(out, &dl)
		if err != nil || dl.Error != "" {
			lastErr = fmt.Errorf("%v %s", err, dl.Error)
			continue
		}
		f, err := os.OpenFile(filepath.Join(b.work, "go.mod"), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(f, "\nrequire %s %s\n", dl.Path, dl.Version)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}
	return fmt.Errorf("no module provides %s at %s (is the module proxy reachable?): %v", pkg, version, lastErr)
}

// writeGoMod writes the temporary module's go.mod (every kernel module
// required and pinned) and go.sum.
func (b *builder) writeGoMod(kernelSrc string) error {
	var g strings.Builder
	fmt.Fprintf(&g, "// Generated by subspace plugin build: pinned to the kernel's module versions.\nmodule subspace.plugin/%s\n\ngo %s\n\n",
		fileUnsafe.ReplaceAllString(b.importPath, "_"), strings.TrimPrefix(b.kernel.GoVersion, "go"))
	g.WriteString("require (\n")
	for _, d := range b.kernel.Deps {
		fmt.Fprintf(&g, "\t%s %s\n", d.Path, d.Version)
	}
	if kernelSrc != "" {
		fmt.Fprintf(&g, "\t%s v0.0.0-00010101000000-000000000000\n", b.kernel.Main.Path)
	}
	for _, r := range b.requires {
		fmt.Fprintf(&g, "\t%s\n", r)
	}
	g.WriteString(")\n\nreplace (\n")
	for _, d := range b.kernel.Deps {
		e := effective(d)
		if e.Version == "" { // directory replacement
			fmt.Fprintf(&g, "\t%s => %s\n", d.Path, e.Path)
		} else {
			fmt.Fprintf(&g, "\t%s => %s %s\n", d.Path, e.Path, e.Version)
		}
	}
	if kernelSrc != "" {
		fmt.Fprintf(&g, "\t%s => %s\n", b.kernel.Main.Path, kernelSrc)
	}
	for _, r := range b.replaces {
		fmt.Fprintf(&g, "\t%s\n", r)
	}
	g.WriteString(")\n")
	if err := os.WriteFile(filepath.Join(b.work, "go.mod"), []byte(g.String()), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(b.work, "go.sum"), mergeSums(b.sums), 0o644)
}

// mergeSums concatenates go.sum files without duplicate lines.
func mergeSums(sums [][]byte) []byte {
	seen := map[string]bool{}
	var out bytes.Buffer
	for _, s := range sums {
		sc := bufio.NewScanner(bytes.NewReader(s))
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line != "" && !seen[line] {
				seen[line] = true
				out.WriteString(line + "\n")
			}
		}
	}
	return out.Bytes()
}

// writeMain writes the plugin's main package: the exported Symbols table
// (filled by the generated zz_symbols.go) and the Manifest.
func (b *builder) writeMain(m *Manifest) error {
	js, err := json.Marshal(m)
	if err != nil {
		return err
	}
	src := fmt.Sprintf(`// Code generated by subspace plugin build. DO NOT EDIT.

// Package main is the subspace plugin %q.
package main

import "reflect"

// Symbols holds the yaegi symbol tables of the plugin's packages.
var Symbols = map[string]map[string]reflect.Value{}

// Manifest describes the plugin (JSON between markers).
var Manifest = %q

func main() {}
`, m.Name, manifestStart+string(js)+manifestEnd)
	return os.WriteFile(filepath.Join(b.work, "main.go"), []byte(src), 0o644)
}

// buildFlags are the kernel's build settings that change compiled packages.
func (b *builder) buildFlags() []string {
	s := settings(b.kernel)
	var flags []string
	if t := s["-tags"]; t != "" {
		flags = append(flags, "-tags", t)
	}
	for _, k := range []string{"-trimpath", "-race", "-msan", "-asan"} {
		if s[k] == "true" {
			flags = append(flags, k)
		}
	}
	for _, k := range []string{"-gcflags", "-asmflags"} {
		if v, ok := s[k]; ok {
			flags = append(flags, k+"="+v)
		}
	}
	return flags
}

// env is the go command's environment: the kernel's toolchain, target and
// cgo settings, and -mod=mod so that go.sum is completed as needed.
func (b *builder) env() []string {
	s := settings(b.kernel)
	set := map[string]string{
		"GOFLAGS":     "-mod=mod",
		"GOTOOLCHAIN": "local",
		"CGO_ENABLED": "1",
		"GOWORK":      "off",
	}
	for _, k := range []string{"GOOS", "GOARCH", "GOAMD64", "GOARM", "GOARM64", "GO386", "GOPPC64", "GORISCV64", "GOEXPERIMENT",
		"CGO_CFLAGS", "CGO_CPPFLAGS", "CGO_CXXFLAGS", "CGO_LDFLAGS"} {
		if v, ok := s[k]; ok {
			set[k] = v
		}
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if _, overridden := set[k]; !overridden {
			env = append(env, kv)
		}
	}
	for k, v := range set {
		env = append(env, k+"="+v)
	}
	return env
}

// goRun runs the go command in the work directory; stderr goes to log (when
// not nil) and into the error.
func (b *builder) goRun(log io.Writer, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(b.ctx, b.gocmd, args...)
	cmd.Dir = b.work
	cmd.Env = b.env()
	var stderr bytes.Buffer
	if log != nil {
		cmd.Stderr = io.MultiWriter(&stderr, log)
	} else {
		cmd.Stderr = &stderr
	}
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// goCommand finds the go command of the kernel's toolchain.
func goCommand(want string) (string, error) {
	var cands []string
	if root := runtime.GOROOT(); root != "" {
		cands = append(cands, filepath.Join(root, "bin", "go"))
	}
	if p, err := exec.LookPath("go"); err == nil {
		cands = append(cands, p)
	}
	var seen []string
	for _, c := range cands {
		cmd := exec.Command(c, "env", "GOVERSION")
		cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
		out, err := cmd.Output()
		if err != nil {
			continue
		}
		v := strings.TrimSpace(string(out))
		if v == want {
			return c, nil
		}
		seen = append(seen, c+" is "+v)
	}
	if len(seen) == 0 {
		return "", fmt.Errorf("plugin build needs the Go toolchain %s (the kernel's), and no go command was found on PATH", want)
	}
	return "", fmt.Errorf("plugin build needs the Go toolchain %s (the kernel's): %s", want, strings.Join(seen, ", "))
}

// findModule returns the root and module path of the module holding dir.
func findModule(dir string) (root, path string) {
	for d := dir; ; d = filepath.Dir(d) {
		if p := modulePath(filepath.Join(d, "go.mod")); p != "" {
			return d, p
		}
		if filepath.Dir(d) == d {
			return "", ""
		}
	}
}

// modulePath reads the module path of a go.mod file ("" when unreadable).
func modulePath(gomod string) string {
	data, err := os.ReadFile(gomod)
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}

// install moves the built plugin to dst atomically: a plugin already loaded
// from dst keeps its (unlinked) file, so overwriting it in place never
// corrupts a running kernel.
func install(tmp, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if err := os.Rename(tmp, dst); err == nil {
		return nil
	}
	data, err := os.ReadFile(tmp)
	if err != nil {
		return err
	}
	part := dst + ".part"
	if err := os.WriteFile(part, data, 0o755); err != nil {
		return err
	}
	return os.Rename(part, dst)
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
