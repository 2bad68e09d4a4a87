// Load benchmark (prints figures; asserts nothing): how long a reader on a phone's network waits
// for the first result of the default example and of a share link (from navigation to the
// status line showing its digest), and until the app's wasm parts are all in. The files are
// served gzipped, as static hosts do, over an emulated network (DevTools' "Fast 3G" and a
// 4G-like link), with the CPU slowed down 4× as for a mid-range phone. Each build is loaded
// RUNS times, builds taking turns, and medians are reported.
//
//   node bench-load.mjs                      this repository's dist/
//   BENCH_DIST=/other/dist/ node bench-load.mjs   also that build, in the same runs
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { serve } from '../../scripts/split/serve.mjs';

const RUNS = Number(process.env.BENCH_RUNS || 5);
const NETWORKS = [
  { name: 'Fast 3G (1.6 Mbps, 150 ms RTT)', downloadThroughput: (1.6e6 / 8) * 0.9, uploadThroughput: (750e3 / 8) * 0.9, latency: 150 * 3.75 },
  { name: '4G (9 Mbps, 85 ms RTT)', downloadThroughput: (9e6 / 8) * 0.9, uploadThroughput: (1.5e6 / 8) * 0.9, latency: 85 * 2.75 },
];
const CPU_SLOWDOWN = 4;
// The default example, and a reader arriving by a share link (the golden all-six link).
const LINK = fs.readFileSync(new URL('../../crates/engine/tests/fixtures/links/v1/all-six.link', import.meta.url), 'utf8').trim();
const PAGES = [['the default example', 'index.html'], ['a share link (all-six)', `index.html#s=${LINK}`]];
const builds = [['this build', new URL('../../dist/', import.meta.url).pathname]];
if (process.env.BENCH_DIST) builds.push(['BENCH_DIST', process.env.BENCH_DIST]);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});

/** One cold load: [ms to the first result, ms until every wasm part the page fetched has arrived]. */
async function load(url, network) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, ...network });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  await page.addInitScript(() => {
    new MutationObserver(() => {
      if (!window.rpFirstResult && document.querySelector('#run-meta')?.textContent.includes('digest')) window.rpFirstResult = performance.now();
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  await page.goto(url);
  await page.waitForFunction(() => window.rpFirstResult, null, { timeout: 120_000, polling: 50 });
  await page.waitForLoadState('networkidle');
  const figures = await page.evaluate(() => [
    window.rpFirstResult,
    Math.max(...performance.getEntriesByType('resource').filter((e) => e.name.includes('resilience-playground') && e.name.endsWith('.wasm')).map((e) => e.responseEnd)),
  ]);
  await context.close();
  return figures;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const servers = await Promise.all(builds.map(([, dir]) => serve(dir, { gzip: true })));
for (const [label, dir] of builds) {
  const parts = fs.readdirSync(dir).filter((f) => /^resilience-playground.*\.wasm$/.test(f));
  console.log(`${label}: ${parts.map((f) => `${f} ${zlib.gzipSync(fs.readFileSync(path.join(dir, f)), { level: 9 }).length} B gzipped`).join(', ')}`);
}
for (const [pageName, pagePath] of PAGES) {
  for (const network of NETWORKS) {
    const results = builds.map(() => ({ first: [], all: [] }));
    for (let run = 0; run < RUNS; run++) {
      for (const [i, server] of servers.entries()) {
        const [first, all] = await load(`${server.url}/${pagePath}`, network);
        results[i].first.push(first);
        results[i].all.push(all);
      }
    }
    for (const [i, [label]] of builds.entries()) {
      const r = results[i];
      console.log(`${pageName}, ${network.name}, CPU ${CPU_SLOWDOWN}x slower, ${label}: first result at median ${median(r.first).toFixed(0)} ms (${r.first.map((x) => x.toFixed(0)).join(', ')}); every wasm part in by ${median(r.all).toFixed(0)} ms`);
    }
  }
}
await browser.close();
servers.forEach((s) => s.close());
