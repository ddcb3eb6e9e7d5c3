// Page weight and render time of a chapter, measured in Debian's Chromium against the release
// relay serving the real build. Timing only: nothing here asserts.
//
//   scripts/build-site.sh && cargo build --release -p relay && node bench/page.mjs [runs] [path]
//
// Each run opens a fresh browser context (empty cache) and loads the chapter twice:
//   - "text": at the top, as a reader arrives. Bytes before anything but HTML and CSS is
//     fetched, the text's paint times (first and largest contentful paint), and whether the
//     wasm was fetched at all.
//   - "lab": at its first lab (`#lab-1`), which starts the wasm at once: the time until the lab
//     is live (hydrated), and every byte the page needed.
// Medians over the runs; bytes are as transferred (compressed as served).
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startRelay } from '../e2e/support.js';

const runs = Number(process.argv[2] ?? 5);
const path = process.argv[3] ?? '/en/connections';
const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
const relay = await startRelay({
  bin: process.env.SOCKLAB_RELAY_BIN ?? join(root, 'target/release/socklab-relay'), stderr: 'ignore',
});
const base = relay.url;

console.log('## Built assets (dist/)\n');
console.log('| file | raw | gzip -9 | brotli (as served) |\n|---|---:|---:|---:|');
const file = (name) => join(dist, name);
const listed = readdirSync(dist).filter((f) => !/\.(br|gz)$/.test(f) && statSync(file(f)).isFile());
for (const f of [...listed, `${path.slice(1)}.html`]) {
  const b = readFileSync(file(f));
  console.log(`| ${f.replace(/-[0-9a-f]{16}/, '-…')} | ${b.length} | ${gzipSync(b, { level: 9 }).length} | ${brotliCompressSync(b).length} |`);
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'] });
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const results = { textBytes: [], fcp: [], lcp: [], wasmAtTop: [], live: [], totalBytes: [] };

/** Load `url` in `page`, counting transferred bytes per resource type. */
async function load(page, cdp, url) {
  const types = new Map();
  const bytes = [];
  const onResponse = (e) => types.set(e.requestId, e.type);
  const onFinished = (e) => bytes.push([types.get(e.requestId), e.encodedDataLength]);
  cdp.on('Network.responseReceived', onResponse);
  cdp.on('Network.loadingFinished', onFinished);
  await page.goto(url, { waitUntil: 'load' });
  return { bytes, stop: () => { cdp.off('Network.responseReceived', onResponse); cdp.off('Network.loadingFinished', onFinished); } };
}

for (let i = 0; i < runs; i++) {
  let context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  let page = await context.newPage();
  let cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const text = await load(page, cdp, base + path);
  await page.waitForTimeout(300);
  const paints = await page.evaluate(() => new Promise((ok) => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
    new PerformanceObserver((list) => {
      const entries = list.getEntries();
      ok({ fcp, lcp: entries[entries.length - 1].startTime });
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  }));
  text.stop();
  results.textBytes.push(text.bytes.filter(([t]) => t === 'Document' || t === 'Stylesheet').reduce((a, [, b]) => a + b, 0));
  results.wasmAtTop.push(text.bytes.some(([t]) => t === 'Fetch' || t === 'Other') ? 1 : 0);
  results.fcp.push(paints.fcp);
  results.lcp.push(paints.lcp);
  await context.close();

  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const lab = await load(page, cdp, `${base}${path}#lab-1`);
  await page.locator('[data-lab-state=live]').first().waitFor();
  results.live.push(await page.evaluate(() => performance.now()));
  await page.waitForTimeout(300); // the last loadingFinished events
  lab.stop();
  results.totalBytes.push(lab.bytes.reduce((a, [, b]) => a + b, 0));
  await context.close();
}
await browser.close();
await relay.stop();

const r = results;
console.log(`\n## ${path}, cold, median of ${runs}\n`);
console.log('| measurement | value |\n|---|---:|');
console.log(`| HTML + CSS on the wire before anything else | ${median(r.textBytes)} B |`);
console.log(`| first contentful paint (text) | ${median(r.fcp).toFixed(0)} ms |`);
console.log(`| largest contentful paint (text) | ${median(r.lcp).toFixed(0)} ms |`);
console.log(`| runs that fetched the wasm while at the top | ${r.wasmAtTop.reduce((a, b) => a + b, 0)} of ${runs} |`);
console.log(`| opened at its first lab: lab live (hydrated) after | ${median(r.live).toFixed(0)} ms |`);
console.log(`| opened at its first lab: everything on the wire | ${median(r.totalBytes)} B |`);
