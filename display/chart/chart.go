// Package chart displays echarts charts in notebooks: any go-echarts chart
// a cell builds (charts.Bar, Line, Scatter, HeatMap, BoxPlot, Scatter3D,
// ...) and one-call helpers for the plots of representation geometry
// (embedding scatter with PCA, similarity heatmaps, per-layer lines,
// histograms and box plots of intrinsic dimension, 3-D scatter, image
// grids of digits, maps of named word vectors).
//
// A chart's MIME bundle holds
//   - application/vnd.echarts.v5+json: the echarts option, drawn by the
//     notebook extension (kernelspec/kernel.js in the classic notebook, the
//     JupyterLab mime renderer) with the echarts library shipped beside it;
//   - text/html: a self-contained fallback that carries the echarts library
//     inline (gzip+base64, decoded once per page and guarded against double
//     definition), for nbconvert HTML exports opened from file:// and any
//     front end without the extension; it never loads anything from a CDN;
//   - image/svg+xml (helpers only): a static rendering made in the kernel
//     with gonum/plot, for GitHub, nbviewer and VS Code previews;
//   - text/plain: a one-line description.
//
// Convert is the display converter of go-echarts charts: registered with
// display.RegisterConverter (the kernel's wiring does), a go-echarts chart
// that is the last expression of a cell renders as a chart.
package chart

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/subspace-kernel/subspace/display"
)

// MIMEType is the MIME type of an echarts option in a bundle.
const MIMEType = "application/vnd.echarts.v5+json"

// DefaultHeight is the height in pixels of a chart whose height is not set.
const DefaultHeight = 400

// Chart is a displayable echarts chart: its option (plain JSON values), the
// height of its output in pixels (the width follows the page), and
// optionally a static SVG rendering.
type Chart struct {
	// Option is the echarts option: maps, slices, strings, float64, bool.
	Option map[string]any
	// Height in pixels (DefaultHeight when 0).
	Height int
	// GL is true when the chart needs echarts-gl (3-D series).
	GL bool
	// Theme is "" (follow the notebook: light, or dark in a dark theme) or
	// "dark".
	Theme string
	// SVG is a static rendering of the chart, shown where scripts do not
	// run; may be empty.
	SVG string
	// PNG is a static rendering used instead of SVG (large scatters, where
	// an SVG would hold every point); may be nil.
	PNG []byte
	// Description is the text/plain fallback.
	Description string
	// Source is the go-echarts chart the option came from, if any.
	Source any
}

// EChart is what every go-echarts chart type satisfies: Validate fills
// defaults, JSON returns the option.
type EChart interface {
	Validate()
	JSON() map[string]interface{}
}

// FromECharts converts a go-echarts chart (any of its chart types) into a
// Chart: it calls Validate, takes the option from JSON, normalises it to
// plain JSON values and reads the height and theme from the chart's
// initialisation options. It reports an error when c is not a go-echarts
// chart or its option cannot be encoded. O(size of the option).
func FromECharts(c any) (*Chart, error) {
	ec, ok := c.(EChart)
	if !ok || c == nil || (reflect.ValueOf(c).Kind() == reflect.Pointer && reflect.ValueOf(c).IsNil()) {
		return nil, fmt.Errorf("chart.FromECharts: %T is not a go-echarts chart", c)
	}
	ec.Validate()
	raw, err := json.Marshal(ec.JSON())
	if err != nil {
		return nil, fmt.Errorf("chart.FromECharts: option of %T: %w", c, err)
	}
	var opt map[string]any
	if err := json.Unmarshal(raw, &opt); err != nil {
		return nil, fmt.Errorf("chart.FromECharts: option of %T: %w", c, err)
	}
	ch := &Chart{Option: opt, Source: c}
	if init := reflect.Indirect(reflect.ValueOf(c)).FieldByName("Initialization"); init.IsValid() {
		if h := init.FieldByName("Height"); h.IsValid() && h.Kind() == reflect.String {
			ch.Height = parsePixels(h.String())
		}
		if th := init.FieldByName("Theme"); th.IsValid() && th.Kind() == reflect.String && strings.EqualFold(th.String(), "dark") {
			ch.Theme = "dark"
		}
	}
	ch.GL = needsGL(opt)
	ch.Description = describe(fmt.Sprintf("%T", c), opt)
	return ch, nil
}

