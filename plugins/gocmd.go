package plugins

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// buildFlags are the kernel's build settings that change compiled packages.
func (b *builder) buildFlags() []string {
	s := settings(b.kernel)
	var flags []string
	if t := s["-tags"]; t != "" {
		flags = append(flags, "-tags", t)
	}
	for _, k := range []string{"-trimpath", "-race", "-msan", "-asan"} {
		if s[k] == "true" {
			flags = append(flags, k)
		}
	}
	for _, k := range []string{"-gcflags", "-asmflags"} {
		if v, ok := s[k]; ok {
			flags = append(flags, k+"="+v)
		}
	}
	return flags
}

// env is the go command's environment: the kernel's toolchain, target and
// cgo settings, and -mod=mod so that go.sum is completed as needed.
func (b *builder) env() []string {
	s := settings(b.kernel)
	set := map[string]string{
		"GOFLAGS":     "-mod=mod",
		"GOTOOLCHAIN": "local",
		"CGO_ENABLED": "1",
		"GOWORK":      "off",
	}
	for _, k := range []string{"GOOS", "GOARCH", "GOAMD64", "GOARM", "GOARM64", "GO386", "GOPPC64", "GORISCV64", "GOEXPERIMENT",
		"CGO_CFLAGS", "CGO_CPPFLAGS", "CGO_CXXFLAGS", "CGO_LDFLAGS"} {
		if v, ok := s[k]; ok {
			set[k] = v
		}
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if _, overridden := set[k]; !overridden {
			env = append(env, kv)
		}
	}
	for k, v := range set {
		env = append(env, k+"="+v)
	}
	return env
}

// goRun runs the go command in the work directory; stderr goes to log (when
// not nil) and into the error.
func (b *builder) goRun(log io.Writer, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(b.ctx, b.gocmd, args...)
	cmd.Dir = b.work
	cmd.Env = b.env()
	var stderr bytes.Buffer
	if log != nil {
		cmd.Stderr = io.MultiWriter(&stderr, log)
	} else {
		cmd.Stderr = &stderr
	}
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// goCommand finds the go command of the kernel's toolchain.
func goCommand(want string) (string, error) {
	var cands []string
	if root := runtime.GOROOT(); root != "" {
		cands = append(cands, filepath.Join(root, "bin", "go"))
	}
	if p, err := exec.LookPath("go"); err == nil {
		cands = append(cands, p)
	}
	var seen []string
	for _, c := range cands {
		cmd := exec.Command(c, "env", "GOVERSION")
		cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
		out, err := cmd.Output()
		if err != nil {
			continue
		}
		v := strings.TrimSpace(string(out))
		if v == want {
			return c, nil
		}
		seen = append(seen, c+" is "+v)
	}
	if len(seen) == 0 {
		return "", fmt.Errorf("plugin build needs the Go toolchain %s (the kernel's), and no go command was found on PATH", want)
	}
	return "", fmt.Errorf("plugin build needs the Go toolchain %s (the kernel's): %s", want, strings.Join(seen, ", "))
}

// findModule returns the root and module path of the module holding dir.
func findModule(dir string) (root, path string) {
	for d := dir; ; d = filepath.Dir(d) {
		if p := modulePath(filepath.Join(d, "go.mod")); p != "" {
			return d, p
		}
		if filepath.Dir(d) == d {
			return "", ""
		}
	}
}

// modulePath reads the module path of a go.mod file ("" when unreadable).
func modulePath(gomod string) string {
	data, err := os.ReadFile(gomod)
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}

// install moves the built plugin to dst atomically: a plugin already loaded
// from dst keeps its (unlinked) file, so overwriting it in place never
// corrupts a running kernel.
func install(tmp, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if err := os.Rename(tmp, dst); err == nil {
		return nil
	}
	data, err := os.ReadFile(tmp)
	if err != nil {
		return err
	}
	part := dst + ".part"
	if err := os.WriteFile(part, data, 0o755); err != nil {
		return err
	}
	return os.Rename(part, dst)
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
