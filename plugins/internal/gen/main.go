// Command gen regenerates the kernel's built-in symbol tables
// (plugins/symbols/zz_*.go) with yaegi's extract package: gonum, go-echarts
// and every package under native/ and display/ found by go list. It is run by
// `go generate ./plugins/...` (make generate) from the plugins directory.
//
// Usage: go run ./internal/gen [-root ..] [-out plugins/symbols] [-exclude REGEXP]
package main

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"runtime"

	"github.com/subspace-kernel/subspace/plugins/internal/symgen"
)

func main() {
	root := flag.String("root", "..", "module root")
	out := flag.String("out", "plugins/symbols", "output directory, relative to the module root")
	exclude := flag.String("exclude", "", "skip packages whose import path matches this regexp")
	flag.Parse()
	if err := run(*root, *out, *exclude); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(root, out, exclude string) error {
	var re *regexp.Regexp
	if exclude != "" {
		var err error
		if re, err = regexp.Compile(exclude); err != nil {
			return fmt.Errorf("-exclude: %v", err)
		}
	}
	if err := os.Chdir(root); err != nil {
		return err
	}
	files, err := symgen.Generate(".", re, runtime.GOMAXPROCS(0))
	if err != nil {
		return err
	}
	if err := symgen.Write(out, files); err != nil {
		return err
	}
	fmt.Printf("gen: wrote %d files to %s\n", len(files), out)
	return nil
}
