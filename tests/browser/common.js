// Shared helpers of the browser tests: launch Debian's chromium through
// playwright-core with the network restricted to 127.0.0.1 (or to nothing),
// and check that every chart output was drawn.
'use strict';
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--enable-unsafe-swiftshader', '--use-angle=swiftshader'],
  });
}

// blockNetwork routes every request of the context: requests to allowed
// hosts (and file:, data:, blob: URLs) continue, all others are aborted and
// recorded in the returned list.
async function blockNetwork(context, allowedHosts) {
  const blocked = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    const ok = url.protocol === 'file:' || url.protocol === 'data:' || url.protocol === 'blob:' ||
      ((url.protocol === 'http:' || url.protocol === 'ws:') && allowedHosts.includes(url.hostname));
    if (ok) return route.continue();
    blocked.push(route.request().url());
    return route.abort();
  });
  return blocked;
}

// chartStates returns, for every chart output on the page (elements of
// class subspace-echarts), whether it holds a canvas or svg element of
// non-zero size, and the number of data points in its echarts option.
async function chartStates(page) {
  return page.evaluate(() => Array.from(document.querySelectorAll('.subspace-echarts')).map((el) => {
    const g = el.querySelector('canvas, svg');
    const r = g ? g.getBoundingClientRect() : { width: 0, height: 0 };
    let points = -1, series = [];
    const chart = el.__subspaceChart;
    if (chart && chart.getOption) {
      const opt = chart.getOption();
      points = 0;
      for (const s of opt.series || []) {
        series.push(s.type);
        points += (s.data || []).length;
      }
    }
    const title = chart && chart.getOption ? ((chart.getOption().title || [{}])[0] || {}).text || '' : '';
    return { id: el.id, drawn: !!g && r.width > 0 && r.height > 0, w: r.width, h: r.height, points, series, title,
             rendered: el.getAttribute('data-rendered') || '' };
  }));
}

// waitCharts polls until every chart output is drawn (or timeout) and
// returns the last states.
async function waitCharts(page, expected, timeoutMs) {
  const end = Date.now() + timeoutMs;
  let states = [];
  while (Date.now() < end) {
    states = await chartStates(page);
    if (states.length >= expected && states.every((s) => s.drawn && s.points >= 0)) return states;
    await page.waitForTimeout(250);
  }
  return states;
}

module.exports = { launch, blockNetwork, chartStates, waitCharts };
