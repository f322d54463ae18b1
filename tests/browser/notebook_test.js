// Browser test of the chart display, run by `make test-browser`:
//
//  1. starts Debian's classic jupyter-notebook on 127.0.0.1 (token disabled)
//     with the subspace kernel installed in the build-local Jupyter dirs,
//  2. opens tests/browser/charts.ipynb (copied to build/browser), runs all
//     cells, and checks that every chart output holds a canvas of non-zero
//     size drawn by kernel.js, that the scatter's option has as many points
//     as the data, that the progress bar is one output that ended at 100%,
//     and that no request left 127.0.0.1;
//  3. saves the notebook, opens it again in a fresh browser context without
//     running it, and checks that the charts are drawn again;
//  4. exports it with nbconvert --to html and opens the export from a file://
//     URL with every network request blocked: the charts must render from
//     their self-contained HTML fallback.
//
// Screenshots go to build/artifacts/. Exit status 1 on any failure.
'use strict';
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');
const http = require('http');
const { launch, blockNetwork, waitCharts } = require('./common.js');

const ROOT = path.resolve(__dirname, '..', '..');
const WORK = path.join(ROOT, 'build', 'browser');
const ARTIFACTS = path.join(ROOT, 'build', 'artifacts');
const PY = process.env.PY || '/usr/bin/python3';
const NB = 'charts.ipynb';
const POINTS = 240;        // points of the scatter in charts.ipynb
const CHARTS = 9;          // chart outputs in charts.ipynb (2-D and 3-D scatter, ten classes, heatmap, line, band, histogram, box plot, go-echarts bar)
const CLASSES = 10;        // classes of the "ten classes" scatter, labelled 0..9 out of order

let failures = 0;
function check(ok, msg) {
  console.log((ok ? 'ok   ' : 'FAIL ') + msg);
  if (!ok) failures++;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    s.on('error', reject);
  });
}

function get(url) {
  return new Promise((resolve) => {
    http.get(url, (res) => { res.resume(); resolve(res.statusCode); }).on('error', () => resolve(0));
  });
}

async function startServer(port) {
  const log = fs.openSync(path.join(ARTIFACTS, 'jupyter-notebook.log'), 'w');
  const args = ['--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--port-retries=0',
    '--NotebookApp.token=', '--NotebookApp.password=', `--notebook-dir=${WORK}`];
  if (process.getuid && process.getuid() === 0) args.push('--allow-root');
  const srv = spawn('jupyter-notebook', args, { stdio: ['ignore', log, log], detached: true });
  for (let i = 0; i < 120; i++) {
    if (await get(`http://127.0.0.1:${port}/api/status`) === 200) return srv;
    if (srv.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('jupyter-notebook did not start; see build/artifacts/jupyter-notebook.log');
}

async function waitFor(page, fn, arg, timeoutMs, what) {
  try {
    await page.waitForFunction(fn, arg, { timeout: timeoutMs, polling: 200 });
    return true;
  } catch (e) {
    check(false, `${what} (timed out after ${timeoutMs} ms)`);
    return false;
  }
}

// fullScreenshot grows the viewport to the notebook's height (the classic
// notebook scrolls inside #site, so fullPage alone shows one screen).
async function fullScreenshot(page, file) {
  const h = await page.evaluate(() => {
    const nb = document.getElementById('notebook-container') || document.body;
    return nb.scrollHeight + 250;
  });
  await page.setViewportSize({ width: 1200, height: Math.min(Math.max(h, 900), 16000) });
  await page.waitForTimeout(500);
  await page.screenshot({ path: file, fullPage: true });
}

async function openNotebook(browser, port, label) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const blocked = await blockNetwork(context, ['127.0.0.1']);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`http://127.0.0.1:${port}/notebooks/${NB}`);
  await waitFor(page, () => window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded &&
    Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected(), null, 60000, `${label}: notebook and kernel ready`);
  await waitFor(page, (mime) => {
    try { return !!window.require('notebook/js/outputarea').OutputArea.append_map[mime]; } catch (e) { return false; }
  }, 'application/vnd.echarts.v5+json', 30000, `${label}: kernel.js registered the echarts renderer`);
  return { context, page, blocked, errors };
}

