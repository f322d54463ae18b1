// Package jupyterlab holds the prebuilt JupyterLab 4 extension that renders
// application/vnd.echarts.v5+json outputs (the charts of display/chart),
// embedded in the binary, and installs it into a Jupyter data directory.
//
// The extension's source is src/index.js; `make labextension` builds it
// with @jupyterlab/builder from npm (no Python JupyterLab needed: core/
// stands in for JupyterLab's staging package.json) into labextension/,
// which is committed so that the binary builds from a clean clone.
package jupyterlab

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

//go:embed all:labextension
var files embed.FS

// Name is the extension's package name, also its folder under
// <data>/labextensions/.
const Name = "@subspace-kernel/jupyterlab-echarts"

// Install writes the extension into dataDir/labextensions/<Name> (dataDir
// is a Jupyter data directory such as ~/.local/share/jupyter or
// <prefix>/share/jupyter), replacing an earlier copy, and returns the
// folder. JupyterLab 4 loads it at its next start. O(2 MB) of files.
func Install(dataDir string) (string, error) {
	dir := filepath.Join(dataDir, "labextensions", filepath.FromSlash(Name))
	if err := os.RemoveAll(dir); err != nil {
		return "", fmt.Errorf("jupyterlab: removing old extension: %w", err)
	}
	err := fs.WalkDir(files, "labextension", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("labextension", filepath.FromSlash(p))
		target := filepath.Join(dir, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		return "", fmt.Errorf("jupyterlab: installing into %s: %w", dir, err)
	}
	return dir, nil
}

// Entry returns the path of the extension's federated entry point
// (static/remoteEntry.<hash>.js) relative to its folder, as recorded by the
// builder in package.json (jupyterlab._build.load).
func Entry() (string, error) {
	raw, err := files.ReadFile("labextension/package.json")
	if err != nil {
		return "", fmt.Errorf("jupyterlab: embedded package.json: %w", err)
	}
	var meta struct {
		Jupyterlab struct {
			Build struct {
				Load          string `json:"load"`
				MimeExtension string `json:"mimeExtension"`
			} `json:"_build"`
		} `json:"jupyterlab"`
	}
	if err := json.Unmarshal(raw, &meta); err != nil {
		return "", fmt.Errorf("jupyterlab: embedded package.json: %w", err)
	}
	if meta.Jupyterlab.Build.Load == "" || meta.Jupyterlab.Build.MimeExtension == "" {
		return "", fmt.Errorf("jupyterlab: embedded package.json lacks jupyterlab._build.load/mimeExtension (run `make labextension`)")
	}
	return meta.Jupyterlab.Build.Load, nil
}
