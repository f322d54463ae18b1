package plugins

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync"
)

// kernelInfo returns the kernel's build information. Binaries built by
// `go build` list every linked module; test binaries (`go test`) list none,
// and for them the modules are read from the source tree they were built
// from with `go list -m all`, which gives the versions such a build links.
// Computed once.
var kernelInfo = sync.OnceValues(func() (*debug.BuildInfo, error) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return nil, errors.New("the kernel binary has no Go build information (built without module support?)")
	}
	if len(bi.Deps) > 0 {
		return bi, nil
	}
	src := kernelSource(bi, "")
	if src == "" {
		return bi, nil
	}
	out, err := listModules(src)
	if err != nil {
		return nil, err
	}
	c := *bi
	c.Deps = nil
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var m struct {
			Path, Version, Sum string
			Main               bool
			Replace            *struct{ Path, Version, Sum string }
		}
		if err := dec.Decode(&m); err != nil {
			return nil, err
		}
		if m.Main {
			continue
		}
		d := &debug.Module{Path: m.Path, Version: m.Version, Sum: m.Sum}
		if m.Replace != nil {
			d.Replace = &debug.Module{Path: m.Replace.Path, Version: m.Replace.Version, Sum: m.Replace.Sum}
		}
		c.Deps = append(c.Deps, d)
	}
	return &c, nil
})

// kernelSource finds the source directory of the kernel's main module: dir
// when given, else $SUBSPACE_SOURCE, else the tree this binary was compiled
// from (its file paths, when not built with -trimpath), provided it still
// holds a go.mod of that module. It returns "" when none does.
func kernelSource(bi *debug.BuildInfo, dir string) string {
	cands := []string{dir, os.Getenv("SUBSPACE_SOURCE")}
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		cands = append(cands, filepath.Dir(filepath.Dir(file)))
	}
	for _, c := range cands {
		if c != "" && modulePath(filepath.Join(c, "go.mod")) == bi.Main.Path {
			if abs, err := filepath.Abs(c); err == nil {
				return abs
			}
		}
	}
	return ""
}

// listModules runs `go list -m -json all` in the module at src. It works
// on copies of go.mod and go.sum (-modfile), so that the hashes the
// listing needs are added to the copies and the source tree stays tidy.
func listModules(src string) ([]byte, error) {
	tmp, err := os.MkdirTemp("", "subspace-modules-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	for _, f := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(filepath.Join(src, f))
		if err != nil && (f == "go.mod" || !os.IsNotExist(err)) {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(tmp, f), data, 0o644); err != nil {
			return nil, err
		}
	}
	cmd := exec.Command("go", "list", "-modfile="+filepath.Join(tmp, "go.mod"), "-m", "-json", "all")
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("listing the kernel's modules in %s: %v: %s", src, err, stderr.Bytes())
	}
	return out, nil
}
