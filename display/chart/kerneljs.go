package chart

import (
	"bytes"
	_ "embed"
)

//go:embed nbext/kernel.src.js
var kernelSrcJS []byte

// KernelJS returns the classic notebook extension, kernelspec/kernel.js:
// the renderer of nbext/kernel.src.js with echarts and echarts-gl inlined
// (about 1.7 MB), each wrapped in a function that runs it on first use.
// `make display-assets` writes it into kernelspec/. O(size of the
// libraries).
func KernelJS() []byte {
	var b bytes.Buffer
	b.WriteString("(function () {\n")
	b.WriteString("// echarts " + EChartsVersion + " (Apache-2.0, see display/chart/assets/LICENSE-echarts and NOTICE-echarts)\n")
	b.WriteString("function loadECharts(define, exports, module) {\n")
	b.Write(echartsJS)
	b.WriteString("\n}\n// echarts-gl " + EChartsGLVersion + " (BSD-3-Clause, see display/chart/assets/LICENSE-echarts-gl)\n")
	b.WriteString("function loadEChartsGL(define, exports, module) {\n")
	b.Write(echartsGLJS)
	b.WriteString("\n}\n")
	b.Write(kernelSrcJS)
	b.WriteString("\n})();\n")
	return b.Bytes()
}
