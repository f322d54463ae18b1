// Command subspace is a Jupyter kernel for Go, interpreted by yaegi, with
// compiled packages for representation geometry.
//
//	subspace kernel --connection-file F   run the kernel (Jupyter starts it)
//	subspace install [--user | --prefix P | --sys-prefix] [--name N]
//	subspace version
//
// and plugin build|get|check|list (see commands.go). The kernel command
// wires the parts together (kernelcmd.go): the protocol server (package
// kernel), the cell engine (package engine) with the built-in symbol
// tables, plugins and their magics, and display with its chart converter.
package main

import (
	"errors"
	"fmt"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(os.Stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(os.Stderr, "subspace: unknown command %q\n\n", args[0])
		usage(os.Stderr)
		return 2
	}
	if err := c.Run(args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "subspace %s: %v\n", c.Name, err)
		var ue usageError
		if errors.As(err, &ue) {
			return 2
		}
		return 1
	}
	return 0
}
