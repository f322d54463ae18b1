// Command genkerneljs writes the classic notebook extension
// (chart.KernelJS) to the file named by its argument, normally
// kernelspec/kernel.js. Run by `make display-assets`.
package main

import (
	"fmt"
	"os"

	"github.com/subspace-kernel/subspace/display/chart"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: genkerneljs OUTPUT")
		os.Exit(2)
	}
	if err := os.WriteFile(os.Args[1], chart.KernelJS(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "genkerneljs:", err)
		os.Exit(1)
	}
}
