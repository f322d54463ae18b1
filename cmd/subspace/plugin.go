package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/subspace-kernel/subspace/kernelspec"
	"github.com/subspace-kernel/subspace/plugins"
)

// pluginCommand builds, checks and lists plugins.
var pluginCommand = &Command{Name: "plugin", Summary: "build, check and list plugins (compiled Go packages for cells)", Run: runPlugin}

// pluginConfig is where the kernel looks for plugins: the plugins/ folder of
// its kernelspec, then $SUBSPACE_PLUGIN_PATH. %plugin build writes into the
// kernelspec's folder (so a built plugin loads again at the next start),
// or into plugins.DefaultDir() when the kernelspec is not found.
func pluginConfig() plugins.Config {
	cfg := plugins.Config{BuildDir: plugins.DefaultDir()}
	var extra []string
	if d := kernelspecDir(); d != "" {
		extra = append(extra, filepath.Join(d, "plugins"))
		if os.Getenv("SUBSPACE_PLUGIN_BUILD_DIR") == "" {
			cfg.BuildDir = filepath.Join(d, "plugins")
		}
	}
	cfg.Path = plugins.SearchPath(extra...)
	return cfg
}

// kernelspecDir finds the kernelspec this binary runs from:
// $SUBSPACE_KERNELSPEC_DIR, else the first kernels/*/kernel.json under the
// Jupyter data directories ($JUPYTER_PATH, the user's, /usr/local/share and
// /usr/share) whose argv[0] is this executable. "" when none is.
func kernelspecDir() string {
	if d := os.Getenv("SUBSPACE_KERNELSPEC_DIR"); d != "" {
		return d
	}
	self, err := os.Executable()
	if err != nil {
		return ""
	}
	if self, err = filepath.EvalSymlinks(self); err != nil {
		return ""
	}
	dirs := filepath.SplitList(os.Getenv("JUPYTER_PATH"))
	if d, err := kernelspec.UserDataDir(); err == nil {
		dirs = append(dirs, d)
	}
	dirs = append(dirs, "/usr/local/share/jupyter", "/usr/share/jupyter")
	for _, d := range dirs {
		specs, _ := filepath.Glob(filepath.Join(d, "kernels", "*", "kernel.json"))
		for _, f := range specs {
			data, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			var spec struct{ Argv []string }
			if json.Unmarshal(data, &spec) != nil || len(spec.Argv) == 0 {
				continue
			}
			if bin, err := filepath.EvalSymlinks(spec.Argv[0]); err == nil && bin == self {
				return filepath.Dir(f)
			}
		}
	}
	return ""
}

const pluginHelp = `usage:
  subspace plugin build DIR [-o FILE] [-name NAME] [-import PATH]
        build the Go package in DIR into a plugin matching this kernel
        (same Go toolchain, module versions and build settings)
  subspace plugin get PKG@VERSION [-o FILE] [-name NAME]
        the same for a package of a public Go module (through the module proxy)
  subspace plugin check FILE...
        tell whether plugin files can be loaded into this kernel, and why not
  subspace plugin list
        list the built-in plugins and the plugin files on the search path

Plugins are written to the kernelspec's plugins/ folder when it is found
(they then load when the kernel starts), else to -o or the build directory
($SUBSPACE_PLUGIN_BUILD_DIR, else the user cache). The kernel also loads the
plugins in $SUBSPACE_PLUGIN_PATH; cells load more with %plugin load FILE.
`

func runPlugin(args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		os.Stdout.WriteString(pluginHelp)
		if len(args) == 0 {
			return usageError{"a subcommand is required"}
		}
		return nil
	}
	switch args[0] {
	case "build", "get":
		return pluginBuild(args[0], args[1:])
	case "check":
		if len(args) < 2 {
			return usageError{"usage: subspace plugin check FILE..."}
		}
		failed := 0
		for _, f := range args[1:] {
			m, err := plugins.Check(f)
			if err != nil {
				failed++
				fmt.Printf("%s: cannot be loaded: %v\n", f, err)
				continue
			}
			fmt.Printf("%s: ok: plugin %s %s provides %s\n", f, m.Name, m.Version, strings.Join(m.Packages, " "))
		}
		if ok, why := plugins.Supported(); !ok {
			return errors.New(why)
		}
		if failed > 0 {
			return fmt.Errorf("%d of %d plugins cannot be loaded", failed, len(args)-1)
		}
		return nil
	case "list":
		if err := plugins.List(os.Stdout, len(args) > 1 && args[1] == "-v"); err != nil {
			return err
		}
		cfg := pluginConfig()
		fmt.Printf("\nsearch path: %s\n", strings.Join(cfg.Path, string(os.PathListSeparator)))
		for _, f := range plugins.Find(cfg.Path) {
			if m, err := plugins.Check(f); err != nil {
				fmt.Printf("  %s: cannot be loaded: %v\n", f, err)
			} else {
				fmt.Printf("  %s: %s %s: %s\n", f, m.Name, m.Version, strings.Join(m.Packages, " "))
			}
		}
		return nil
	}
	return usageError{fmt.Sprintf("unknown plugin subcommand %q (build, get, check, list)", args[0])}
}

func pluginBuild(verb string, args []string) error {
	o, quiet, err := plugins.ParseBuildArgs(verb, args, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return usageError{err.Error()}
	}
	o.OutDir = pluginConfig().BuildDir
	if !quiet {
		o.Log = os.Stderr
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	m, err := plugins.Build(ctx, o)
	if err != nil {
		return err
	}
	fmt.Printf("built plugin %s %s: %s\n", m.Name, m.Version, m.File)
	for _, p := range m.Packages {
		fmt.Printf("  import %q\n", p)
	}
	fmt.Printf("load it in a cell with: %%plugin load %s\n", m.File)
	return nil
}
