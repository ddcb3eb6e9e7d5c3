// Lighthouse (npm `lighthouse`, its default mobile profile: a mid-range phone, throttled CPU and
// a slow 4G network, simulated) on chapters served by the release relay, with Debian's Chromium.
// Simulated throttling varies from run to run, so each page is audited RUNS times (default 3)
// and the run with the median performance score is shown. Timing only: nothing here asserts.
//
//   scripts/build-site.sh && cargo build --release -p relay && RUNS=3 node bench/lighthouse.mjs [path…]
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { startRelay } from '../e2e/support.js';

const paths = process.argv.slice(2).length ? process.argv.slice(2) : ['/en/connections', '/zh/sockets'];
const root = new URL('..', import.meta.url).pathname;
const relay = await startRelay({
  bin: process.env.SOCKLAB_RELAY_BIN ?? join(root, 'target/release/socklab-relay'), stderr: 'ignore',
});
const base = relay.url;

const chrome = await chromeLauncher.launch({
  chromePath: '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
console.log(`Median of ${Number(process.env.RUNS ?? 3)} runs per page.\n`);
console.log('| page | performance | accessibility | best practices | SEO | FCP | LCP | TBT | CLS |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
const runs = Number(process.env.RUNS ?? 3);
for (const path of paths) {
  const audits = [];
  for (let i = 0; i < runs; i++) {
    audits.push((await lighthouse(base + path, { port: chrome.port, output: 'json', logLevel: 'error' })).lhr);
  }
  audits.sort((a, b) => a.categories.performance.score - b.categories.performance.score
    || a.audits['largest-contentful-paint'].numericValue - b.audits['largest-contentful-paint'].numericValue);
  const lhr = audits[Math.floor(runs / 2)];
  const score = (c) => Math.round(lhr.categories[c].score * 100);
  const audit = (a) => (a === 'cumulative-layout-shift'
    ? lhr.audits[a].numericValue.toFixed(3)
    : `${Math.round(lhr.audits[a].numericValue)} ms`);
  console.log(`| ${path} | ${score('performance')} | ${score('accessibility')} | ${score('best-practices')} | ${score('seo')} | ${audit('first-contentful-paint')} | ${audit('largest-contentful-paint')} | ${audit('total-blocking-time')} | ${audit('cumulative-layout-shift')} |`);
  for (const [id, a] of Object.entries(lhr.audits)) {
    if (a.score !== null && a.score < 1 && a.scoreDisplayMode === 'binary') {
      const nodes = (a.details?.items ?? []).map((item) => item.node?.snippet).filter(Boolean);
      console.log(`  - ${path}: ${id}: ${a.title} ${nodes.join(' ')}`);
    }
  }
}
await chrome.kill();
await relay.stop();
