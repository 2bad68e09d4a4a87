#!/usr/bin/env node
// Splits the page's release wasm in two, so the first paint downloads only what it runs.
//
//   node scripts/split/split-wasm.mjs <trunk staging dir>
//
// 1. Instruments the wasm (binaryen's wasm-split --instrument) and opens the instrumented page
//    in headless Chromium: the playground at 1440×900 and at 390×844, and an embed at 390×844,
//    phones also with the CPU slowed down 6 and 10 times, a desktop page that opens a share
//    link and then every example, and a docs page with players (PROFILED_PAGES).
//    Each records which functions ran until its first result was on screen and the page had
//    been left alone for a while (QUIET_MS, longer on a slower CPU): the work a page does unasked,
//    such as preparing the next comparison in idle time, runs by then, and waiting for it keeps
//    the split the same from build to build.
// 2. Splits the wasm by those profiles: what ran stays in resilience-playground_bg.wasm; the rest
//    goes to resilience-playground_later_bg.wasm. The list of what stays is kept in
//    target/split-cache/ (keyed by the wasm, this script and the tour), so unchanged code is not
//    profiled again.
// 3. Adds scripts/split/loader.js to the wasm-bindgen glue: the later module is fetched in the
//    background, and a call that needs it sooner loads it at once. Nothing that worked before
//    the split needs the split: a profile that misses a function costs a wait, not a failure.
// (scripts/split/integrity.mjs then puts the final files' hashes into index.html.)
//
// binaryen's wasm-split comes from Debian (version 108; npm's binaryen has none). That version
// cannot read `table.fill`, and writes every table export as table 0; fixForOldBinaryen and
// fixTableExports work around both. A wasm they do not expect fails the build (wasm-split
// refuses a table.fill left over; fixTableExports checks the one export it fixes).
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { serve } from './serve.mjs';

const NAME = 'resilience-playground';
const LATER = `${NAME}_later_bg.wasm`;
const EXTERNREF_TABLE_EXPORT = '__wbindgen_externrefs';
const FEATURES = ['--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
  '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue'];
/** The examples (crates/engine/scenarios/) and a share link (the golden all-six link) a tour visits. */
const TOUR = [
  `s=${fs.readFileSync(new URL('../../crates/engine/tests/fixtures/links/v1/all-six.link', import.meta.url), 'utf8').trim()}`,
  ...fs.readdirSync(new URL('../../crates/engine/scenarios/', import.meta.url))
    .filter((f) => f.endsWith('.json')).sort().map((f) => `example/${f.replace(/\.json$/, '')}`),
];
/**
 * The pages whose first paint decides what stays in the first module. A slower CPU takes other
 * paths (a run that passes its time slice goes on in a task of its own), so phones are profiled
 * with the CPU slowed down as well.
 */
const PROFILED_PAGES = [
  { hash: '', width: 1440, height: 900, cpuSlowdown: 1, ready: '#run-meta:has-text("digest")' },
  { hash: '', width: 390, height: 844, cpuSlowdown: 1, ready: '#run-meta:has-text("digest")' },
  { hash: '', width: 390, height: 844, cpuSlowdown: 6, ready: '#run-meta:has-text("digest")' },
  { hash: '', width: 390, height: 844, cpuSlowdown: 10, ready: '#run-meta:has-text("digest")' },
  { hash: '#embed', width: 390, height: 844, cpuSlowdown: 1, ready: '#timeline' },
  { hash: '#embed', width: 390, height: 844, cpuSlowdown: 6, ready: '#timeline' },
  // Readers arrive by links to any stack: a share link, then every example, in one page.
  { hash: '', width: 1440, height: 900, cpuSlowdown: 1, ready: '#run-meta:has-text("digest")', tour: true },
  // A docs page with players (www/player.js): by attribute, by link payload, by mountPlayer().
  { page: 'player-profile.html', hash: '', width: 1440, height: 900, cpuSlowdown: 1, ready: '#players-ready' },
];
/**
 * Each page is profiled this many times and the profiles merged: a few functions (a timer's
 * closure, a drop on a path a frame's timing picks) run in some loads and not in others, and a
 * union of loads keeps more of them in the first module, so fewer builds differ.
 */
