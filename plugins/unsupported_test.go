//go:build !cgo

package plugins

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestUnsupported checks, in a kernel built without cgo (make
// test-plugins-nocgo), that loading or building a plugin explains why it
// cannot.
func TestUnsupported(t *testing.T) {
	if ok, why := Supported(); ok || !strings.Contains(why, "without cgo") {
		t.Fatalf("Supported() = %v, %q", ok, why)
	}
	_, _, err := Load("testdata/geom/geom.go")
	if !errors.Is(err, ErrUnsupported) {
		t.Errorf("Load error %v, want ErrUnsupported", err)
	}
	if _, err := Build(context.Background(), BuildOptions{Dir: "testdata/geom"}); err == nil || !strings.Contains(err.Error(), "CGO_ENABLED=1") {
		t.Errorf("Build error %v", err)
	}
}
