// kernel.js of the subspace kernel for the classic Jupyter notebook, which
// loads it automatically for notebooks of this kernel. It registers a
// renderer for application/vnd.echarts.v5+json (echarts options produced by
// the kernel's display/chart package) that draws the chart with the echarts
// library bundled in this file: nothing is fetched from the network.
//
// Generated file: the source is display/chart/nbext/kernel.src.js; `make
// display-assets` regenerates kernelspec/kernel.js with echarts and
// echarts-gl inlined (loadECharts / loadEChartsGL below run them on first
// use, with AMD/CommonJS hidden so that they define window.echarts).
define(['jquery', 'base/js/namespace', 'notebook/js/outputarea'], function ($, Jupyter, outputarea) {
  'use strict';
  var MIME = 'application/vnd.echarts.v5+json';

  function ensureECharts(gl) {
    if (!(window.echarts && window.echarts.init)) loadECharts.call(window, undefined, undefined, undefined);
    if (gl && !window['echarts-gl']) loadEChartsGL.call(window, undefined, undefined, undefined);
    return window.echarts;
  }

  // revive turns go-echarts' "__f__function(...){...}__f__" strings into
  // functions; only for trusted outputs.
  function revive(o, depth) {
    if (depth > 64 || o === null || typeof o !== 'object') return o;
    for (var k in o) {
      var v = o[k];
      if (typeof v === 'string' && v.length > 10 && v.slice(0, 5) === '__f__' && v.slice(-5) === '__f__') {
        try { o[k] = (new Function('return (' + v.slice(5, -5) + ')'))(); } catch (e) { /* keep the string */ }
      } else if (v && typeof v === 'object') revive(v, depth + 1);
    }
    return o;
  }

  function isDark(el, theme) {
    if (theme) return theme === 'dark';
    for (var n = el; n && n.nodeType === 1; n = n.parentNode) {
      var c = getComputedStyle(n).backgroundColor;
      var m = c && c.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?/);
      if (m && (m[4] === undefined || +m[4] > 0.5)) return (0.299 * m[1] + 0.587 * m[2] + 0.114 * m[3]) < 128;
    }
    return false;
  }

  // draw waits until el is in the page with a width, then draws option.
  function draw(el, option, md, trusted, tries) {
    if (!el.isConnected || el.offsetWidth === 0) {
      if ((tries || 0) < 600) setTimeout(function () { draw(el, option, md, trusted, (tries || 0) + 1); }, 50);
      return;
    }
    var echarts;
    try {
      echarts = ensureECharts(md.gl);
    } catch (e) {
      el.textContent = 'echarts failed to load: ' + e.message;
      return;
    }
    var dark = isDark(el, md.theme);
    if (dark && !option.backgroundColor) option.backgroundColor = 'transparent';
    var chart = echarts.init(el, dark ? 'dark' : null);
    chart.setOption(trusted ? revive(option, 0) : option);
    el.__subspaceChart = chart;
    el.setAttribute('data-rendered', 'kernel.js');
    if (window.ResizeObserver) new ResizeObserver(function () { chart.resize(); }).observe(el);
    else $(window).on('resize', function () { chart.resize(); });
  }

  // append is the output area's renderer for MIME (called with the output
  // area as this).
  function append(data, md, element) {
    var meta = (md && md[MIME]) || {};
    var toinsert = this.create_output_subarea(md, 'output_echarts', MIME);
    var div = document.createElement('div');
    div.className = 'subspace-echarts';
    div.style.width = '100%';
    div.style.height = (meta.height || 400) + 'px';
    toinsert.append(div);
    element.append(toinsert);
    draw(div, JSON.parse(JSON.stringify(data)), meta, !!this.trusted);
    return toinsert;
  }

  function onload() {
    var OA = outputarea.OutputArea;
    if (OA.append_map[MIME]) return;
    OA.prototype.register_mime_type(MIME, append, { safe: true, index: 0 });
    // Outputs of a saved notebook were drawn before this file loaded (with
    // their HTML fallback): draw them again with this renderer.
    if (!Jupyter.notebook) return;
    Jupyter.notebook.get_cells().forEach(function (cell) {
      var area = cell.output_area;
      if (!area || !area.outputs) return;
      var has = area.outputs.some(function (o) { return o.data && o.data[MIME]; });
      if (!has) return;
      var outs = area.outputs.slice();
      area.clear_output(false, true);
      outs.forEach(function (o) { area.append_output(o); });
    });
  }

  return { onload: onload, MIME: MIME };
});
