package plugins

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/subspace-kernel/subspace/kernel/cell"
	"github.com/subspace-kernel/subspace/kernel/complete"
)

// Config configures Install.
type Config struct {
	// Path lists directories whose *.so plugins are loaded into the session
	// by Install (the kernelspec's plugins/ folder, SearchPath()).
	Path []string
	// BuildDir is where %plugin build and %plugin get write plugins;
	// default DefaultDir().
	BuildDir string
}

// SearchPath returns the directories of $SUBSPACE_PLUGIN_PATH (a list
// separated by the OS's path list separator), after extra (e.g. the
// kernelspec's plugins/ folder), without empty or repeated entries.
func SearchPath(extra ...string) []string {
	var out []string
	seen := map[string]bool{}
	for _, d := range append(extra, filepath.SplitList(os.Getenv("SUBSPACE_PLUGIN_PATH"))...) {
		if d != "" && !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

// Find returns the .so files directly inside dirs, sorted within each
// directory; missing directories are skipped. O(directory entries).
func Find(dirs []string) []string {
	var out []string
	for _, d := range dirs {
		files, _ := filepath.Glob(filepath.Join(d, "*.so"))
		sort.Strings(files)
		out = append(out, files...)
	}
	return out
}

// Install registers the %plugin and %plugins magics in s and loads every
// plugin found in cfg.Path into it. A plugin that cannot be loaded is
// reported on the process's standard error (the kernel log) and by %plugins,
// and skipped: the session starts anyway.
//
//	%plugins                    list the loaded plugins: name, version, origin, packages
//	%plugin load FILE           check and load a .so plugin
//	%plugin build DIR [flags]   build a Go package into a plugin matching the kernel, and load it
//	%plugin get PKG@VERSION     the same for a package of a public module
//	%plugin path                show the plugin search path
func Install(s *cell.Session, cfg Config) error {
	if cfg.BuildDir == "" {
		cfg.BuildDir = DefaultDir()
	}
	// Plugins of the path that fail to load are reported in the kernel's
	// log (no cell is running yet) and again by %plugins.
	var failed []string
	for _, f := range Find(cfg.Path) {
		if _, err := Use(s, f); err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", f, err))
			fmt.Fprintf(os.Stderr, "subspace: plugin %s not loaded: %v\n", f, err)
		}
	}
	s.RegisterMagic(cell.Magic{
		Name: "plugins",
		Help: "list plugins: built in and loaded .so files, their versions, origin and the packages cells can import",
		Run: func(ctx context.Context, s *cell.Session, line, body string) error {
			if err := List(s.Stdout(), strings.TrimSpace(line) == "-v"); err != nil {
				return err
			}
			if len(failed) > 0 {
				fmt.Fprintf(s.Stdout(), "\nnot loaded at start:\n  %s\n", strings.Join(failed, "\n  "))
			}
			return nil
		},
	})
	s.RegisterMagic(cell.Magic{
		Name: "plugin",
		Help: "%plugin load FILE | build DIR [-o FILE] [-name N] | get PKG@VERSION | path: compiled Go packages for cells",
		Run: func(ctx context.Context, s *cell.Session, line, body string) error {
			return runPluginMagic(ctx, s, cfg, strings.Fields(line))
		},
	})
	return nil
}

// Use loads the plugin file (Load), adds its packages to the session and
// their documentation to the completion index, and returns its manifest.
func Use(s *cell.Session, file string) (*Manifest, error) {
	m, exports, err := Load(file)
	if err != nil {
		return m, err
	}
	if err := s.Use(exports); err != nil {
		return m, err
	}
	registerDocs(m)
	return m, nil
}

func registerDocs(m *Manifest) {
	for pkg, docs := range m.Docs {
		entries := make(map[string]complete.DocEntry, len(docs))
		for name, d := range docs {
			entries[name] = complete.DocEntry{Kind: d.Kind, Signature: d.Signature, Doc: d.Doc}
		}
		complete.RegisterDocs(pkg, entries)
	}
}

// List writes the table of plugins that %plugins shows; with verbose, also
// each plugin's description and modules.
func List(w io.Writer, verbose bool) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tVERSION\tFROM\tPACKAGES")
	for _, m := range Manifests() {
		from := "built in"
		if !m.Builtin() {
			from = m.File
		}
		pkgs := strings.Join(m.Packages, " ")
		if m.Name == "stdlib" && !verbose {
			pkgs = fmt.Sprintf("%d standard library packages", len(m.Packages))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.Name, m.Version, from, pkgs)
		if verbose {
			fmt.Fprintf(tw, "\t%s\t\t\n", m.Description)
			if !m.Builtin() {
				fmt.Fprintf(tw, "\tbuilt from %s with %s\t\t\n", m.Origin, m.GoVersion)
				for _, p := range sortedKeys(m.Modules) {
					fmt.Fprintf(tw, "\t  %s %s\t\t\n", p, m.Modules[p])
				}
			}
		}
	}
	return tw.Flush()
}

