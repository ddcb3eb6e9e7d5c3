// How long one step of the connection lab takes on a long run, in Debian's Chromium: an 8 MiB
// transfer, which the lab runs to its 12,000-event limit, stepped back and forth near its end.
// Timing only: nothing here asserts.
//
//   scripts/build-site.sh && cargo build --release -p relay && node bench/lab-step.mjs [steps]
//
// A step is timed from the key press to the moment the lab's DOM has been updated and laid out
// (a MutationObserver on the step counter forces layout and reads the clock). Painting comes
// after and is the browser's; at 60 frames a second a step must fit in 16 ms.
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startRelay } from '../e2e/support.js';

const steps = Number(process.argv[2] ?? 100);
const root = new URL('..', import.meta.url).pathname;
const relay = await startRelay({
  bin: process.env.SOCKLAB_RELAY_BIN ?? join(root, 'target/release/socklab-relay'), stderr: 'ignore',
});
const base = relay.url;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
const started = Date.now();
await page.goto(`${base}/en/connections?lab-1=s:transfer,bytes:8388608#lab-1`);
const lab = page.locator('#lab-1');
await lab.locator('[data-lab-state=live]').waitFor();
await lab.getByTestId('step-count').filter({ hasText: /of \d{3,}/ }).waitFor({ timeout: 60_000 });
const runMs = Date.now() - started;
await lab.getByRole('button', { name: 'Run to end' }).click();
const counter = await lab.getByTestId('step-count').innerText();

const times = await page.evaluate(async (steps) => {
  const lab = document.getElementById('lab-1');
  const counter = lab.querySelector('[data-testid=step-count]');
  const target = lab.querySelector('[data-testid=back]');
  const press = (key) => new Promise((done) => {
    const observer = new MutationObserver(() => {
      lab.getBoundingClientRect(); // style and layout, as a frame would need
      observer.disconnect();
      done(performance.now() - start);
    });
    observer.observe(counter, { childList: true, characterData: true, subtree: true });
    const start = performance.now();
    target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
  });
  const times = [];
  for (let i = 0; i < steps; i++) times.push(await press('ArrowLeft'));
  for (let i = 0; i < steps; i++) times.push(await press('ArrowRight'));
  return times;
}, steps);
await browser.close();
await relay.stop();

times.sort((a, b) => a - b);
const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(2);
console.log(`Run: 8 MiB transfer, ${counter} at the end (load and run: ${runMs} ms)\n`);
console.log('| steps timed | median | p95 | max |\n|---:|---:|---:|---:|');
console.log(`| ${times.length} | ${at(0.5)} ms | ${at(0.95)} ms | ${times[times.length - 1].toFixed(2)} ms |`);
