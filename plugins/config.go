package plugins

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
)

// Config says where a kernel finds plugins (see pluginmagic.Install).
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