const PROFILE_PASSES = 2;
const PROFILE_BUFFER_BYTES = 1 << 20;
const CACHE_ENTRIES = 4;
const QUIET_MS = 1000;

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
if (!process.argv[2]) {
  console.error('usage: split-wasm.mjs <trunk staging dir>');
  process.exit(2);
}
const staging = path.resolve(process.argv[2]);
const wasmPath = path.join(staging, `${NAME}_bg.wasm`);
const gluePath = path.join(staging, `${NAME}.js`);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rp-split-'));

const startedMs = Date.now();
try {
  const input = path.join(work, 'input.wasm');
  fs.writeFileSync(input, fixForOldBinaryen(fs.readFileSync(wasmPath)));
  const keep = await cachedKeepList(input);
  warnOfFloatFormatting(keep);
  wasmSplit(['--split', `--keep-funcs=@${keep}`, '-o1', wasmPath, '-o2', path.join(staging, LATER), input]);
  fs.writeFileSync(wasmPath, fixTableExports(fs.readFileSync(wasmPath)));
  fs.writeFileSync(gluePath, withLoader(fs.readFileSync(gluePath, 'utf8')));
  const kb = (file) => `${(fs.statSync(path.join(staging, file)).size / 1024).toFixed(0)} KiB`;
  const seconds = ((Date.now() - startedMs) / 1000).toFixed(0);
  console.log(`split-wasm: first paint ${kb(`${NAME}_bg.wasm`)}, later ${kb(LATER)} (before wasm-opt), in ${seconds} s`);
} catch (error) {
  console.error(`split-wasm: ${error.message}`);
  process.exitCode = 1;
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

function fail(message) {
  throw new Error(message);
}

function wasmSplit(args) {
  return execFileSync('wasm-split', [...FEATURES, ...args], { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 }).toString();
}

/**
 * The kept functions' list for this wasm: profiled, or from target/split-cache/ when the same
 * wasm was profiled the same way before (the key hashes the wasm, this script and the tour), which
 * makes a rebuild of unchanged code fast and gives it the same bytes. The newest CACHE_ENTRIES
 * lists are kept.
 */
async function cachedKeepList(input) {
  const cache = path.join(root, 'target', 'split-cache');
  const digest = crypto.createHash('sha256')
    .update(fs.readFileSync(input))
    .update(fs.readFileSync(new URL(import.meta.url)))
    .update(TOUR.join('\n'))
    .digest('hex');
  const cached = path.join(cache, `${digest}.keep`);
  if (!fs.existsSync(cached)) {
    const fresh = keptFunctions(input, await firstPaintProfile(input));
    fs.mkdirSync(cache, { recursive: true });
    fs.copyFileSync(fresh, cached);
    const entries = fs.readdirSync(cache).map((f) => path.join(cache, f));
    entries.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
    entries.slice(CACHE_ENTRIES).forEach((f) => fs.rmSync(f));
  } else {
    console.log(`split-wasm: this wasm was profiled before (${path.relative(root, cached)})`);
  }
  return cached;
}

/**
 * Rust's float formatter (about 4.6 KB gzipped) is not part of the first paint: the page writes
 * numbers with resilience_engine::decimal. Says so when a first paint ran it after all (a
 * `{:.1}` or `{}` of an f64 in a first screen's view), since the size fence alone would not say
 * why the first part grew.
 */
function warnOfFloatFormatting(keep) {
  const formatter = fs.readFileSync(keep, 'utf8').split('\n').filter((name) => name.includes('fmt::float::'));
  if (formatter.length > 0) {
    console.warn(`split-wasm: a first paint ran Rust's float formatter (${formatter.join(', ')}); `
      + 'write its numbers with resilience_engine::decimal (fixed, compact, shortest)');
  }
}

/**
 * The functions the profile keeps in the first module, sorted, in a file for --keep-funcs. A
 * split by the profile itself would order them by when they first ran, which differs from run
 * to run; by name, the same profile gives the same bytes. (binaryen escapes spaces in names, so
 * ", " only separates them.)
 */
function keptFunctions(input, profile) {
  const verbose = wasmSplit(['--split', '-v', `--profile=${profile}`, '-o1', path.join(work, 'a.wasm'),
    '-o2', path.join(work, 'b.wasm'), input]);
  const line = verbose.split('\n').find((l) => l.startsWith('Keeping functions: '));
  if (!line) fail('wasm-split -v printed no "Keeping functions" line');
  const file = path.join(work, 'keep.txt');
  fs.writeFileSync(file, `${line.slice('Keeping functions: '.length).split(', ').sort().join('\n')}\n`);
  return file;
}

/**
 * Rewrites `table.fill t (ref.null extern) 1` (wasm-bindgen's closure shims clear one slot) as
 * the equivalent `table.set t (ref.null extern)` plus three `nop`s, same length: binaryen 108
 * cannot read table.fill. Bytes: ref.null extern = d0 6f, i32.const 1 = 41 01,
 * table.fill t = fc 11 t; table.set t = 26 t, nop = 01.
 */
function fixForOldBinaryen(bytes) {
  const out = Buffer.from(bytes);
  for (let at = out.indexOf(Buffer.from([0xd0, 0x6f, 0x41, 0x01, 0xfc, 0x11])); at >= 0;
    at = out.indexOf(Buffer.from([0xd0, 0x6f, 0x41, 0x01, 0xfc, 0x11]), at + 1)) {
    const table = out[at + 6];
    out.set([0x26, table, 0x01, 0x01, 0x01], at + 2);
  }
  return out;
}

/** Reads an unsigned LEB128 at `at`: [value, offset after it]. */
function leb(bytes, at) {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, at];
  }
}

