package jupyterlab

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestInstall(t *testing.T) {
	entry, err := Entry()
	if err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	// An old file from an earlier install disappears.
	old := filepath.Join(data, "labextensions", "@subspace-kernel", "jupyterlab-echarts", "static", "stale.js")
	if err := os.MkdirAll(filepath.Dir(old), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(old, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir, err := Install(data)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Fatal("stale file survived the install")
	}
	js, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(entry)))
	if err != nil {
		t.Fatalf("entry point not installed: %v", err)
	}
	if !bytes.Contains(js, []byte(`"./mimeExtension"`)) || !bytes.Contains(js, []byte(Name)) {
		t.Fatal("entry point does not expose ./mimeExtension of " + Name)
	}
	// The renderer and echarts itself are in the installed chunks; nothing
	// refers to a CDN.
	var all bytes.Buffer
	matches, _ := filepath.Glob(filepath.Join(dir, "static", "*.js"))
	for _, m := range matches {
		b, _ := os.ReadFile(m)
		all.Write(b)
	}
	for _, want := range []string{"application/vnd.echarts.v5+json", "jupyterlab", "echarts"} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("installed chunks lack %q", want)
		}
	}
	for _, banned := range []string{"cdn.jsdelivr", "unpkg.com", "cdnjs"} {
		if strings.Contains(all.String(), banned) {
			t.Errorf("installed chunks refer to %s", banned)
		}
	}
}
