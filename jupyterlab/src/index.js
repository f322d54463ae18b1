// JupyterLab mime renderer for application/vnd.echarts.v5+json: draws the
// echarts option the subspace kernel's display/chart package emits, with
// the echarts library bundled in this extension (echarts-gl is loaded on
// demand for 3-D charts). Follows the JupyterLab theme (light or dark) and
// resizes with its output area.
import { Widget } from '@lumino/widgets';
import * as echarts from 'echarts';

export const MIME = 'application/vnd.echarts.v5+json';

// revive turns go-echarts' "__f__function(...){...}__f__" strings into
// functions; only for trusted outputs.
function revive(o, depth) {
  if (depth > 64 || o === null || typeof o !== 'object') return o;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (typeof v === 'string' && v.length > 10 && v.startsWith('__f__') && v.endsWith('__f__')) {
      try { o[k] = (new Function('return (' + v.slice(5, -5) + ')'))(); } catch (e) { /* keep the string */ }
    } else if (v && typeof v === 'object') revive(v, depth + 1);
  }
  return o;
}

function isDark(theme) {
  if (theme) return theme === 'dark';
  return document.body.dataset.jpThemeLight === 'false';
}

let glLoading = null;
function loadGL() {
  if (!glLoading) glLoading = import(/* webpackChunkName: "echarts-gl" */ 'echarts-gl');
  return glLoading;
}

export class RenderedECharts extends Widget {
  constructor(options) {
    super();
    this.mimeType = options.mimeType;
    this.addClass('subspace-echarts');
    this.chart = null;
    this.observer = null;
  }

  async renderModel(model) {
    const meta = (model.metadata && model.metadata[this.mimeType]) || {};
    const option = JSON.parse(JSON.stringify(model.data[this.mimeType] || {}));
    this.node.style.width = '100%';
    this.node.style.height = (meta.height || 400) + 'px';
    if (meta.gl) await loadGL();
    const dark = isDark(meta.theme);
    if (dark && !option.backgroundColor) option.backgroundColor = 'transparent';
    if (this.chart) this.chart.dispose();
    this.chart = echarts.init(this.node, dark ? 'dark' : null);
    this.chart.setOption(model.trusted ? revive(option, 0) : option);
    this.node.__subspaceChart = this.chart;
    this.node.setAttribute('data-rendered', 'jupyterlab');
    if (!this.observer && window.ResizeObserver) {
      this.observer = new ResizeObserver(() => { if (this.chart) this.chart.resize(); });
      this.observer.observe(this.node);
    }
  }

  onResize() {
    if (this.chart) this.chart.resize();
  }

  dispose() {
    if (this.observer) this.observer.disconnect();
    if (this.chart) this.chart.dispose();
    this.chart = null;
    super.dispose();
  }
}

export const rendererFactory = {
  safe: true,
  mimeTypes: [MIME],
  defaultRank: 0,
  createRenderer: (options) => new RenderedECharts(options)
};

const extension = {
  id: '@subspace-kernel/jupyterlab-echarts:factory',
  rendererFactory,
  rank: 0,
  dataType: 'json'
};

export default extension;
