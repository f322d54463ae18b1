package plugins

import (
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"testing"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

func runtimeVersion() string { return runtime.Version() }

func reflectValueOf(v any) reflect.Value { return reflect.ValueOf(v) }

func kernelSettings(t *testing.T) map[string]string {
	t.Helper()
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		t.Fatal("no build info in the test binary")
	}
	return settings(bi)
}

func dirOf(file string) string { return filepath.Dir(file) }

func newInterp(t *testing.T) *interp.Interpreter {
	t.Helper()
	in := interp.New(interp.Options{})
	for _, e := range append([]interp.Exports{stdlib.Symbols}, Symbols()...) {
		if err := in.Use(e); err != nil {
			t.Fatal(err)
		}
	}
	return in
}
