// Command installext installs the JupyterLab extension into the Jupyter
// data directory given as its argument (e.g. build/jupyter, or
// ~/.local/share/jupyter). Run by `make install-labextension`; the
// kernel's own `subspace install` can do the same by calling
// jupyterlab.Install.
package main

import (
	"fmt"
	"os"

	"github.com/subspace-kernel/subspace/jupyterlab"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: installext JUPYTER_DATA_DIR")
		os.Exit(2)
	}
	dir, err := jupyterlab.Install(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "installext:", err)
		os.Exit(1)
	}
	fmt.Println("installed JupyterLab extension in", dir)
}
