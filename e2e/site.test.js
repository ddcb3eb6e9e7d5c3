// End to end, as a learner meets SockLab: the real relay binary serving the real Trunk build,
// loaded in Debian's headless Chromium. Run by `./dev test` (which builds both first).
//
//   SOCKLAB_RELAY_BIN  relay binary (default: target/debug/socklab-relay)
//   SOCKLAB_SITE       built site   (default: dist)
//   SOCKLAB_ARTIFACTS  where screenshots go (default: e2e/artifacts)

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const relayBin = process.env.SOCKLAB_RELAY_BIN ?? join(root, 'target/debug/socklab-relay');
const site = process.env.SOCKLAB_SITE ?? join(root, 'dist');
const artifacts = process.env.SOCKLAB_ARTIFACTS ?? join(root, 'e2e/artifacts');

/** The chapter's title, read from its Markdown so the test follows the content. */
function title(lang, file) {
  return readFileSync(join(root, 'content', lang, file), 'utf8').split('\n')[0].replace(/^# /, '');
}

/** Start the relay on free ports; resolve with its site URL once it prints it. */
function startRelay() {
  const relay = spawn(relayBin, ['--site', site, '--listen', '127.0.0.1:0',
    '--tcp-echo', '127.0.0.1:0', '--udp-echo', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = new Promise((ok, fail) => {
    let out = '';
    relay.stdout.on('data', (chunk) => {
      out += chunk;
      const found = out.match(/running at (http:\/\/\S+)/);
      if (found) ok(found[1]);
    });
    relay.on('exit', (code) => fail(new Error(`relay exited early with ${code}`)));
  });
  return { relay, url };
}

describe('SockLab in a real browser', () => {
  let relay, url, browser, page;

  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    ({ relay, url } = startRelay());
    url = await url;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ locale: 'en-US', viewport: { width: 1100, height: 900 } });
    page.on('pageerror', (err) => assert.fail(`uncaught error in the page: ${err}`));
  });

  after(async () => {
    await browser?.close();
    if (relay && relay.exitCode === null) {
      const exited = new Promise((ok) => relay.on('exit', (code, signal) => ok({ code, signal })));
      relay.kill('SIGTERM');
      assert.deepEqual(await exited, { code: 0, signal: null }, 'relay exits 0 on SIGTERM');
    }
  });

  test('the home page lists every chapter, in the browser language', async () => {
    await page.goto(url + '/');
    await page.waitForURL(/\/en$/);
    for (const file of ['01-handshake.md', '02-echo-client.md']) {
      await page.getByRole('link', { name: title('en', file) }).waitFor();
    }
  });

  test('a chapter renders from Markdown, on a deep link', async () => {
    await page.goto(url + '/en/handshake');
    assert.equal(await page.locator('article h1').innerText(), title('en', '01-handshake.md'));
    // Markdown became HTML at build time: headings, code and tables are real elements.
    assert.ok(await page.locator('article h2').count() >= 3);
    assert.ok(await page.locator('article pre code').count() >= 1);
  });

  test('the handshake widget runs smoltcp to ESTABLISHED on both sides', async () => {
    await page.goto(url + '/en/handshake');
    const client = page.getByTestId('state-client');
    const server = page.getByTestId('state-server');
    assert.equal(await client.innerText(), 'CLOSED'); // nothing has run yet
    assert.equal(await server.innerText(), 'CLOSED');
    await page.getByTestId('step').click(); // listen(), connect(), and the SYN leaves
    assert.equal(await client.innerText(), 'SYN-SENT');
    assert.equal(await server.innerText(), 'LISTEN');
    const seen = new Set();
    for (let i = 0; i < 10 && (await client.innerText() !== 'ESTABLISHED' || await server.innerText() !== 'ESTABLISHED'); i++) {
      await page.getByTestId('step').click();
      seen.add(`${await client.innerText()}/${await server.innerText()}`);
    }
    assert.equal(await client.innerText(), 'ESTABLISHED');
    assert.equal(await server.innerText(), 'ESTABLISHED');
    assert.ok(seen.has('SYN-SENT/SYN-RECEIVED'), `states seen: ${[...seen]}`);
    const segments = await page.locator('.trace .segment').allInnerTexts();
    assert.deepEqual(segments.map((s) => s.match(/\[(.*?)\]/)[1]), ['SYN', 'SYN, ACK', 'ACK']);
    await page.locator('.widget.handshake').screenshot({ path: join(artifacts, 'handshake-widget.png') });
    await page.screenshot({ path: join(artifacts, 'chapter-handshake.png'), fullPage: true });
  });

  test('a message round-trips through the relay and the real echo socket', async () => {
    await page.goto(url + '/en/echo-client');
    await page.getByTestId('echo-status').filter({ hasText: 'Connected' }).waitFor();
    const message = 'hello from the browser, 你好';
    await page.getByTestId('echo-input').fill(message);
    await page.getByTestId('echo-send').click();
    const log = page.getByTestId('echo-log');
    await log.locator('li.wrote').first().waitFor();
    // The echo may come back in several reads; join them and compare with what was sent.
    await page.waitForFunction((expected) => {
      const reads = [...document.querySelectorAll('[data-testid=echo-log] li.read')];
      return reads.map((li) => li.textContent.replace(/^.*?bytes: /, '')).join('') === expected;
    }, message, { timeout: 5000 });
    const wrote = await log.locator('li.wrote').first().innerText();
    assert.match(wrote, new RegExp(`write\\(${Buffer.byteLength(message)} bytes\\)`));
    await page.locator('.widget.echo').screenshot({ path: join(artifacts, 'echo-widget.png') });
  });

  test('the language switch keeps the reader on the same chapter', async () => {
    await page.goto(url + '/en/handshake');
    await page.getByRole('link', { name: '中文' }).click();
    await page.waitForURL(/\/zh\/handshake$/);
    assert.equal(await page.locator('article h1').innerText(), title('zh', '01-handshake.md'));
    await page.screenshot({ path: join(artifacts, 'chapter-handshake-zh.png'), fullPage: true });
  });

  test('unknown addresses show a 404 page, not a blank one', async () => {
    await page.goto(url + '/en/no-such-chapter');
    await page.getByText('404').waitFor();
  });
});
