// The labs in the pages: islands the book rendered, which the wasm hydrates when a lab comes
// near. The connection lab, the sticky-packet lab and the readiness lab run smoltcp in the
// page; the echo lab and "try it for real" reach real sockets through the relay.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { artifacts, launchBrowser, startRelay, strictPage } from './support.js';

const shots = artifacts('labs');

describe('the labs', () => {
  let relay, browser, context;

  before(async () => {
    relay = await startRelay();
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'en-US', viewport: { width: 1100, height: 900 }, acceptDownloads: true });
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
  });

  /** A page at `path`, once lab `lab` (an id like `lab-1`) is live. */
  async function openLab(path, lab = 'lab-1') {
    const page = await strictPage(context);
    await page.goto(`${relay.url}${path}${path.includes('#') ? '' : `#${lab}`}`);
    const frame = page.locator(`#${lab}`);
    await frame.locator('[data-lab-state=live]').waitFor();
    return { page, lab: frame };
  }

  test('the wasm loads only when a lab comes near, then hydrates every island without a warning', async () => {
    const page = await strictPage(context);
    const wasm = [];
    page.on('request', (request) => { if (request.url().endsWith('_bg.wasm')) wasm.push(request.url()); });
    await page.goto(relay.url + '/en/handshake', { waitUntil: 'networkidle' });
    assert.deepEqual(wasm, [], 'no wasm while the reader is at the top of the chapter');
    await page.locator('.lab-frame').first().scrollIntoViewIfNeeded();
    await page.locator('[data-lab-state=live]').first().waitFor();
    assert.equal(wasm.length, 1);
    assert.equal(await page.locator('[data-lab-state=live]').count(), await page.locator('[data-lab]').count());
    // yew logs hydration mismatches as console warnings; strictPage records them.
    assert.deepEqual(page.problems(), []);
    await page.close();
  });

  test('keyboard only: a graceful close, stepped through the handshake to TIME-WAIT', async () => {
    const { page, lab } = await openLab('/en/handshake', 'lab-2');
    const client = lab.getByTestId('state-client');
    const scenario = lab.getByTestId('scenario');
    await scenario.focus();
    for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowDown'); // handshake → transfer → graceful close
    assert.equal(await scenario.inputValue(), 'graceful_close');
    await lab.getByTestId('step').focus();
    const seen = [];
    for (let i = 0; i < 20 && await client.innerText() !== 'TIME-WAIT'; i++) {
      await page.keyboard.press('ArrowRight');
      seen.push(await client.innerText());
    }
    assert.ok(seen.includes('ESTABLISHED'), `client states: ${seen}`);
    assert.equal(await client.innerText(), 'TIME-WAIT');
    assert.match(await lab.getByTestId('narration').innerText(), /TIME-WAIT/);
    // ← goes back one step.
    await page.keyboard.press('ArrowLeft');
    assert.notEqual(await client.innerText(), 'TIME-WAIT');
    assert.deepEqual(page.problems(), []);
    await page.close();
  });

  test('dropping the first SYN-ACK re-runs the same seed, and the SYN is retransmitted', async () => {
    const { page, lab } = await openLab('/en/handshake', 'lab-2');
    await lab.getByRole('button', { name: 'Run to end' }).click();
    await lab.locator('.segment', { hasText: 'SYN, ACK' }).first().click();
    await lab.getByTestId('packet-view').waitFor();
    assert.match(await lab.getByTestId('packet-view').innerText(), /Acknowledgment Number/);
    await lab.getByTestId('drop-packet').click();
    await lab.getByRole('button', { name: 'Run to end' }).click();
    await lab.locator('.segment.lost', { hasText: 'SYN, ACK' }).waitFor();
    const again = await lab.locator('.segment.again').allTextContents(); // SVG has no innerText
    assert.ok(again.some((s) => /SYN seq=0/.test(s)), `retransmissions: ${again}`);
    await page.waitForURL(/drop:server\.1/); // the address follows a moment after a change
    await lab.screenshot({ path: join(shots, 'connection-dropped-syn-ack.png') });
    await page.close();
  });

  test('the pcap download is the run: tshark reads the same segments', async () => {
    const { page, lab } = await openLab('/en/handshake', 'lab-2');
    await lab.getByRole('checkbox', { name: 'Relative sequence numbers' }).uncheck();
    await lab.getByRole('button', { name: 'Run to end' }).click();
    const shown = (await lab.locator('.segment .segment-label').allTextContents())
      .map((label) => label.match(/seq=(\d+)/)[1]);
    const [download] = await Promise.all([page.waitForEvent('download'), lab.getByTestId('pcap').click()]);
    const file = join(mkdtempSync(join(tmpdir(), 'socklab-')), 'run.pcap');
    await download.saveAs(file);
    const fields = execFileSync('tshark', ['-r', file, '-T', 'fields', '-e', 'tcp.seq_raw', '-e', 'tcp.flags.str'], { encoding: 'utf8' })
      .trim().split('\n').map((line) => line.split('\t'));
    assert.deepEqual(fields.map(([seq]) => seq), shown);
    assert.deepEqual(fields.map(([, flags]) => flags.replace(/·/g, '')), ['S', 'AS', 'A']);
    await page.close();
  });

  test('a deep link restores scenario, seed, wire and step', async () => {
    const { page, lab } = await openLab('/en/handshake?lab-2=s:lost_data,seed:7,loss:0,delay:25,jitter:3,mtu:1200,step:6#lab-2', 'lab-2');
    await lab.getByTestId('step-count').filter({ hasText: /^Step 6 of/ }).waitFor();
    assert.equal(await lab.getByTestId('scenario').inputValue(), 'lost_data');
    assert.equal(await lab.locator('input[name=seed]').inputValue(), '7');
    assert.equal(await lab.locator('input[name=delay]').inputValue(), '25');
    assert.equal(await lab.locator('input[name=mtu]').inputValue(), '1200');
    // The other lab on the page keeps its own state: still the lost SYN, at the start.
    assert.match(await page.locator('#lab-1').getByTestId('step-count').innerText(), /^Step 0 of/);
    await page.close();
  });

  test('predict mode scores a guess and keeps the score', async () => {
    const { page, lab } = await openLab('/en/handshake', 'lab-2');
    await lab.getByTestId('predict-mode').check();
    await lab.getByRole('checkbox', { name: 'SYN' }).check();
    await lab.getByTestId('reveal').click();
    assert.match(await lab.getByTestId('verdict').innerText(), /Right/);
    await lab.getByRole('checkbox', { name: 'ACK' }).check();
    await lab.getByTestId('reveal').click();
    assert.match(await lab.getByTestId('verdict').innerText(), /Not quite/);
    assert.match(await lab.getByTestId('score').innerText(), /1 of 2/);
    const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('socklab.progress.v1')).labs['handshake/lab-2']);
    assert.deepEqual(kept, { right: 1, total: 2 });
    await page.close();
  });

  test('the sticky-packet lab: messages stick without framing, and every scheme recovers them', async () => {
    const { page, lab } = await openLab('/en/echo-client');
    assert.match(await lab.getByTestId('sticky-narration').innerText(), /3 messages went out in 2 segments.*1 recv\(\) calls.*stuck together/);
    for (const framing of ['fixed_length', 'delimiter', 'length_prefix', 'json_header']) {
      await lab.getByTestId('framing').selectOption(framing);
      await lab.getByTestId('recv').fill('5');
      await lab.getByTestId('recv').press('Enter');
      const frames = (await lab.getByTestId('frame').allInnerTexts()).map((f) => f.replace(/^✓ /, ''));
      assert.deepEqual(frames, ['hello', 'how are you?', 'bye'], framing);
    }
    await page.close();
  });

  test('the sticky-packet lab tried for real: the relay\'s kernel coalesces back-to-back writes', async () => {
    const messages = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight'];
    const { page, lab } = await openLab(`/en/echo-client?lab-1=${messages.map((m) => `m:${m}`).join(',')},nagle:1,framing:none#lab-1`);
    await lab.getByTestId('try-real').click();
    await lab.getByTestId('real-reads').waitFor();
    const reads = await lab.locator('[data-testid=real-reads] li code:nth-child(2)').allInnerTexts();
    assert.equal(reads.join(''), messages.join(''));
    assert.ok(reads.length < messages.length, `8 writes came back in ${reads.length} reads: ${reads}`);
    await page.close();
  });

  test('the readiness lab: edge-triggered small reads leave data behind, level-triggered drains it', async () => {
    const { page, lab } = await openLab('/en/echo-client', 'lab-3');
    assert.match(await lab.getByTestId('readiness-summary').innerText(), /276 bytes were never read/);
    assert.equal(await lab.locator('.lane.stuck').count(), 1);
    await lab.getByTestId('loop').selectOption('epoll_level');
    assert.match(await lab.getByTestId('readiness-summary').innerText(), /Every byte .* was read/);
    assert.equal(await lab.locator('.lane.stuck').count(), 0);
    await lab.getByTestId('loop').selectOption('epoll_edge');
    await lab.getByTestId('drain').check();
    assert.match(await lab.getByTestId('readiness-summary').innerText(), /Every byte/);
    await page.close();
  });

  test('a message round-trips through the relay and the real echo socket', async () => {
    const { page, lab } = await openLab('/en/echo-client', 'lab-2');
    await lab.getByTestId('echo-status').filter({ hasText: 'Connected' }).waitFor();
    const message = 'hello from the browser, 你好';
    await lab.getByTestId('echo-input').fill(message);
    await lab.getByTestId('echo-send').click();
    const log = lab.getByTestId('echo-log');
    await log.locator('li.wrote').first().waitFor();
    // The echo may come back in several reads; join them and compare with what was sent.
    await page.waitForFunction((expected) => {
      const reads = [...document.querySelectorAll('[data-testid=echo-log] li.read')];
      return reads.map((li) => li.textContent.replace(/^.*?bytes: /, '')).join('') === expected;
    }, message, { timeout: 5000 });
    assert.match(await log.locator('li.wrote').first().innerText(), new RegExp(`write\\(${Buffer.byteLength(message)} bytes\\)`));
    assert.deepEqual(page.problems(), []);
    await page.close();
  });

  test('screenshots of every lab, in both themes', async () => {
    for (const colorScheme of ['light', 'dark']) {
      const themed = await browser.newContext({ locale: 'en-US', viewport: { width: 1100, height: 900 }, colorScheme });
      const page = await strictPage(themed);
      await page.goto(`${relay.url}/en/handshake?lab-2=s:graceful_close,step:8#lab-2`);
      const connection = page.locator('#lab-2');
      await connection.locator('[data-lab-state=live]').waitFor();
      await connection.getByTestId('step-count').filter({ hasText: /^Step 8/ }).waitFor();
      await connection.locator('.segment').nth(3).click();
      await connection.screenshot({ path: join(shots, `connection-${colorScheme}.png`) });
      await page.goto(`${relay.url}/en/echo-client?lab-1=framing:length_prefix,recv:7#lab-1`);
      await page.locator('#lab-1 [data-lab-state=live]').waitFor();
      await page.locator('#lab-1').screenshot({ path: join(shots, `sticky-${colorScheme}.png`) });
      await page.locator('#lab-3').scrollIntoViewIfNeeded();
      await page.locator('#lab-3').screenshot({ path: join(shots, `readiness-${colorScheme}.png`) });
      assert.deepEqual(page.problems(), []);
      await themed.close();
    }
  });
});