function summarize(states) {
  return states.map((s) => `${s.title || '(untitled)'}:${s.series.join('+')}:${s.points}pts:${Math.round(s.w)}x${Math.round(s.h)}:${s.rendered}`).join(', ');
}

// classChart reads, from the echarts instance of the chart titled title,
// the fill colour echarts painted each series with, the legend's entries
// in order, and the series that fill an area (bands).
async function classChart(page, title) {
  return page.evaluate((title) => {
    for (const el of document.querySelectorAll('.subspace-echarts')) {
      const c = el.__subspaceChart;
      if (!c || !c.getOption || (((c.getOption().title || [{}])[0] || {}).text || '') !== title) continue;
      const model = c.getModel();
      const fills = model.getSeries().map((s) => ((s.getData().getVisual('style') || {}).fill || ''));
      const legend = model.getComponent('legend');
      const names = legend ? legend.getData().map((d) => d.get('name')) : [];
      const areas = model.getSeries().filter((s) => !!s.get('areaStyle')).map((s) => s.get('stack') || '');
      // The top edge of each filled area, read back from its drawn points
      // into data coordinates.
      const tops = model.getSeries().filter((s) => !!s.get('areaStyle')).map((s) => {
        const pts = s.getData().getLayout('points') || [];
        const out = [];
        for (let i = 0; i + 1 < pts.length; i += 2) {
          out.push(c.convertFromPixel({ seriesIndex: s.seriesIndex }, [pts[i], pts[i + 1]]));
        }
        return out;
      });
      return { fills, names, areas, tops };
    }
    return null;
  }, title);
}

