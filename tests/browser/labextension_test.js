// Browser test of the JupyterLab extension without JupyterLab (which is not
// packaged for Debian and cannot come from PyPI here): loads the built
// federated module (jupyterlab/labextension/static/remoteEntry.*.js) from a
// file:// URL with the network blocked, the way JupyterLab 4 does (init the
// container with a share scope that provides @lumino/widgets, get
// ./mimeExtension), then renders a 2-D scatter and a 3-D scatter through
// the extension's rendererFactory and checks that each drew a canvas of
// non-zero size with all its points. A minimal stand-in replaces Lumino's
// Widget (a node and addClass), which is all the renderer uses of it.
'use strict';
const fs = require('fs');
const path = require('path');
const { launch, blockNetwork } = require('./common.js');

const ROOT = path.resolve(__dirname, '..', '..');
const EXT = path.join(ROOT, 'jupyterlab', 'labextension');
const ARTIFACTS = path.join(ROOT, 'build', 'artifacts');

async function main() {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const meta = JSON.parse(fs.readFileSync(path.join(EXT, 'package.json'), 'utf8'));
  const entry = meta.jupyterlab._build.load;
  const name = meta.name;
  const page_html = path.join(ARTIFACTS, 'labextension-harness.html');
  const points = 300;
  const scatter = { title: { text: 'lab scatter' }, xAxis: { type: 'value' }, yAxis: { type: 'value' },
    series: [{ type: 'scatter', data: Array.from({ length: points }, (_, i) => [Math.cos(i / 10) * i, Math.sin(i / 10) * i]) }] };
  const s3 = { title: { text: 'lab 3-D' }, xAxis3D: {}, yAxis3D: {}, zAxis3D: {}, grid3D: {},
    series: [{ type: 'scatter3D', data: Array.from({ length: points }, (_, i) => [Math.cos(i / 10), Math.sin(i / 10), i / points]) }] };
  fs.writeFileSync(page_html, `<!doctype html><html><body style="width:900px">
<script>window._JUPYTERLAB = {};</script>
<script src="file://${path.join(EXT, entry)}"></script>
<script>
(async () => {
  const MIME = 'application/vnd.echarts.v5+json';
  class Widget { constructor() { this.node = document.createElement('div'); } addClass(c) { this.node.classList.add(c); } dispose() {} }
  const scope = { '@lumino/widgets': { '2.7.5': { get: () => Promise.resolve(() => ({ Widget })), loaded: 1, from: 'harness' } } };
  const container = window._JUPYTERLAB[${JSON.stringify(name)}];
  await container.init(scope);
  const ext = (await container.get('./mimeExtension'))().default;
  const out = [];
  for (const [option, gl] of [[${JSON.stringify(scatter)}, false], [${JSON.stringify(s3)}, true]]) {
    const r = ext.rendererFactory.createRenderer({ mimeType: MIME });
    document.body.appendChild(r.node);
    await r.renderModel({ data: { [MIME]: option }, metadata: { [MIME]: { height: 300, gl } }, trusted: true });
  }
  window.__done = { mimeTypes: ext.rendererFactory.mimeTypes, safe: ext.rendererFactory.safe };
})().catch((e) => { window.__done = { error: String(e && e.stack || e) }; });
</script></body></html>`);
  const browser = await launch();
  let failures = 0;
  const check = (ok, msg) => { console.log((ok ? 'ok   ' : 'FAIL ') + msg); if (!ok) failures++; };
  try {
    const ctx = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    const blocked = await blockNetwork(ctx, []);
    const page = await ctx.newPage();
    page.on('pageerror', (e) => console.log('pageerror:', e.message));
    await page.goto('file://' + page_html);
    await page.waitForFunction(() => window.__done, null, { timeout: 60000 });
    const done = await page.evaluate(() => window.__done);
    check(!done.error, `labextension: container loaded and rendered ${done.error || ''}`);
    check(JSON.stringify(done.mimeTypes) === '["application/vnd.echarts.v5+json"]', `labextension: renderer for ${JSON.stringify(done.mimeTypes)}`);
    await page.waitForTimeout(1000);
    const states = await page.evaluate(() => Array.from(document.querySelectorAll('.subspace-echarts')).map((el) => {
      const c = el.querySelector('canvas'); const r = c ? c.getBoundingClientRect() : { width: 0, height: 0 };
      const opt = el.__subspaceChart.getOption();
      return { w: r.width, h: r.height, type: opt.series[0].type, points: opt.series[0].data.length, by: el.getAttribute('data-rendered') };
    }));
    check(states.length === 2 && states.every((s) => s.w > 0 && s.h > 0 && s.points === 300 && s.by === 'jupyterlab'),
      `labextension: 2-D and 3-D charts drawn with all points ${JSON.stringify(states)}`);
    check(blocked.length === 0, `labextension: no network request ${JSON.stringify(blocked)}`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'browser-labextension.png'), fullPage: true });
  } finally {
    await browser.close();
  }
  console.log(failures === 0 ? 'labextension test passed' : `labextension test: ${failures} failure(s)`);
  process.exit(failures === 0 ? 0 : 1);
}

main().catch((e) => { console.error(e); process.exit(1); });
