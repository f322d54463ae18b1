package plugins

import (
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"testing"
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
