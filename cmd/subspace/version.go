package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/subspace-kernel/subspace/kernel"
	"github.com/subspace-kernel/subspace/kernel/wire"
)

// versionCommand prints versions.
var versionCommand = &Command{Name: "version", Summary: "print the kernel, Go, yaegi and protocol versions", Run: runVersion}

// moduleVersion returns the version of module path linked into the binary,
// or "unknown" without build information.
func moduleVersion(path string) string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	for _, d := range bi.Deps {
		if d.Path == path {
			if d.Replace != nil {
				return d.Replace.Version + " (replaces " + d.Version + ")"
			}
			return d.Version
		}
	}
	return "unknown"
}

func runVersion(args []string) error {
	fs := flag.NewFlagSet("subspace version", flag.ContinueOnError)
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	fmt.Fprintf(os.Stdout, "subspace %s\ngo %s\nyaegi %s\nprotocol %s\n",
		kernel.Version, runtime.Version(), moduleVersion("github.com/traefik/yaegi"), wire.ProtocolVersion)
	return nil
}
