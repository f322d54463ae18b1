//go:build !(cgo && (linux || darwin || freebsd))

package plugins

import (
	"fmt"
	"runtime"
)

// open always fails: Go's plugin package needs cgo and an OS that supports
// it (Linux, macOS, FreeBSD).
func open(file string) (func(string) (any, error), error) {
	_, why := Supported()
	return nil, fmt.Errorf("%w: %s", ErrUnsupported, why)
}

// Supported reports whether this kernel can open shared-object plugins, and
// if not, why.
func Supported() (bool, string) {
	switch runtime.GOOS {
	case "linux", "darwin", "freebsd":
		return false, "this kernel was built without cgo (CGO_ENABLED=0); Go plugins need cgo: rebuild the kernel with CGO_ENABLED=1 and a C compiler (make build does). Built-in packages still work"
	}
	return false, fmt.Sprintf("Go plugins are not supported on %s/%s (only Linux, macOS and FreeBSD); built-in packages still work", runtime.GOOS, runtime.GOARCH)
}