describe('the labs without the relay', () => {
  test('every simulation still runs, and the live parts say the relay is gone', async () => {
    const relay = await startRelay();
    const browser = await launchBrowser();
    const tabs = await browser.newContext({ locale: 'en-US' });
    const handshake = await tabs.newPage();
    await handshake.goto(relay.url + '/en/handshake#lab-2');
    await handshake.locator('#lab-2 [data-lab-state=live]').waitFor();
    const page = await tabs.newPage();
    await page.goto(relay.url + '/en/echo-client#lab-2');
    await page.locator('#lab-2').getByTestId('echo-status').filter({ hasText: 'Connected' }).waitFor();
    relay.process.kill('SIGKILL');
    await page.locator('#lab-2').getByTestId('echo-status').filter({ hasText: 'Not connected' }).waitFor();
    // The simulations do not need the relay.
    const sticky = page.locator('#lab-1');
    await sticky.getByTestId('framing').selectOption('delimiter');
    assert.deepEqual((await sticky.getByTestId('frame').allInnerTexts()).length, 3);
    await sticky.getByTestId('try-real').click();
    await sticky.getByTestId('real-failed').waitFor();
    const readiness = page.locator('#lab-3');
    await readiness.getByTestId('loop').selectOption('select');
    assert.match(await readiness.getByTestId('readiness-summary').innerText(), /Every byte/);
    // The connection lab, in a tab opened before the relay went, steps on.
    await handshake.locator('#lab-2').getByRole('button', { name: 'Run to end' }).click();
    assert.equal(await handshake.locator('#lab-2').getByTestId('state-server').innerText(), 'ESTABLISHED');
    await browser.close();
  });
});