/** Calls `visit(id, start, end)` for each section of a wasm module. */
function eachSection(bytes, visit) {
  for (let at = 8; at < bytes.length;) {
    const [size, start] = leb(bytes, at + 1);
    visit(bytes[at], start, start + size);
    at = start + size;
  }
}

/**
 * Points the externref table's export back at that table: binaryen 108 writes every table
 * export as table 0 (the function table, which is right for the others).
 */
function fixTableExports(bytes) {
  const out = Buffer.from(bytes);
  let externrefTable = -1;
  let fixed = 0;
  eachSection(out, (id, start) => {
    if (id === 4) externrefTable = findTable(out, start, 0x6f);
    if (id !== 7) return;
    let [count, at] = leb(out, start);
    for (; count > 0; count -= 1) {
      const [length, nameAt] = leb(out, at);
      const name = out.subarray(nameAt, nameAt + length).toString();
      const kind = out[nameAt + length];
      const [, next] = leb(out, nameAt + length + 1);
      if (kind === 1 && name === EXTERNREF_TABLE_EXPORT) {
        if (next !== nameAt + length + 2 || externrefTable < 0 || externrefTable > 0x7f) fail('unexpected table layout');
        out[nameAt + length + 1] = externrefTable;
        fixed += 1;
      }
      at = next;
    }
  });
  if (fixed !== 1) fail(`expected one ${EXTERNREF_TABLE_EXPORT} export, fixed ${fixed}`);
  return out;
}

/** The index of the first table of the given reference type in a table section (no imported tables). */
function findTable(bytes, start, refType) {
  let [count, at] = leb(bytes, start);
  for (let index = 0; index < count; index += 1) {
    const type = bytes[at];
    const flags = bytes[at + 1];
    [, at] = leb(bytes, at + 2);
    if (flags & 1) [, at] = leb(bytes, at);
    if (type === refType) return index;
  }
  return -1;
}

/** Runs the instrumented page in Chromium and returns the merged profile's path. */
async function firstPaintProfile(input) {
  const site = path.join(work, 'site');
  fs.cpSync(staging, site, { recursive: true });
  const instrumented = path.join(site, `${NAME}_bg.wasm`);
  wasmSplit(['--instrument', '-o', instrumented, input]);
  fs.writeFileSync(instrumented, fixTableExports(fs.readFileSync(instrumented)));
  const html = path.join(site, 'index.html');
  fs.writeFileSync(html, fs.readFileSync(html, 'utf8').replace(/ integrity="[^"]*"/g, ''));

  fs.writeFileSync(path.join(site, 'player-profile.html'), playerPage());
  const server = await serve(site);
  const { chromium } = createRequire(path.join(root, 'tools/package.json'))('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-quic'],
  });
  try {
    const profiles = [];
    for (let pass = 0; pass < PROFILE_PASSES; pass += 1) {
      for (const [index, page] of PROFILED_PAGES.entries()) {
        const file = path.join(work, `pass${pass}-page${index}.prof`);
        const profile = await profileOf(browser, `${server.url}/${page.page ?? 'index.html'}${page.hash}`, page);
        if (!profile) continue;
        fs.writeFileSync(file, profile);
        profiles.push(file);
      }
    }
    const merged = path.join(work, 'merged.prof');
    wasmSplit(['--merge-profiles', ...profiles, '-o', merged]);
    return merged;
  } finally {
    await browser.close();
    server.close();
  }
}

