//go:build cgo && (linux || darwin || freebsd)

package plugins

import (
	"plugin"
)

// open opens a shared-object plugin with the Go runtime's loader, which
// itself refuses packages whose content differs from the kernel's.
func open(file string) (func(string) (any, error), error) {
	p, err := plugin.Open(file)
	if err != nil {
		return nil, err
	}
	return func(name string) (any, error) {
		s, err := p.Lookup(name)
		return s, err
	}, nil
}

// Supported reports whether this kernel can open shared-object plugins, and
// if not, why.
func Supported() (bool, string) { return true, "" }
