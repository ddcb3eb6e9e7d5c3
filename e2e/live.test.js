// The live labs: the relay console on real sockets (TCP echo, UDP echo, the HTTP demo, the tap),
// the relay's status as the page shows it, and the subnet calculator. Real relay binary, real
// kernel sockets, real Chromium; the learner's "own script" is a real python3 process.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { connect as tcpConnect, createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { artifacts, findLab, launchBrowser, startRelay, strictPage } from './support.js';

const shots = artifacts('live');
const run = promisify(execFile);

/** The bytes a timeline's read lines show, joined: what the socket really returned. */
async function readBytes(lab) {
  const lines = await lab.locator('[data-testid=timeline] li.read').allInnerTexts();
  return lines.map((line) => line.replace(/^.*?(bytes|字节): /, '')).join('');
}

/** How many bytes the timeline's read lines report in total, and how many reads there were. */
async function reads(lab) {
  const lines = await lab.locator('[data-testid=timeline] li.read').allInnerTexts();
  const sizes = lines.map((line) => Number(line.match(/→ (\d+)/)[1]));
  return { count: sizes.length, bytes: sizes.reduce((a, b) => a + b, 0) };
}

describe('the relay console', () => {
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

  /** The console, live, with its link to the relay up; `link` is extra deep-link state. */
  async function openConsole(endpoint, link = '', lang = 'en') {
    const { path, id } = findLab({ lab: 'console' }, lang);
    const page = await strictPage(context);
    await page.goto(`${relay.url}${path}?${id}=e:${endpoint}${link}#${id}`);
    const lab = page.locator(`#${id}`);
    await lab.locator('[data-lab-state=live]').waitFor();
    await lab.locator('.relay-status.connected').waitFor();
    return { page, lab };
  }

  async function connect(lab) {
    await lab.getByTestId('connect').click();
    await lab.locator('[data-testid=timeline] li.opened').waitFor();
  }

  test('a TCP round trip, typed and sent with Enter: the write and the echo\'s reads, timed', async () => {
    const { page, lab } = await openConsole('tcp-echo');
    await connect(lab);
    const message = 'hello from the browser, 你好';
    await lab.getByTestId('console-input').fill(message);
    await lab.getByTestId('console-input').press('Enter');
    await page.waitForFunction(
      ([id, expected]) => [...document.querySelectorAll(`#${id} [data-testid=timeline] li.read`)]
        .map((li) => li.textContent.replace(/^.*?bytes: /, '')).join('') === expected,
      [await lab.getAttribute('id'), message], { timeout: 5000 });
    const wrote = await lab.locator('[data-testid=timeline] li.wrote').first().innerText();
    assert.match(wrote, new RegExp(`^\\s*\\d+\\.\\d{3} ms write\\(\\) → ${Buffer.byteLength(message)} bytes$`));
    assert.deepEqual(page.problems(), []);
    await page.close();
  });

  test('a UDP round trip: one datagram out, one back', async () => {
    const { page, lab } = await openConsole('udp-echo', ',m:ping');
    await connect(lab);
    await lab.getByTestId('console-send').click();
    await lab.locator('[data-testid=timeline] li.read').waitFor();
    assert.match(await lab.locator('[data-testid=timeline] li.read').innerText(), /recv\(\) → 4 bytes: ping$/);
    // Datagram sockets have no Nagle, no half-close and no TCP_INFO.
    assert.equal(await lab.getByTestId('console-batch').count(), 0);
    assert.equal(await lab.getByTestId('tcp-info').count(), 0);
    await page.close();
  });

  test('a batch with Nagle on comes back in fewer reads than writes; half-close brings the rest, then FIN', async () => {
    const { page, lab } = await openConsole('tcp-echo', ',m:abcde,n:20');
    await connect(lab);
    assert.equal(await lab.getByTestId('console-nagle').isChecked(), true, 'Nagle is on by default');
    await lab.getByTestId('console-batch').click();
    await lab.getByTestId('console-shutdown').click();
    await lab.locator('[data-testid=timeline] li.fin').waitFor();
    const got = await reads(lab);
    assert.equal(got.bytes, 100, 'every byte of the 20 writes came back before FIN');
    assert.ok(got.count < 20, `20 writes came back in ${got.count} reads`);
    assert.equal(await readBytes(lab), 'abcde'.repeat(20));
    const classes = await lab.locator('[data-testid=timeline] li').evaluateAll((lis) => lis.map((li) => li.className));
    assert.ok(classes.indexOf('shutdown') < classes.indexOf('fin'), `timeline: ${classes}`);
    assert.equal(classes.lastIndexOf('read') < classes.indexOf('fin'), true, `FIN comes last: ${classes}`);
    // Both FINs have passed: Linux has moved the connection to a TIME-WAIT mini-socket and
    // TCP_INFO on ours reads CLOSED, which the panel explains.
    await lab.getByTestId('tcp-info-closed').waitFor();
    await page.close();
  });

  test('Nagle off, by keyboard: the toggle reaches the kernel and says so', async () => {
    const { page, lab } = await openConsole('tcp-echo');
    await lab.getByTestId('connect').focus();
    await page.keyboard.press('Enter');
    await lab.locator('[data-testid=timeline] li.opened').waitFor();
    await lab.getByTestId('console-nagle').focus();
    await page.keyboard.press('Space');
    await lab.locator('[data-testid=timeline] li.note').filter({ hasText: 'TCP_NODELAY on' }).waitFor();
    assert.equal(await lab.getByTestId('console-nagle').isChecked(), false);
    await page.close();
  });

  test('TCP_INFO refreshes with a plausible loopback round-trip time', async () => {
    const { page, lab } = await openConsole('tcp-echo');
    await connect(lab);
    await lab.getByTestId('console-send').click();
    const rtt = lab.getByTestId('rtt');
    await rtt.waitFor();
    await page.waitForFunction((id) => {
      const text = document.querySelector(`#${id} [data-testid=rtt]`)?.textContent ?? '';
      return Number(text.replace(/\D/g, '')) > 0;
    }, await lab.getAttribute('id'));
    const us = Number((await rtt.innerText()).replace(/\D/g, ''));
    // Loopback: microseconds to a few milliseconds on a busy machine; never zero, never seconds.
    assert.ok(us > 0 && us < 200_000, `rtt ${us} µs`);
    assert.match(await lab.getByTestId('tcp-info').innerText(), /ESTABLISHED/);
    await page.close();
  });

  test('raw HTTP: 200, 404, 308 and a chunked body, each taken apart', async () => {
    const { page, lab } = await openConsole('http-demo');
    const status = lab.getByTestId('status-line');
    async function ask(path, expected) {
      await lab.getByTestId('http-template').selectOption(path);
      assert.match(await lab.getByTestId('http-request').inputValue(), new RegExp(`^GET ${path} HTTP/1.1\\n`));
      await lab.getByTestId('http-send').click();
      await status.filter({ hasText: expected }).waitFor();
      await lab.getByTestId('http-complete').waitFor();
      const headers = Object.fromEntries((await lab.locator('.http-headers tr').evaluateAll((rows) =>
        rows.map((row) => [row.cells[0].textContent.toLowerCase(), row.cells[1].textContent]))));
      return headers;
    }
    const hello = await ask('/hello', 'HTTP/1.1 200 OK');
    assert.equal(hello['content-length'], String(Buffer.byteLength('Hello from SockLab\'s HTTP demo server.\n')));
    assert.match(await lab.locator('.http-body').innerText(), /Hello from SockLab/);
    await ask('/no-such-page', 'HTTP/1.1 404 Not Found');
    const moved = await ask('/old-hello', 'HTTP/1.1 308 Permanent Redirect');
    assert.equal(moved.location, '/hello');
    const chunked = await ask('/chunked', 'HTTP/1.1 200 OK');
    assert.equal(chunked['transfer-encoding'], 'chunked');
    const sizes = await lab.locator('[data-testid=chunks] .size-line').allInnerTexts();
    assert.ok(sizes.length >= 3, `chunks: ${sizes}`);
    assert.equal(sizes.at(-1), '0\\r\\n', 'the last chunk has size zero');
    assert.ok((await lab.getByTestId('chunked-content').innerText()).length > 0);
    // Every request was its own connection: the server closed each one.
    assert.equal(await lab.locator('[data-testid=timeline] li.fin').count(), 1);
    await lab.screenshot({ path: join(shots, 'console-http-light.png') });
    assert.deepEqual(page.problems(), []);
    await page.close();
  });

  test('the learner\'s own script: the printed Python command, run, shows up in the tap', async () => {
    for (const endpoint of ['tcp-echo', 'udp-echo']) {
      const { page, lab } = await openConsole(endpoint);
      await lab.getByTestId('tap-toggle').click();
      const command = await lab.getByTestId('tap-command').innerText();
      assert.match(command, /^python3 -c '.*127\.0\.0\.1", \d+\)/);
      const { stdout } = await run('sh', ['-c', command], { timeout: 10_000 });
      assert.equal(stdout.trim(), "b'hello from my script'", endpoint);
      await lab.getByTestId('tap-events').locator('li').filter({ hasText: 'hello from my script' }).first().waitFor();
      await page.close();
    }
  });

  test('in Chinese, the console speaks Chinese', async () => {
    const { page, lab } = await openConsole('tcp-echo', '', 'zh');
    assert.equal((await lab.getByTestId('relay-status').innerText()).trim(), '已连接到中继');
    await connect(lab);
    await lab.getByTestId('console-send').click();
    await lab.locator('[data-testid=timeline] li.read').waitFor();
    assert.match(await lab.locator('[data-testid=timeline] li.read').innerText(), /字节/);
    await page.close();
  });

  test('screenshots of the console, in both themes', async () => {
    for (const colorScheme of ['light', 'dark']) {
      const themed = await browser.newContext({ locale: 'en-US', viewport: { width: 1100, height: 900 }, colorScheme });
      const { path, id } = findLab({ lab: 'console' });
      const page = await strictPage(themed);
      await page.goto(`${relay.url}${path}?${id}=e:tcp-echo,m:hello,n:5#${id}`);
      const lab = page.locator(`#${id}`);
      await lab.locator('.relay-status.connected').waitFor();
      await connect(lab);
      await lab.getByTestId('console-batch').click();
      await lab.getByTestId('console-shutdown').click();
      await lab.locator('[data-testid=timeline] li.fin').waitFor();
      await lab.getByTestId('rtt').waitFor();
      await lab.screenshot({ path: join(shots, `console-${colorScheme}.png`) });
      assert.deepEqual(page.problems(), []);
      await themed.close();
    }
  });
});

describe('the relay goes away and comes back', () => {
  test('the status says so plainly, every simulation runs on, and the console recovers without a reload', { timeout: 60_000 }, async () => {
    let relay = await startRelay();
    const browser = await launchBrowser();
    const context = await browser.newContext({ locale: 'en-US' });
    /** A tab with `wanted`'s lab live; the relay serves the pages, so all open before it goes. */
    async function tab(wanted, link = '') {
      const { path, id } = findLab(wanted);
      const page = await context.newPage();
      await page.goto(`${relay.url}${path}${link && `?${id}=${link}`}#${id}`);
      const lab = page.locator(`#${id}`);
      await lab.locator('[data-lab-state=live]').waitFor();
      return { page, lab };
    }
    const { page, lab } = await tab({ lab: 'console' }, 'm:again');
    const connection = (await tab({ lab: 'connection' })).lab;
    const sticky = (await tab({ lab: 'sticky' })).lab;
    const readiness = (await tab({ lab: 'readiness' })).lab;
    await lab.locator('.relay-status.connected').waitFor();
    await lab.getByTestId('connect').click();
    await lab.locator('[data-testid=timeline] li.opened').waitFor();
    await page.evaluate(() => { window.sameDocument = true; });

    relay.process.kill('SIGKILL');
    await lab.locator('.relay-status.disconnected').waitFor();
    assert.match(await lab.getByTestId('relay-status').innerText(),
      /^The relay cannot be reached: .+ — trying again in \d+ s$/);
    await lab.locator('[data-testid=timeline] li.error').filter({ hasText: 'The relay cannot be reached' }).waitFor();
    assert.equal(await lab.getByTestId('console-send').isDisabled(), true);

    // The simulations need no relay: they step, re-frame and re-run as before…
    await connection.getByRole('button', { name: 'Run to end' }).click();
    await connection.getByTestId('step-count').filter({ hasText: /^Step [1-9]/ }).waitFor();
    await sticky.getByTestId('framing').selectOption('delimiter');
    assert.equal((await sticky.getByTestId('frame').allInnerTexts()).length, 3);
    await readiness.getByTestId('loop').selectOption('select');
    assert.match(await readiness.getByTestId('readiness-summary').innerText(), /Every byte/);
    // …and the one live part of the sticky lab says where the learner is looking that it failed.
    await sticky.getByTestId('try-real').click();
    await sticky.getByTestId('real-failed').waitFor();

    // The relay comes back where the page expects it; the page finds it by itself.
    relay = await startRelay({ listen: new URL(relay.url).host });
    await lab.locator('.relay-status.connected').waitFor({ timeout: 30_000 });
    await lab.locator('[data-testid=timeline] li.opened').waitFor();
    await lab.getByTestId('console-send').click();
    await lab.locator('[data-testid=timeline] li.read').filter({ hasText: 'again' }).waitFor();
    assert.equal(await page.evaluate(() => window.sameDocument), true, 'no reload');
    await browser.close();
    await relay.stop();
  });
});

describe('a relay that says goodbye while the page is talking', () => {
  // A relay's restart sends every page a close frame (1001). The page answers it at once and
  // its WebSocket is CLOSING from then until the TCP connection is gone — a window that on
  // loopback is a fraction of a millisecond, and behind a proxy or a slow network is as long as
  // the network makes it. Anything the page sends in that window the browser refuses (with a
  // console error); the page must not try. A TCP forwarder in front of the relay holds its end
  // open for 3 s after the relay's (Chromium stops waiting after 2 s), so the console's
  // once-a-second TCP_INFO request is certain to fall in the window.
  test('nothing is sent into a closing WebSocket, and the page comes back by itself', { timeout: 60_000 }, async () => {
    let relay = await startRelay();
    const upstream = new URL(relay.url);
    const held = [];
    // allowHalfOpen: the page's own FIN must not close the page's side before we do.
    const proxy = createServer({ allowHalfOpen: true }, (page) => {
      const toRelay = tcpConnect(Number(upstream.port), upstream.hostname);
      page.pipe(toRelay);
      toRelay.on('data', (bytes) => page.write(bytes));
      // However the relay's side ends — its FIN, or a reset for the page's late close frame
      // once the relay has exited — the page's side stays up for 3 s more.
      toRelay.on('error', () => {});
      toRelay.on('close', () => held.push(setTimeout(() => page.end(), 3000)));
      page.on('error', () => toRelay.destroy());
    });
    await new Promise((ok) => proxy.listen(0, '127.0.0.1', ok));
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ locale: 'en-US' });
      const { path, id } = findLab({ lab: 'console' });
      const page = await strictPage(context);
      await page.goto(`http://127.0.0.1:${proxy.address().port}${path}?${id}=e:tcp-echo#${id}`);
      const lab = page.locator(`#${id}`);
      await lab.locator('.relay-status.connected').waitFor();
      await lab.getByTestId('connect').click();
      await lab.getByTestId('rtt').waitFor(); // TCP_INFO is being asked for and answered

      await relay.stop(); // every page gets 1001, answers it, and the relay exits
      const stopped = Date.now();
      relay = await startRelay({ listen: upstream.host });
      await lab.locator('.relay-status.disconnected').waitFor();
      const closing = Date.now() - stopped;
      assert.ok(closing > 1000, `the WebSocket was CLOSING for ${closing} ms: long enough for a TCP_INFO tick`);
      await lab.locator('.relay-status.connected').waitFor({ timeout: 30_000 });
      assert.deepEqual(page.problems(), []);
    } finally {
      await browser.close();
      held.forEach(clearTimeout);
      proxy.close();
      await relay.stop();
    }
  });
});

