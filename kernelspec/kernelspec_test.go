package kernelspec

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kernels", "subspace")
	if err := Write(dir, NewSpec("/opt/bin/subspace", "Go (subspace)")); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	var spec map[string]any
	if err := json.Unmarshal(data, &spec); err != nil {
		t.Fatal(err)
	}
	argv := spec["argv"].([]any)
	if len(argv) != 4 || argv[0] != "/opt/bin/subspace" || argv[1] != "kernel" || argv[3] != "{connection_file}" ||
		spec["language"] != "go" || spec["interrupt_mode"] != "message" || spec["display_name"] != "Go (subspace)" {
		t.Errorf("kernel.json %s", data)
	}
	for _, tc := range []struct {
		name string
		size int
	}{{"logo-32x32.png", 32}, {"logo-64x64.png", 64}} {
		b, err := os.ReadFile(filepath.Join(dir, tc.name))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil || img.Bounds().Dx() != tc.size || img.Bounds().Dy() != tc.size {
			t.Errorf("%s: %v %v", tc.name, img.Bounds(), err)
		}
	}
	for _, name := range []string{"logo-svg.svg", "kernel.js"} {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || len(b) == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestUserDataDir(t *testing.T) {
	t.Setenv("JUPYTER_DATA_DIR", "/x/jupyter")
	if d, _ := UserDataDir(); d != "/x/jupyter" {
		t.Errorf("with JUPYTER_DATA_DIR: %s", d)
	}
	t.Setenv("JUPYTER_DATA_DIR", "")
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/u")
	if d, _ := UserDataDir(); d != "/home/u/.local/share/jupyter" {
		t.Errorf("default: %s", d)
	}
}
