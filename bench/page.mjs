// Page weight and render time, measured in Debian's Chromium against the real relay.
//
//   ./dev site && cargo build --release -p relay && node bench/page.mjs [runs]
//
// For each run it opens a fresh browser context (empty cache) and loads /en/handshake
// ("cold"), then loads it again in the same context ("warm": immutable assets come from the
// HTTP cache). It reports bytes on the wire and the time until the chapter's handshake widget
// is rendered, as medians, and warm/cold ratios — both numbers from the same run.
import { spawn } from 'node:child_process';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const runs = Number(process.argv[2] ?? 10);
const root = new URL('..', import.meta.url).pathname;
const relay = spawn(process.env.SOCKLAB_RELAY_BIN ?? join(root, 'target/release/socklab-relay'), ['--site', join(root, 'dist'),
  '--listen', '127.0.0.1:0', '--tcp-echo', '127.0.0.1:0', '--udp-echo', '127.0.0.1:0', '--http-demo', '127.0.0.1:0'],
  { stdio: ['ignore', 'pipe', 'ignore'] });
const base = await new Promise((ok) => {
  let out = '';
  relay.stdout.on('data', (d) => { out += d; const m = out.match(/running at (\S+)/); if (m) ok(m[1]); });
});

console.log('## Built assets (dist/)\n');
console.log('| file | raw | gzip -9 | brotli |\n|---|---:|---:|---:|');
for (const f of readdirSync(join(root, 'dist')).filter((f) => !/^\.|\.(br|gz)$/.test(f))) {
  const b = readFileSync(join(root, 'dist', f));
  console.log(`| ${f.replace(/-[0-9a-f]{16}/, '-…')} | ${b.length} | ${gzipSync(b, { level: 9 }).length} | ${brotliCompressSync(b).length} |`);
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'] });
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const results = { cold: { bytes: [], ms: [] }, warm: { bytes: [], ms: [] } };
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  for (const kind of ['cold', 'warm']) {
    bytes = 0;
    const start = Date.now();
    await page.goto(base + '/en/handshake', { waitUntil: 'load' });
    await page.getByTestId('state-server').waitFor();
    results[kind].ms.push(Date.now() - start);
    await page.waitForTimeout(50); // let the last loadingFinished events arrive
    results[kind].bytes.push(bytes);
  }
  await context.close();
}
await browser.close();
relay.kill('SIGTERM');

const c = results.cold, w = results.warm;
console.log(`\n## Loading /en/handshake until the handshake widget renders (median of ${runs})\n`);
console.log('| load | bytes on the wire | time to widget |\n|---|---:|---:|');
console.log(`| cold (empty cache) | ${median(c.bytes)} | ${median(c.ms)} ms |`);
console.log(`| warm (cached assets) | ${median(w.bytes)} | ${median(w.ms)} ms |`);
console.log(`| warm / cold | ${(median(w.bytes) / median(c.bytes)).toFixed(3)} | ${(median(w.ms) / median(c.ms)).toFixed(2)} |`);