// parsePixels reads "500px" or "500" as 500; anything else gives 0.
func parsePixels(s string) int {
	s = strings.TrimSuffix(strings.TrimSpace(s), "px")
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// needsGL reports whether any series or component of the option belongs to
// echarts-gl (types ending in 3D or GL, surface, globe).
func needsGL(opt map[string]any) bool {
	for _, k := range []string{"grid3D", "globe", "geo3D", "mapbox3D"} {
		if v, ok := opt[k]; ok && v != nil {
			if m, isMap := v.(map[string]any); !isMap || len(m) > 0 {
				return true
			}
		}
	}
	for _, s := range seriesList(opt) {
		t, _ := s["type"].(string)
		if strings.HasSuffix(t, "3D") || strings.HasSuffix(t, "GL") || t == "surface" {
			return true
		}
	}
	return false
}

func seriesList(opt map[string]any) []map[string]any {
	var out []map[string]any
	switch s := opt["series"].(type) {
	case []any:
		for _, e := range s {
			if m, ok := e.(map[string]any); ok {
				out = append(out, m)
			}
		}
	case map[string]any:
		out = append(out, s)
	}
	return out
}

// Points returns the number of data items in all series of the option.
// O(number of series).
func (c *Chart) Points() int {
	n := 0
	for _, s := range seriesList(c.Option) {
		if d, ok := s["data"].([]any); ok {
			n += len(d)
		}
	}
	return n
}

func describe(kind string, opt map[string]any) string {
	title := ""
	switch t := opt["title"].(type) {
	case map[string]any:
		title, _ = t["text"].(string)
	case []any:
		if len(t) > 0 {
			if m, ok := t[0].(map[string]any); ok {
				title, _ = m["text"].(string)
			}
		}
	}
	ch := &Chart{Option: opt}
	types := map[string]bool{}
	var names []string
	for _, s := range seriesList(opt) {
		if t, ok := s["type"].(string); ok && !types[t] {
			types[t] = true
			names = append(names, t)
		}
	}
	d := fmt.Sprintf("<chart %s", strings.Join(names, "+"))
	if title != "" {
		d += fmt.Sprintf(" %q", title)
	}
	return d + fmt.Sprintf(": %d series, %d points (%s)>", len(seriesList(opt)), ch.Points(), kind)
}

func (c *Chart) height() int {
	if c.Height > 0 {
		return c.Height
	}
	return DefaultHeight
}

// OptionJSON returns the option as JSON text, with <, > and & escaped so
// that it can sit inside an HTML <script> element.
func (c *Chart) OptionJSON() (string, error) {
	b, err := json.Marshal(c.Option)
	if err != nil {
		return "", fmt.Errorf("chart: option not encodable as JSON: %w", err)
	}
	return string(b), nil
}

// DisplayBundle implements display.Renderer. The HTML fallback carries the
// echarts library (about 450 kB of gzip+base64 text; 700 kB more for 3-D
// charts), so a chart output is self-contained. O(size of the option +
// size of the library).
func (c *Chart) DisplayBundle() display.Bundle {
	opt, err := c.OptionJSON()
	if err != nil {
		return display.Bundle{Data: map[string]any{"text/plain": err.Error()}}
	}
	var plain map[string]any
	_ = json.Unmarshal([]byte(opt), &plain)
	md := map[string]any{"height": c.height(), "gl": c.GL}
	if c.Theme != "" {
		md["theme"] = c.Theme
	}
	desc := c.Description
	if desc == "" {
		desc = describe("chart.Chart", c.Option)
	}
	data := map[string]any{
		MIMEType:     plain,
		"text/html":  c.HTML(),
		"text/plain": desc,
	}
	if c.SVG != "" {
		data["image/svg+xml"] = c.SVG
	}
	if len(c.PNG) > 0 {
		data["image/png"] = base64.StdEncoding.EncodeToString(c.PNG)
	}
	return display.Bundle{Data: data, Metadata: map[string]any{MIMEType: md}}
}

// omitLibrary is the opposite of SetEmbedLibrary's setting (false: embed).
var omitLibrary atomic.Bool

// SetEmbedLibrary chooses whether the HTML fallback of the charts made
// from now on carries the echarts library (the default: each chart output
// is self-contained, about 450 kB, 1.1 MB for 3-D charts). Without it the
// fallback is a few kB plus the option and draws only when echarts is
// already on the page (loaded by the notebook extension or by another
// chart's fallback); elsewhere it shows the static SVG. Notebooks meant
// for nbconvert HTML export or offline sharing should keep the default.
func SetEmbedLibrary(on bool) { omitLibrary.Store(!on) }

func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "subspace-echarts-" + hex.EncodeToString(b[:])
}

// HTML returns the self-contained HTML fallback: a div (holding the static
// SVG, if any, until the chart is drawn), the option as a JSON script
// element, and a script that decodes the inline echarts library once per
// page (window.echarts is reused when present), waits for the div to be in
// the page with a non-zero width, and draws the chart, resizing it with the
// page.
func (c *Chart) HTML() string {
	opt, err := c.OptionJSON()
	if err != nil {
		return "<pre>" + display.EscapeHTML(err.Error()) + "</pre>"
	}
	id := newID()
	lib, gl := "", ""
	if !omitLibrary.Load() {
		lib, gl = packed()
	}
	if !c.GL {
		gl = ""
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, `<div class="subspace-echarts" id="%s" style="width:100%%;height:%dpx;position:relative">`, id, c.height())
	switch {
	case c.SVG != "":
		fmt.Fprintf(&b, `<img alt="chart" style="max-width:100%%;max-height:100%%" src="data:image/svg+xml;base64,%s">`,
			base64.StdEncoding.EncodeToString([]byte(c.SVG)))
	case len(c.PNG) > 0:
		fmt.Fprintf(&b, `<img alt="chart" style="max-width:100%%;max-height:100%%" src="data:image/png;base64,%s">`,
			base64.StdEncoding.EncodeToString(c.PNG))
	}
	b.WriteString(`</div>`)
	fmt.Fprintf(&b, `<script type="application/json" id="%s-option">%s</script>`, id, opt)
	fmt.Fprintf(&b, "<script>\n(%s)(%q,%q,%q,%q);\n</script>", loaderJS, id, c.Theme, lib, gl)
	return b.String()
}

