// Package kernelspec holds the files of the subspace Jupyter kernelspec
// (logos and kernel.js, embedded in the binary) and writes a kernelspec
// directory.
package kernelspec

//go:generate go run ./internal/genlogo

import (
	"embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// files are the logos and every .js file of this directory: kernel.js and
// the scripts it loads (placed here at build time by the display part).
//
//go:embed *.png *.svg *.js
var files embed.FS

// Files returns the names of the files copied next to kernel.json
// (logo-32x32.png, logo-64x64.png, logo-svg.svg, kernel.js, ...).
func Files() []string {
	entries, _ := files.ReadDir(".")
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// Spec is the content of kernel.json.
type Spec struct {
	Argv          []string          `json:"argv"`
	DisplayName   string            `json:"display_name"`
	Language      string            `json:"language"`
	InterruptMode string            `json:"interrupt_mode"`
	Env           map[string]string `json:"env,omitempty"`
	Metadata      map[string]any    `json:"metadata,omitempty"`
}

// NewSpec returns the kernel.json of a kernel started as
// "binary kernel --connection-file {connection_file}": Go, interrupted by
// message (interrupt_request on the control channel).
func NewSpec(binary, displayName string) Spec {
	return Spec{
		Argv:          []string{binary, "kernel", "--connection-file", "{connection_file}"},
		DisplayName:   displayName,
		Language:      "go",
		InterruptMode: "message",
	}
}

// File returns the content of one of Files().
func File(name string) ([]byte, error) { return files.ReadFile(name) }

// Write creates dir (a kernels/<name> directory) with kernel.json and the
// logo and kernel.js files, replacing what is there.
func Write(dir string, spec Spec) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("kernelspec: %w", err)
	}
	js, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return fmt.Errorf("kernelspec: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "kernel.json"), append(js, '\n'), 0o644); err != nil {
		return fmt.Errorf("kernelspec: %w", err)
	}
	for _, name := range Files() {
		data, err := files.ReadFile(name)
		if err != nil {
			return fmt.Errorf("kernelspec: embedded %s: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return fmt.Errorf("kernelspec: %w", err)
		}
	}
	return nil
}

// UserDataDir is Jupyter's per-user data directory: $JUPYTER_DATA_DIR
// when set, else $XDG_DATA_HOME/jupyter, else ~/.local/share/jupyter.
func UserDataDir() (string, error) {
	if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
		return d, nil
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "jupyter"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("kernelspec: no home directory for the user data dir: %w", err)
	}
	return filepath.Join(home, ".local", "share", "jupyter"), nil
}
