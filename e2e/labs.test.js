// The labs in the pages: islands the book rendered, which the wasm hydrates when a lab comes
// near — the handshake on smoltcp in the page, the echo on a real socket through the relay.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { artifacts, launchBrowser, startRelay, strictPage } from './support.js';

const shots = artifacts('labs');

describe('the labs', () => {
  let relay, browser, context;

  before(async () => {
    relay = await startRelay();
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'en-US', viewport: { width: 1100, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
  });

  test('the wasm loads only when a lab comes near, then hydrates it without a warning', async () => {
    const page = await strictPage(context);
    const wasm = [];
    page.on('request', (request) => { if (request.url().endsWith('_bg.wasm')) wasm.push(request.url()); });
    await page.goto(relay.url + '/en/handshake', { waitUntil: 'networkidle' });
    assert.deepEqual(wasm, [], 'no wasm while the reader is at the top of the chapter');
    await page.locator('.lab-frame').first().scrollIntoViewIfNeeded();
    await page.locator('[data-lab-state=live]').first().waitFor();
    assert.equal(wasm.length, 1);
    // yew logs hydration mismatches as console warnings; strictPage records them.
    assert.deepEqual(page.problems(), []);
    await page.close();
  });

  test('the handshake lab runs smoltcp to ESTABLISHED on both sides', async () => {
    const page = await strictPage(context);
    await page.goto(relay.url + '/en/handshake#lab-1');
    await page.locator('[data-lab-state=live]').waitFor();
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
    await page.locator('.lab-frame').screenshot({ path: join(shots, 'handshake.png') });
    assert.deepEqual(page.problems(), []);
    await page.close();
  });

  test('a message round-trips through the relay and the real echo socket', async () => {
    const page = await strictPage(context);
    await page.goto(relay.url + '/en/echo-client#lab-1');
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
    await page.locator('.lab-frame').screenshot({ path: join(shots, 'echo.png') });
    assert.deepEqual(page.problems(), []);
    await page.close();
  });
});