const pluginUsage = `usage:
  %plugin load FILE                 check FILE against the kernel and load it
  %plugin build DIR [-o FILE] [-name NAME] [-import PATH]
                                    build the Go package in DIR into a plugin matching the kernel, and load it
  %plugin get PKG@VERSION [-o FILE] the same for a package of a public Go module
  %plugin path                      show where plugins are looked for and built
  %plugins [-v]                     list plugins`

func runPluginMagic(ctx context.Context, s *cell.Session, cfg Config, args []string) error {
	if len(args) == 0 {
		io.WriteString(s.Stdout(), pluginUsage+"\n")
		return nil
	}
	switch args[0] {
	case "load":
		if len(args) != 2 {
			return errors.New("usage: %plugin load FILE")
		}
		m, err := Use(s, args[1])
		if err != nil {
			return err
		}
		announce(s.Stdout(), m)
		return nil
	case "build", "get":
		o, _, err := ParseBuildArgs(args[0], args[1:], s.Stderr())
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		if err != nil {
			return err
		}
		o.OutDir, o.Log = cfg.BuildDir, s.Stderr()
		fmt.Fprintf(s.Stdout(), "building %s ...\n", o.Dir+o.Module)
		built, err := Build(ctx, o)
		if err != nil {
			return err
		}
		m, err := Use(s, built.File)
		if err != nil {
			return err
		}
		announce(s.Stdout(), m)
		return nil
	case "path":
		fmt.Fprintf(s.Stdout(), "loaded at start from: %s\nbuilt into: %s\n", strings.Join(cfg.Path, string(os.PathListSeparator)), cfg.BuildDir)
		return nil
	}
	return fmt.Errorf("unknown %%plugin command %q\n%s", args[0], pluginUsage)
}

func announce(w io.Writer, m *Manifest) {
	fmt.Fprintf(w, "loaded plugin %s %s from %s\n", m.Name, m.Version, m.File)
	for _, p := range m.Packages {
		fmt.Fprintf(w, "  import %q\n", p)
	}
}

// ParseBuildArgs parses the arguments of `plugin build DIR` and
// `plugin get PKG@VERSION` (verb is "build" or "get"): the target, and the
// flags -o FILE, -name NAME, -import PATH and -q (quiet, reported
// separately) before or after it. Flag errors and -h go to flagOutput.
func ParseBuildArgs(verb string, args []string, flagOutput io.Writer) (o BuildOptions, quiet bool, err error) {
	what := map[string]string{"build": "DIR", "get": "PKG@VERSION"}[verb]
	if what == "" {
		return o, false, fmt.Errorf("unknown plugin command %q (build or get)", verb)
	}
	fs := flag.NewFlagSet("plugin "+verb, flag.ContinueOnError)
	fs.SetOutput(flagOutput)
	fs.StringVar(&o.Out, "o", "", "write the plugin to `FILE` (default: the build directory)")
	fs.StringVar(&o.Name, "name", "", "plugin name (default: the package name)")
	fs.StringVar(&o.ImportPath, "import", "", "import path for a directory outside any module (default: the directory name)")
	fs.BoolVar(&quiet, "q", false, "do not show the go command's output")
	target := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		target, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return o, false, err
	}
	if target == "" && fs.NArg() == 1 {
		target = fs.Arg(0)
	} else if target == "" || fs.NArg() > 0 {
		return o, false, fmt.Errorf("usage: plugin %s %s [-o FILE] [-name NAME] [-import PATH] [-q]", verb, what)
	}
	if verb == "build" {
		o.Dir = target
	} else {
		o.Module = target
	}
	return o, quiet, nil
}