// loaderJS draws a chart from the HTML fallback. Arguments: the div id, the
// theme, the gzip+base64 echarts library and (3-D charts) echarts-gl; empty
// library strings (SetEmbedLibrary(false)) mean waiting up to 30 s for
// another script to define them.
// Libraries are decoded at most once per page: window.echarts (and
// window["echarts-gl"]) are reused, and concurrent charts share one pending
// promise. AMD define/CommonJS are hidden while the library runs, so that
// requirejs pages (the classic notebook) do not capture it.
const loaderJS = `function(id, theme, lib, gl) {
  var W = window;
  var pending = W.__subspaceEChartsLoading = W.__subspaceEChartsLoading || {};
  function have(key) { return key === "echarts" ? !!(W.echarts && W.echarts.init) : !!W["echarts-gl"]; }
  function load(key, b64) {
    if (have(key)) return Promise.resolve();
    if (pending[key]) return pending[key];
    if (!b64) return new Promise(function (ok, fail) {
      var n = 0, t = setInterval(function () {
        if (have(key)) { clearInterval(t); ok(); }
        else if (pending[key]) { clearInterval(t); pending[key].then(ok, fail); }
        else if (n++ > 300) { clearInterval(t); fail(new Error(key + " is not on this page (chart made with SetEmbedLibrary(false))")); }
      }, 100);
    });
    if (typeof DecompressionStream === "undefined") return Promise.reject(new Error("this browser lacks DecompressionStream"));
    var bin = atob(b64), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    pending[key] = new Response(stream).text().then(function (src) {
      if (!have(key)) (new Function("define", "exports", "module", src)).call(W, undefined, undefined, undefined);
      if (!have(key)) throw new Error(key + " did not load");
    });
    return pending[key];
  }
  function revive(o, depth) {
    if (depth > 64 || o === null || typeof o !== "object") return o;
    for (var k in o) {
      var v = o[k];
      if (typeof v === "string" && v.length > 10 && v.slice(0, 5) === "__f__" && v.slice(-5) === "__f__") {
        try { o[k] = (new Function("return (" + v.slice(5, -5) + ")"))(); } catch (e) {}
      } else if (v && typeof v === "object") revive(v, depth + 1);
    }
    return o;
  }
  function dark(el) {
    if (theme) return theme === "dark";
    for (var n = el; n && n.nodeType === 1; n = n.parentNode) {
      var c = getComputedStyle(n).backgroundColor, m = c && c.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?/);
      if (m && (m[4] === undefined || +m[4] > 0.5)) return (0.299 * m[1] + 0.587 * m[2] + 0.114 * m[3]) < 128;
    }
    return false;
  }
  var tries = 0;
  function draw() {
    var el = document.getElementById(id);
    if (!el || !el.isConnected || el.offsetWidth === 0) { if (tries++ < 600) setTimeout(draw, 50); return; }
    var opt = revive(JSON.parse(document.getElementById(id + "-option").textContent), 0);
    var isDark = dark(el);
    if (isDark && !opt.backgroundColor) opt.backgroundColor = "transparent";
    el.innerHTML = "";
    var chart = W.echarts.init(el, isDark ? "dark" : null);
    chart.setOption(opt);
    el.__subspaceChart = chart;
    el.setAttribute("data-rendered", "echarts");
    if (W.ResizeObserver) new ResizeObserver(function () { chart.resize(); }).observe(el);
    else W.addEventListener("resize", function () { chart.resize(); });
  }
  var p = load("echarts", lib);
  if (gl) p = p.then(function () { return load("echarts-gl", gl); });
  p.then(draw, function (err) {
    var el = document.getElementById(id);
    if (el) { var d = document.createElement("div"); d.style.color = "#a00"; d.textContent = "chart not drawn: " + err.message; el.appendChild(d); }
  });
}`

// Convert returns the bundle of a go-echarts chart (see FromECharts), and
// false for any other value. O(size of the chart's option).
func Convert(v any) (display.Bundle, bool) {
	if _, ok := v.(EChart); !ok {
		return display.Bundle{}, false
	}
	c, err := FromECharts(v)
	if err != nil {
		return display.Bundle{}, false
	}
	return c.DisplayBundle(), true
}
