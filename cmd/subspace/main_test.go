package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestInstall(t *testing.T) {
	self, _ := os.Executable()
	self, _ = filepath.EvalSymlinks(self)
	tmp := t.TempDir()
	t.Setenv("JUPYTER_DATA_DIR", filepath.Join(tmp, "data"))
	tests := []struct {
		args    []string
		code    int
		dir     string // kernelspec dir expected, relative to tmp
		display string
	}{
		{[]string{"install"}, 0, "data/kernels/subspace", "Go (subspace)"},
		{[]string{"install", "--user", "--name", "other"}, 0, "data/kernels/other", "Go (other)"},
		{[]string{"install", "--prefix", filepath.Join(tmp, "pfx")}, 0, "pfx/share/jupyter/kernels/subspace", "Go (subspace)"},
		{[]string{"install", "--user", "--prefix", "x"}, 2, "", ""},
		{[]string{"install", "--name", "../evil"}, 2, "", ""},
		{[]string{"install", "extra"}, 2, "", ""},
		{[]string{"nosuchcommand"}, 2, "", ""},
		{[]string{"kernel"}, 2, "", ""},
		{[]string{"kernel", "--connection-file", filepath.Join(tmp, "missing.json")}, 1, "", ""},
		{[]string{"version"}, 0, "", ""},
	}
	for _, tc := range tests {
		if got := run(tc.args); got != tc.code {
			t.Errorf("%v: exit %d, want %d", tc.args, got, tc.code)
			continue
		}
		if tc.dir == "" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(tmp, tc.dir, "kernel.json"))
		if err != nil {
			t.Errorf("%v: %v", tc.args, err)
			continue
		}
		var spec struct {
			Argv          []string `json:"argv"`
			DisplayName   string   `json:"display_name"`
			InterruptMode string   `json:"interrupt_mode"`
		}
		json.Unmarshal(data, &spec)
		if len(spec.Argv) != 4 || spec.Argv[0] != self || spec.Argv[1] != "kernel" || spec.Argv[3] != "{connection_file}" ||
			spec.DisplayName != tc.display || spec.InterruptMode != "message" {
			t.Errorf("%v: kernel.json %s", tc.args, data)
		}
		for _, f := range []string{"logo-32x32.png", "logo-64x64.png", "logo-svg.svg", "kernel.js"} {
			if _, err := os.Stat(filepath.Join(tmp, tc.dir, f)); err != nil {
				t.Errorf("%v: %v", tc.args, err)
			}
		}
	}
}

func TestModuleVersion(t *testing.T) {
	// Test binaries carry build information with the module's dependencies.
	if v := moduleVersion("github.com/traefik/yaegi"); v != "v0.16.1" {
		t.Errorf("yaegi version %q, want v0.16.1 (go.mod)", v)
	}
	if v := moduleVersion("example.com/not/a/dep"); v != "unknown" {
		t.Errorf("missing module: %q", v)
	}
}
