// The simulation labs in the pages: islands the book rendered, which the wasm hydrates when a
// lab comes near. The connection lab, the sticky-packet lab and the readiness lab run smoltcp in
// the page; the sticky lab's "try it for real" reaches a real socket through the relay. Tests
// find each lab by its kind and parameters (support.js findLab), wherever a chapter put it.
// The live labs (console, subnet calculator, the relay going away) are in live.test.js.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { artifacts, findLab, launchBrowser, startRelay, strictPage } from './support.js';

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

  /** The first lab like `wanted`, live, its deep link set to `link` if given. */
  async function openLab(wanted, link = '') {
    const { path, id } = findLab(wanted);
    const page = await strictPage(context);
    await page.goto(`${relay.url}${path}${link && `?${id}=${link}`}#${id}`);
    const lab = page.locator(`#${id}`);
    await lab.locator('[data-lab-state=live]').waitFor();
    return { page, lab, path, id };
  }
  /** The connection lab with every control, at the handshake. */
  const handshake = { lab: 'connection', scenario: 'handshake' };

  test('the wasm loads only when a lab comes near, then hydrates every island without a warning', async () => {
    const page = await strictPage(context);
    const wasm = [];
    page.on('request', (request) => { if (request.url().endsWith('_bg.wasm')) wasm.push(request.url()); });
    await page.goto(relay.url + findLab(handshake).path, { waitUntil: 'networkidle' });
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
    const { page, lab } = await openLab(handshake);
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
    const { page, lab } = await openLab(handshake);
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
    const { page, lab } = await openLab(handshake);
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
    const { page, lab, id } = await openLab(handshake, 's:lost_data,seed:7,loss:0,delay:25,jitter:3,mtu:1200,step:6');
    await lab.getByTestId('step-count').filter({ hasText: /^Step 6 of/ }).waitFor();
    assert.equal(await lab.getByTestId('scenario').inputValue(), 'lost_data');
    assert.equal(await lab.locator('input[name=seed]').inputValue(), '7');
    assert.equal(await lab.locator('input[name=delay]').inputValue(), '25');
    assert.equal(await lab.locator('input[name=mtu]').inputValue(), '1200');
    // The other labs on the page keep their own state: still at the start.
    for (const other of await page.locator(`.lab-frame:not(#${id}) [data-testid=step-count]`).all()) {
      assert.match(await other.innerText(), /^Step 0 of/);
    }
    await page.close();
  });

  test('predict mode scores a guess and keeps the score', async () => {
    const { page, lab, path, id } = await openLab(handshake);
    await lab.getByTestId('predict-mode').check();
    await lab.getByRole('checkbox', { name: 'SYN' }).check();
    await lab.getByTestId('reveal').click();
    assert.match(await lab.getByTestId('verdict').innerText(), /Right/);
    await lab.getByRole('checkbox', { name: 'ACK' }).check();
    await lab.getByTestId('reveal').click();
    assert.match(await lab.getByTestId('verdict').innerText(), /Not quite/);
    assert.match(await lab.getByTestId('score').innerText(), /1 of 2/);
    const key = `${path.split('/').pop()}/${id}`; // the chapter's slug and the lab's id
    const kept = await page.evaluate((key) => JSON.parse(localStorage.getItem('socklab.progress.v1')).labs[key], key);
    assert.deepEqual(kept, { right: 1, total: 2 });
    await page.close();
  });

  test('the sticky-packet lab: messages stick without framing, and every scheme recovers them', async () => {
    const { page, lab } = await openLab({ lab: 'sticky' });
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
    const { page, lab } = await openLab({ lab: 'sticky' }, `${messages.map((m) => `m:${m}`).join(',')},nagle:1,framing:none`);
    await lab.getByTestId('try-real').click();
    await lab.getByTestId('real-reads').waitFor();
    const reads = await lab.locator('[data-testid=real-reads] li code:nth-child(2)').allInnerTexts();
    assert.equal(reads.join(''), messages.join(''));
    assert.ok(reads.length < messages.length, `8 writes came back in ${reads.length} reads: ${reads}`);
    await page.close();
  });

  test('the readiness lab: edge-triggered small reads leave data behind, level-triggered drains it', async () => {
    const { page, lab } = await openLab({ lab: 'readiness', server: 'epoll_edge' });
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

  test('screenshots of every lab, in both themes', async () => {
    const shoot = [
      ['connection', handshake, 's:graceful_close,step:8'],
      ['sticky', { lab: 'sticky' }, 'framing:length_prefix,recv:7'],
      ['readiness', { lab: 'readiness' }, ''],
    ];
    for (const colorScheme of ['light', 'dark']) {
      const themed = await browser.newContext({ locale: 'en-US', viewport: { width: 1100, height: 900 }, colorScheme });
      const page = await strictPage(themed);
      for (const [name, wanted, link] of shoot) {
        const { path, id } = findLab(wanted);
        await page.goto(`${relay.url}${path}${link && `?${id}=${link}`}#${id}`);
        const lab = page.locator(`#${id}`);
        await lab.locator('[data-lab-state=live]').waitFor();
        if (name === 'connection') {
          await lab.getByTestId('step-count').filter({ hasText: /^Step 8/ }).waitFor();
          await lab.locator('.segment').nth(3).click();
        }
        await lab.screenshot({ path: join(shots, `${name}-${colorScheme}.png`) });
      }
      assert.deepEqual(page.problems(), []);
      await themed.close();
    }
  });
});
