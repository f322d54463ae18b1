package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/subspace-kernel/subspace/jupyterlab"
	"github.com/subspace-kernel/subspace/kernelspec"
)

// installCommand installs the kernelspec.
var installCommand = &Command{Name: "install", Summary: "install the Jupyter kernelspec (default: --user)", Run: runInstall}

func runInstall(args []string) error {
	fs := flag.NewFlagSet("subspace install", flag.ContinueOnError)
	user := fs.Bool("user", false, "install for the current user: $JUPYTER_DATA_DIR, else ~/.local/share/jupyter (the default)")
	prefix := fs.String("prefix", "", "install under `P`/share/jupyter/kernels")
	sysPrefix := fs.Bool("sys-prefix", false, "install under the sys.prefix of /usr/bin/python3 (Jupyter's own environment)")
	name := fs.String("name", "subspace", "kernelspec name (directory under kernels/)")
	display := fs.String("display-name", "", "display name (default \"Go (subspace)\", or \"Go (NAME)\" with --name)")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	n := 0
	for _, b := range []bool{*user, *prefix != "", *sysPrefix} {
		if b {
			n++
		}
	}
	if n > 1 {
		return usageError{"--user, --prefix and --sys-prefix exclude each other"}
	}
	if *name == "" || strings.ContainsAny(*name, `/\`) || *name == "." || *name == ".." {
		return usageError{fmt.Sprintf("invalid kernelspec name %q", *name)}
	}
	var data string
	switch {
	case *prefix != "":
		data = filepath.Join(*prefix, "share", "jupyter")
	case *sysPrefix:
		out, err := exec.Command("/usr/bin/python3", "-c", "import sys; print(sys.prefix)").Output()
		if err != nil {
			return fmt.Errorf("--sys-prefix needs /usr/bin/python3 to tell its sys.prefix: %w", err)
		}
		data = filepath.Join(strings.TrimSpace(string(out)), "share", "jupyter")
	default:
		d, err := kernelspec.UserDataDir()
		if err != nil {
			return err
		}
		data = d
	}
	bin, err := os.Executable()
	if err != nil {
		return fmt.Errorf("locating this binary: %w", err)
	}
	if bin, err = filepath.EvalSymlinks(bin); err != nil {
		return fmt.Errorf("locating this binary: %w", err)
	}
	if bin, err = filepath.Abs(bin); err != nil {
		return err
	}
	dn := *display
	if dn == "" {
		dn = "Go (subspace)"
		if *name != "subspace" {
			dn = "Go (" + *name + ")"
		}
	}
	dir := filepath.Join(data, "kernels", *name)
	if err := kernelspec.Write(dir, kernelspec.NewSpec(bin, dn)); err != nil {
		if errors.Is(err, os.ErrPermission) {
			return fmt.Errorf("%w (try --user)", err)
		}
		return err
	}
	fmt.Printf("installed kernelspec %s in %s\n", *name, dir)
	// The JupyterLab mime renderer for echarts outputs goes beside the
	// kernelspecs; the classic notebook uses the kernelspec's kernel.js.
	ext, err := jupyterlab.Install(data)
	if err != nil {
		return err
	}
	fmt.Printf("installed JupyterLab extension in %s\n", ext)
	return nil
}
