// Package pluginmagic loads plugins into a cell session and gives its cells
// the %plugin and %plugins magics; the documentation of a loaded plugin's
// packages goes to the completion index.
package pluginmagic

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/subspace-kernel/subspace/kernel/complete"
	"github.com/subspace-kernel/subspace/kernel/magic"
	"github.com/subspace-kernel/subspace/plugins"
	"github.com/traefik/yaegi/interp"
)

// Host is the cell session plugins are loaded into.
type Host interface {
	// Use adds compiled packages that cells may import.
	Use(interp.Exports) error
}

// Install registers the %plugin and %plugins magics in reg and loads every
// plugin found in cfg.Path into host. A plugin that cannot be loaded is
// reported on the process's standard error (the kernel log) and by %plugins,
// and skipped: the session starts anyway.
//
//	%plugins                    list the loaded plugins: name, version, origin, packages
//	%plugin load FILE           check and load a .so plugin
//	%plugin build DIR [flags]   build a Go package into a plugin matching the kernel, and load it
//	%plugin get PKG@VERSION     the same for a package of a public module
//	%plugin path                show the plugin search path
func Install(reg *magic.Registry, host Host, cfg plugins.Config) error {
	if cfg.BuildDir == "" {
		cfg.BuildDir = plugins.DefaultDir()
	}
	// Plugins of the path that fail to load are reported in the kernel's
	// log (no cell is running yet) and again by %plugins.
	var failed []string
	for _, f := range plugins.Find(cfg.Path) {
		if _, err := Use(host, f); err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", f, err))
			fmt.Fprintf(os.Stderr, "subspace: plugin %s not loaded: %v\n", f, err)
		}
	}
	reg.Register(magic.Magic{
		Name: "plugins",
		Help: "list plugins: built in and loaded .so files, their versions, origin and the packages cells can import",
		Run: func(ctx context.Context, s magic.Session, line, body string) error {
			if err := plugins.List(s.Stdout(), strings.TrimSpace(line) == "-v"); err != nil {
				return err
			}
			if len(failed) > 0 {
				fmt.Fprintf(s.Stdout(), "\nnot loaded at start:\n  %s\n", strings.Join(failed, "\n  "))
			}
			return nil
		},
	})
	reg.Register(magic.Magic{
		Name: "plugin",
		Help: "%plugin load FILE | build DIR [-o FILE] [-name N] | get PKG@VERSION | path: compiled Go packages for cells",
		Run: func(ctx context.Context, s magic.Session, line, body string) error {
			return runPluginMagic(ctx, s, host, cfg, strings.Fields(line))
		},
	})
	return nil
}

// Use loads the plugin file (plugins.Load), adds its packages to host and
// their documentation to the completion index, and returns its manifest.
func Use(host Host, file string) (*plugins.Manifest, error) {
	m, exports, err := plugins.Load(file)
	if err != nil {
		return m, err
	}
	if err := host.Use(exports); err != nil {
		return m, err
	}
	registerDocs(m)
	return m, nil
}

func registerDocs(m *plugins.Manifest) {
	for pkg, docs := range m.Docs {
		complete.RegisterDocs(pkg, docs)
	}
}

const pluginUsage = `usage:
  %plugin load FILE                 check FILE against the kernel and load it
  %plugin build DIR [-o FILE] [-name NAME] [-import PATH]
                                    build the Go package in DIR into a plugin matching the kernel, and load it
  %plugin get PKG@VERSION [-o FILE] the same for a package of a public Go module
  %plugin path                      show where plugins are looked for and built
  %plugins [-v]                     list plugins`

func runPluginMagic(ctx context.Context, s magic.Session, host Host, cfg plugins.Config, args []string) error {
	if len(args) == 0 {
		io.WriteString(s.Stdout(), pluginUsage+"\n")
		return nil
	}
	switch args[0] {
	case "load":
		if len(args) != 2 {
			return errors.New("usage: %plugin load FILE")
		}
		m, err := Use(host, args[1])
		if err != nil {
			return err
		}
		announce(s.Stdout(), m)
		return nil
	case "build", "get":
		o, _, err := plugins.ParseBuildArgs(args[0], args[1:], s.Stderr())
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		if err != nil {
			return err
		}
		o.OutDir, o.Log = cfg.BuildDir, s.Stderr()
		fmt.Fprintf(s.Stdout(), "building %s ...\n", o.Dir+o.Module)
		built, err := plugins.Build(ctx, o)
		if err != nil {
			return err
		}
		m, err := Use(host, built.File)
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

func announce(w io.Writer, m *plugins.Manifest) {
	fmt.Fprintf(w, "loaded plugin %s %s from %s\n", m.Name, m.Version, m.File)
	for _, p := range m.Packages {
		fmt.Fprintf(w, "  import %q\n", p)
	}
}
