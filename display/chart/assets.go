package chart

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/base64"
	"sync"
)

// EChartsVersion is the version of the embedded echarts library (npm
// package echarts, pinned in package.json; go-echarts v2 writes options for
// echarts 5).
const EChartsVersion = "5.6.0"

// EChartsGLVersion is the version of the embedded echarts-gl library, used
// by 3-D charts.
const EChartsGLVersion = "2.0.9"

// The minified libraries are copied from node_modules by `make
// display-assets` and committed with their licences (assets/LICENSE-*), so
// that the binary builds from a clean clone and never fetches them.
var (
	//go:embed assets/echarts.min.js
	echartsJS []byte
	//go:embed assets/echarts-gl.min.js
	echartsGLJS []byte
)

// EChartsJS returns the embedded echarts.min.js (about 1 MB). The slice is
// shared: do not modify it.
func EChartsJS() []byte { return echartsJS }

// EChartsGLJS returns the embedded echarts-gl.min.js (about 640 kB), which
// needs echarts loaded first. The slice is shared: do not modify it.
func EChartsGLJS() []byte { return echartsGLJS }

var (
	packOnce       sync.Once
	packedECharts  string
	packedEChartsG string
)

// packed returns the libraries gzip-compressed and base64-encoded, as the
// HTML fallback carries them (about 45% of the raw size). Computed once.
func packed() (echarts, gl string) {
	packOnce.Do(func() {
		packedECharts = gzipBase64(echartsJS)
		packedEChartsG = gzipBase64(echartsGLJS)
	})
	return packedECharts, packedEChartsG
}

func gzipBase64(b []byte) string {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}