/**
 * One page's profile: the instrumented module writes it into its memory once the page is ready.
 * A page with a slowed-down CPU that is not ready in time (on a busy shared machine, Chromium's
 * throttling can slow a page far more than the rate says) is left out with a warning: its
 * profile only adds paths, and a path the split misses costs a wait, not a failure. A page at
 * full speed that is not ready fails the build.
 */
async function profileOf(browser, url, { width, height, cpuSlowdown, ready, tour }) {
  const page = await browser.newPage({ viewport: { width, height } });
  const devtools = await page.context().newCDPSession(page);
  await devtools.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (e) => { window.rpProfiledWasm = e.detail.wasm; });
    // As the loader does until the later module is in: the panels that wait for it (the
    // editors) stay out of the profile, so their code goes to the later module.
    window.rpLaterPending = true;
  });
  await page.goto(url);
  const timeout = 60_000 * Math.min(Math.max(1, cpuSlowdown / 4), 2);
  const shown = await page.locator(ready).first().waitFor({ timeout }).then(() => true, (error) => {
    const problem = `${url} (CPU ${cpuSlowdown}x slower) did not show ${ready} in ${timeout / 1000} s: ${error.message.split('\n')[0]}`;
    if (cpuSlowdown === 1) fail(problem);
    console.warn(`split-wasm: left out of the profile: ${problem}`);
    return false;
  });
  if (!shown) {
    await page.close();
    return null;
  }
  for (const fragment of tour ? TOUR : []) await visit(page, fragment);
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(QUIET_MS * Math.min(cpuSlowdown, 4));
  if (errors.length) fail(`the instrumented page failed: ${errors.join('; ')}`);
  const bytes = await page.evaluate((size) => {
    const wasm = window.rpProfiledWasm;
    const at = wasm.__wbindgen_malloc(size, 8);
    const length = wasm.__write_profile(at, size);
    return Array.from(new Uint8Array(wasm.memory.buffer, at, length));
  }, PROFILE_BUFFER_BYTES);
  await page.close();
  return Buffer.from(bytes);
}

/** A docs page mounting players the three ways www/player.js offers; it hands over the wasm's exports. */
function playerPage() {
  return `<!doctype html>
<html lang="en"><meta charset="utf-8"><title>Players</title>
<body>
<resilience-player example="retry-storm" panels="timeline,charts,summary,stack,diagram,claims"></resilience-player>
<resilience-player src="${TOUR[0].slice('s='.length)}" panels="summary"></resilience-player>
<div id="mounted"></div>
<script type="module">
  import { mountPlayer } from './player.js';
  const attributes = [...document.querySelectorAll('resilience-player')].map((player) => player.ready);
  await Promise.all([...attributes, mountPlayer(document.getElementById('mounted'), 'breaker-outage', { panels: ['summary', 'timeline'] })]);
  window.rpProfiledWasm = await (await import('./${NAME}.js')).default();
  document.body.append(Object.assign(document.createElement('p'), { id: 'players-ready', textContent: 'ready' }));
</script>
`;
}

/** Opens `#fragment` in the page and waits for its run's digest (each differs from the one before). */
async function visit(page, fragment) {
  const before = await page.locator('#run-meta').textContent();
  await page.evaluate((hash) => { window.location.hash = hash; }, fragment);
  await page.waitForFunction((shown) => {
    const now = document.querySelector('#run-meta')?.textContent ?? '';
    return now !== shown && now.includes('digest');
  }, before, { timeout: 60_000 });
}

/** The glue with the loader added: the placeholder imports, and the background fetch at start. */
function withLoader(glue) {
  const loader = fs.readFileSync(path.join(root, 'scripts/split/loader.js'), 'utf8');
  const imports = `"./${NAME}_bg.js": import0,\n`;
  const start = '    wasm.__wbindgen_start();\n';
  for (const anchor of [imports, start]) {
    if (glue.split(anchor).length !== 2) fail(`the wasm-bindgen glue has changed: ${JSON.stringify(anchor)} not found once`);
  }
  return `${glue
    .replace(imports, `${imports}        "placeholder": rpPlaceholders(),\n`)
    .replace(start, `    rpLoadLater();\n${start}`)}\n${loader}`;
}
