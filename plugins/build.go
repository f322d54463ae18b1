package plugins

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
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
	if err := b.prepare(src); err != nil {
		return nil, err
	}
	m, err := b.manifest(src)
	if err != nil {
		return nil, err
	}
	return b.compile(m)
}

// prepare writes the work module: the package's sources, go.mod and the
// symbol generator.
func (b *builder) prepare(src string) error {
	var err error
	if b.o.Dir != "" {
		err = b.fromDir(src)
	} else {
		err = b.fromModule()
	}
	if err != nil {
		return err
	}
	if err := b.writeGoMod(src); err != nil {
		return err
	}
	if b.o.Module != "" {
		if err := b.addModule(); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(filepath.Join(b.work, "gen"), 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(b.work, "gen", "main.go"), []byte(generatorSource), 0o644)
}

// manifest runs the symbol generator (which writes zz_symbols.go) and
// describes the plugin from its output.
func (b *builder) manifest(src string) (*Manifest, error) {
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
	return m, nil
}

// compile builds the plugin of m, installs it and checks it against the
// kernel.
func (b *builder) compile(m *Manifest) (*Manifest, error) {
	if err := b.writeMain(m); err != nil {
		return nil, err
	}
	dst := b.o.Out
	if dst == "" {
		dir := firstNonEmpty(b.o.OutDir, DefaultDir())
		dst = filepath.Join(dir, fileUnsafe.ReplaceAllString(m.Name, "_")+".so")
	}
	dst, err := filepath.Abs(dst)
	if err != nil {
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
