// Browser test of the lesson exports, run by `make test-lessons-export`
// after `make run-examples` has executed the notebooks into build/examples:
// every exported lesson (build/examples/NN-name.html, or the HTML files
// given as arguments) is opened from a file:// URL in headless chromium with
// every network request blocked, and each chart output must be drawn from
// its self-contained HTML fallback (a canvas or svg of non-zero size in each
// .subspace-echarts container). The number of charts expected is read from
// the executed notebook next to the export (outputs holding an echarts
// option), so a chart that failed to export is noticed too.
//
// Screenshots go to build/artifacts/. Exit status 1 on any failure.
'use strict';
const fs = require('fs');
const path = require('path');
const { launch, blockNetwork, waitCharts } = require('./common.js');

const ROOT = path.resolve(__dirname, '..', '..');
const EXPORTS = path.join(ROOT, 'build', 'examples');
const ARTIFACTS = path.join(ROOT, 'build', 'artifacts');
const ECHARTS_MIME = 'application/vnd.echarts.v5+json';

let failures = 0;
function check(ok, msg) {
  console.log((ok ? 'ok   ' : 'FAIL ') + msg);
  if (!ok) failures++;
}

// expectedCharts counts the chart outputs of the executed notebook saved
// next to an export.
function expectedCharts(html) {
  const nb = JSON.parse(fs.readFileSync(html.replace(/\.html$/, '.ipynb'), 'utf8'));
  let n = 0;
  for (const cell of nb.cells) {
    for (const o of cell.outputs || []) {
      if (o.data && o.data[ECHARTS_MIME]) n++;
    }
  }
  return n;
}

function lessonExports() {
  if (process.argv.length > 2) return process.argv.slice(2).map((p) => path.resolve(p));
  if (!fs.existsSync(EXPORTS)) return [];
  // Exports of the lessons in examples/ only: an export left behind by a
  // lesson since renamed or removed is not checked.
  const lesson = (f) => fs.existsSync(path.join(ROOT, 'examples', f.replace(/\.html$/, '.ipynb')));
  return fs.readdirSync(EXPORTS).filter((f) => /^\d\d-.*\.html$/.test(f) && lesson(f)).sort().map((f) => path.join(EXPORTS, f));
}

async function checkExport(browser, html) {
  const name = path.basename(html);
  const want = expectedCharts(html);
  const ctx = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const blocked = await blockNetwork(ctx, []);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto('file://' + html, { timeout: 120000 });
    const states = await waitCharts(page, want, 90000);
    check(want > 0, `${name}: the executed notebook has chart outputs (${want})`);
    check(states.length === want, `${name}: ${states.length} chart containers, ${want} chart outputs`);
    const undrawn = states.filter((s) => !s.drawn).map((s) => s.title || s.id);
    check(states.length > 0 && undrawn.length === 0,
      `${name}: every chart drawn offline (canvas/svg of non-zero size)${undrawn.length ? ' - not drawn: ' + undrawn.join(', ') : ''}`);
    check(states.every((s) => s.points >= 0), `${name}: every chart is an echarts instance holding its option, data points [${states.map((s) => s.points).join(' ')}]`);
    const chartErrors = errors.filter((e) => /echarts|subspace/i.test(e));
    check(chartErrors.length === 0, `${name}: no chart errors in the page ${JSON.stringify(chartErrors)}`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'lesson-' + name.replace(/\.html$/, '.png')), fullPage: true });
    console.log(`note ${name}: requests blocked (nbconvert's own template assets): ${JSON.stringify(blocked)}`);
  } finally {
    await ctx.close();
  }
}

async function main() {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const files = lessonExports();
  check(files.length > 0, `lesson exports found (${files.length}) in ${EXPORTS}; run make run-examples first`);
  const browser = await launch();
  try {
    for (const html of files) await checkExport(browser, html);
  } finally {
    await browser.close();
  }
  console.log(failures === 0 ? 'lesson export test passed' : `lesson export test: ${failures} failure(s)`);
  process.exit(failures === 0 ? 0 : 1);
}

main().catch((e) => { console.error(e); process.exit(1); });