async function checkClasses(page, label) {
  const ten = await classChart(page, 'ten classes');
  const want = Array.from({ length: CLASSES }, (_, i) => String(i));
  check(!!ten && ten.fills.length === CLASSES && new Set(ten.fills).size === CLASSES && ten.fills.every((f) => /^#|^rgb/.test(f)),
    `${label}: ${CLASSES} classes drawn in ${ten ? new Set(ten.fills).size : 0} distinct colours ${ten ? ten.fills.join(' ') : ''}`);
  check(!!ten && JSON.stringify(ten.names) === JSON.stringify(want),
    `${label}: legend sorted numerically ${ten ? ten.names.join(',') : '(no chart)'}`);
  const band = await classChart(page, 'mean and interval');
  check(!!band && band.areas.length === 1 && band.areas[0] !== '' && band.names.length === 1,
    `${label}: the band is one filled stacked series under one legend entry ${JSON.stringify(band)}`);
  // charts.ipynb: mean 0.9 0.8 0.6 0.5 ± 0.02 0.05 0.08 0.1 at x = 0..3.
  const upper = [[0, 0.92], [1, 0.85], [2, 0.68], [3, 0.6]];
  const top = band && band.tops.length === 1 ? band.tops[0] : [];
  check(top.length === upper.length && top.every((p, i) => Math.abs(p[0] - upper[i][0]) < 1e-3 && Math.abs(p[1] - upper[i][1]) < 1e-3),
    `${label}: the band's top edge is drawn at mean + half-width ${JSON.stringify(top)}`);
}

function checkCharts(states, label, renderer) {
  check(states.length === CHARTS, `${label}: ${states.length} chart outputs, want ${CHARTS}`);
  check(states.length > 0 && states.every((s) => s.drawn), `${label}: every chart has a canvas/svg of non-zero size [${summarize(states)}]`);
  check(states.every((s) => s.rendered === renderer), `${label}: every chart drawn by ${renderer}`);
  const scatter = states.find((s) => s.title === 'embedding');
  check(!!scatter && scatter.points === POINTS, `${label}: scatter option has ${scatter ? scatter.points : 'no'} points, data has ${POINTS}`);
  const s3 = states.find((s) => s.title === 'embedding 3-D');
  check(!!s3 && s3.points === POINTS && s3.series[0] === 'scatter3D', `${label}: 3-D scatter drawn with echarts-gl, ${s3 ? s3.points : 'no'} points`);
}

async function main() {
  fs.mkdirSync(WORK, { recursive: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.copyFileSync(path.join(__dirname, NB), path.join(WORK, NB));
  const port = await freePort();
  const server = await startServer(port);
  const browser = await launch();
  try {
    // 1-2: run all cells in the classic notebook.
    const run = await openNotebook(browser, port, 'live');
    await run.page.evaluate(() => { Jupyter.notebook.clear_all_output(); Jupyter.notebook.execute_all_cells(); });
    await waitFor(run.page, () => Jupyter.notebook.get_cells().every((c) => c.cell_type !== 'code' ||
      typeof c.input_prompt_number === 'number') && !Jupyter.notebook.kernel_busy, null, 120000, 'live: all cells executed');
    const cellErrors = await run.page.evaluate(() => Jupyter.notebook.get_cells().flatMap((c, i) =>
      (c.output_area ? c.output_area.outputs : []).filter((o) => o.output_type === 'error').map((o) => `cell ${i}: ${o.ename}: ${o.evalue}`)));
    check(cellErrors.length === 0, `live: no cell errors ${cellErrors.join('; ')}`);
    const live = await waitCharts(run.page, CHARTS, 30000);
    checkCharts(live, 'live', 'kernel.js');
    await checkClasses(run.page, 'live');
    const bars = await run.page.evaluate(() => Array.from(document.querySelectorAll('.subspace-progress')).map((e) =>
      ({ state: e.getAttribute('data-state'), fraction: e.getAttribute('data-fraction'), pct: (e.querySelector('.subspace-progress-pct') || {}).textContent })));
    check(bars.length === 1, `live: the progress bar is one output updated in place (${bars.length} found)`);
    check(bars.length > 0 && bars[bars.length - 1].state === 'done' && bars[bars.length - 1].fraction === '1.0000' &&
      bars[bars.length - 1].pct === '100%', `live: progress bar ended at 100% ${JSON.stringify(bars)}`);
    await fullScreenshot(run.page, path.join(ARTIFACTS, 'browser-notebook.png'));
    await run.page.evaluate(() => Jupyter.notebook.save_notebook());
    await waitFor(run.page, () => !Jupyter.notebook.dirty, null, 30000, 'live: notebook saved');
    check(run.blocked.length === 0, `live: no request left 127.0.0.1 ${JSON.stringify(run.blocked)}`);
    check(run.errors.filter((e) => /echarts|subspace/i.test(e)).length === 0, `live: no chart errors in the console ${JSON.stringify(run.errors)}`);
    await run.page.evaluate(() => Jupyter.notebook.session.delete());
    await run.context.close();

    // 3: the saved notebook in a fresh browser context, not re-run.
    const again = await openNotebook(browser, port, 'reopened');
    const reopened = await waitCharts(again.page, CHARTS, 30000);
    checkCharts(reopened, 'reopened', 'kernel.js');
    await checkClasses(again.page, 'reopened');
    await fullScreenshot(again.page, path.join(ARTIFACTS, 'browser-reopened.png'));
    check(again.blocked.length === 0, `reopened: no request left 127.0.0.1 ${JSON.stringify(again.blocked)}`);
    await again.page.evaluate(() => Jupyter.notebook.session.delete());
    await again.context.close();

    // 4: nbconvert HTML export from file:// with the network blocked.
    execFileSync(PY, ['-m', 'nbconvert', '--to', 'html', '--output-dir', ARTIFACTS, path.join(WORK, NB)], { stdio: 'inherit' });
    const html = path.join(ARTIFACTS, NB.replace(/\.ipynb$/, '.html'));
    const ctx = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const blocked = await blockNetwork(ctx, []);
    const page = await ctx.newPage();
    await page.goto('file://' + html);
    const exported = await waitCharts(page, CHARTS, 60000);
    checkCharts(exported, 'nbconvert export (file://, offline)', 'echarts');
    await checkClasses(page, 'nbconvert export');
    await page.screenshot({ path: path.join(ARTIFACTS, 'browser-nbconvert.png'), fullPage: true });
    console.log(`note nbconvert export: requests blocked (nbconvert's own template assets): ${JSON.stringify(blocked)}`);
    await ctx.close();
  } finally {
    await browser.close();
    try { process.kill(-server.pid, 'SIGTERM'); } catch (e) { /* already gone */ }
  }
  console.log(failures === 0 ? 'browser test passed' : `browser test: ${failures} failure(s)`);
  process.exit(failures === 0 ? 0 : 1);
}

main().catch((e) => { console.error(e); process.exit(1); });
