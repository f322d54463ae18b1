// Command gendocs writes the documentation index that package complete
// embeds (gzip-compressed JSON). It indexes the standard-library packages
// of yaegi's stdlib.Symbols, the gonum and go-echarts packages of
// docgen.Extra, and this module's ./native/... and ./display/... packages
// that exist when it runs. Run it with `go generate ./kernel/complete/`.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/subspace-kernel/subspace/kernel/complete/internal/docgen"
)

func main() {
	out := flag.String("o", "docindex.json.gz", "output file")
	maxDoc := flag.Int("maxdoc", 0, "cut doc comments longer than this many bytes after their last whole paragraph that fits (0: keep whole)")
	maxPkgDoc := flag.Int("maxpkgdoc", 0, "same bound for package doc comments")
	maxSig := flag.Int("maxsiglines", 0, "cut type declarations after this many lines (0: keep whole)")
	verbose := flag.Bool("v", false, "print skipped packages")
	flag.Parse()
	if err := generate(*out, docgen.Options{MaxDoc: *maxDoc, MaxPackageDoc: *maxPkgDoc, MaxSigLines: *maxSig, SkipInternal: true}, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}

func generate(out string, o docgen.Options, verbose bool) error {
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return fmt.Errorf("go env GOMOD: %w", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	fixed := docgen.FixedPackages()
	hash, err := docgen.ListHash(root, fixed)
	if err != nil {
		return err
	}
	pkgs, warnings, err := docgen.Build(root, append(append([]string{}, fixed...), docgen.Local...), o)
	if err != nil {
		return err
	}
	for _, p := range fixed {
		if pkgs[p] == nil {
			return fmt.Errorf("package %s of the fixed list was not indexed (warnings: %s)", p, strings.Join(warnings, "; "))
		}
	}
	if verbose {
		for _, w := range warnings {
			fmt.Fprintln(os.Stderr, "gendocs:", w)
		}
	} else if len(warnings) > 0 {
		fmt.Fprintf(os.Stderr, "gendocs: %d packages skipped (-v lists them and why)\n", len(warnings))
	}
	js, err := json.Marshal(docgen.Index{Version: docgen.Version, ListHash: hash, Fixed: fixed, Packages: pkgs})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if _, err := zw.Write(js); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	n := 0
	for _, p := range pkgs {
		n += len(p.Symbols)
	}
	fmt.Fprintf(os.Stderr, "gendocs: %d packages, %d names, %d bytes JSON, %d bytes gzip -> %s\n", len(pkgs), n, len(js), buf.Len(), out)
	return nil
}