describe('the subnet calculator', () => {
  let relay, browser, context;

  before(async () => {
    relay = await startRelay();
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'en-US', viewport: { width: 1000, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
  });

  async function openCalculator(lang = 'en', link = '') {
    const { path, id } = findLab({ lab: 'subnet' }, lang);
    const page = await strictPage(context);
    await page.goto(`${relay.url}${path}${link && `?${id}=${link}`}#${id}`);
    const lab = page.locator(`#${id}`);
    await lab.locator('[data-lab-state=live]').waitFor();
    return { page, lab, id };
  }

  test('typed by keyboard: every row, the bits, and a clear message for nonsense', async () => {
    const { page, lab, id } = await openCalculator();
    const field = lab.getByTestId('subnet-input');
    await field.focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('172.16.5.4/20');
    const cell = (name) => lab.getByTestId(name).innerText();
    assert.equal(await cell('network'), '172.16.0.0/20');
    assert.equal(await cell('broadcast'), '172.16.15.255');
    assert.equal(await cell('range'), '172.16.0.1 – 172.16.15.254');
    assert.equal(await cell('mask'), '255.255.240.0 (/20)');
    assert.match(await cell('class'), /^B/);
    assert.match(await cell('kind'), /private/i);
    assert.match(await cell('count'), /4,?094/);
    assert.equal(await lab.locator('.bits-row').first().locator('.bit-net').count(), 20);
    assert.match(await lab.getByTestId('subnet-summary').innerText(), /^172\.16\.0\.0\/20: /);

    for (const [input, row, expected] of [
      ['10.0.0.1/31', 'broadcast', /none/i],
      ['8.8.8.8/32', 'count', /^1\b/],
      ['0.0.0.0/0', 'network', /^0\.0\.0\.0\/0$/],
      ['127.0.0.1/8', 'kind', /loopback/i],
      ['169.254.10.20/16', 'kind', /link-local/i],
      ['192.168.1.10 255.255.255.0', 'network', /^192\.168\.1\.0\/24$/],
    ]) {
      await field.fill(input);
      assert.match(await cell(row), expected, input);
    }
    for (const nonsense of ['300.1.2.3/24', '10.0.0.1/33', '10.0.0.1 255.0.255.0', 'hello']) {
      await field.fill(nonsense);
      assert.match(await lab.getByTestId('subnet-error').innerText(), /.{10,}/, nonsense);
      assert.equal(await lab.getByTestId('network').count(), 0, nonsense);
    }
    // What was typed is the page's address: a shared link opens the same calculation.
    await field.fill('203.0.113.77/30');
    await page.waitForFunction((id) => new URLSearchParams(location.search).get(id) === 'a:203.0.113.77/30', id);
    const again = await openCalculator('en', 'a:203.0.113.77/30');
    assert.equal(await again.lab.getByTestId('range').innerText(), '203.0.113.77 – 203.0.113.78');
    assert.deepEqual([...page.problems(), ...again.page.problems()], []);
    await again.page.close();
    await page.close();
  });

  test('in Chinese, and in both themes for the screenshots', async () => {
    const { page, lab } = await openCalculator('zh', 'a:10.1.2.3/8');
    assert.match(await lab.getByTestId('kind').innerText(), /私有/);
    await page.close();
    for (const colorScheme of ['light', 'dark']) {
      const themed = await browser.newContext({ locale: 'en-US', viewport: { width: 1000, height: 900 }, colorScheme });
      const { path, id } = findLab({ lab: 'subnet' });
      const shot = await strictPage(themed);
      await shot.goto(`${relay.url}${path}?${id}=a:192.168.1.10/26#${id}`);
      await shot.locator(`#${id} [data-lab-state=live]`).waitFor();
      await shot.locator(`#${id}`).screenshot({ path: join(shots, `subnet-${colorScheme}.png`) });
      assert.deepEqual(shot.problems(), []);
      await themed.close();
    }
  });
});
