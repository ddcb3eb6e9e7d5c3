// DNS rebinding, as it happens in a learner's browser. Chromium resolves the attacker's name to
// 127.0.0.1 (--host-resolver-rules: the rebinding, done for real in the resolver), loads the
// attacker's page from "its" server (page.route: the page as it was served before the rebind),
// and that page's script then opens a WebSocket to its own origin — which is now the learner's
// relay. The relay must refuse it; its own names, [::1] and a name given with --allow-host
// must keep working.
//
// Chromium 156 has a guard of its own (Private/Local Network Access: a page from a public
// address may not reach loopback without permission); Firefox and Safari do not, nor older
// Chromes, and a permission can be granted. The attack test turns Chromium's off, so that what
// it shows is the relay's refusal, not the browser's.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { findLab, launchBrowser, startRelay, strictPage } from './support.js';

const ATTACKER = 'evil.example';
const CLASSROOM = 'socklab.test';

/** GET with exactly this Host header: status and body. */
function getWithHost(url, host) {
  return new Promise((ok, fail) => {
    request(url, { headers: { host } }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => ok({ status: res.statusCode, body }));
    }).on('error', fail).end();
  });
}

async function hostRefusals(relay) {
  const text = await (await fetch(`${relay.url}/metrics`)).text();
  return Number(text.match(/^socklab_limit_hits_total\{limit="host"\} (\d+)$/m)?.[1] ?? 0);
}

describe('the relay answers only to its own names', () => {
  let relay, browser, context;

  before(async () => {
    relay = await startRelay({ args: ['--allow-host', CLASSROOM] });
    browser = await launchBrowser({
      args: [`--host-resolver-rules=MAP ${ATTACKER} 127.0.0.1, MAP ${CLASSROOM} 127.0.0.1`,
        '--disable-features=LocalNetworkAccessChecks'],
    });
    context = await browser.newContext({ locale: 'en-US' });
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
  });

  test('a rebound foreign page cannot open a WebSocket or read a page of the relay', async () => {
    const port = new URL(relay.url).port;
    const attackerOrigin = `http://${ATTACKER}:${port}`;
    const page = await context.newPage();
    // The attacker's page, as its own server sent it before the name was pointed at 127.0.0.1.
    await page.route(`${attackerOrigin}/attack`, (route) => route.fulfill({
      contentType: 'text/html', body: '<!doctype html><title>a page with a cat picture</title>',
    }));
    await page.goto(`${attackerOrigin}/attack`);
    const before = await hostRefusals(relay);
    const seen = await page.evaluate(async (protocol) => {
      const ws = await new Promise((done) => {
        const socket = new WebSocket(`ws://${location.host}/ws`, protocol);
        socket.onmessage = (event) => done(`message: ${event.data}`);
        socket.onclose = (event) => done(`closed ${event.code}`);
      });
      const response = await fetch('/healthz');
      const metrics = await fetch('/metrics');
      return { ws, healthz: response.status, body: await response.text(), metrics: metrics.status };
    }, 'socklab.v1');
    assert.equal(seen.ws, 'closed 1006', 'the upgrade was refused, so no hello ever came');
    assert.equal(seen.healthz, 421);
    assert.match(seen.body, /DNS rebinding/);
    assert.equal(seen.metrics, 421);
    // The WebSocket and both fetches (and the browser's own favicon request, if it made one).
    assert.ok(await hostRefusals(relay) >= before + 3, 'the relay counted its refusals');
    await page.close();
  });

  test('every spelling of a rebound name is refused, loopback\'s own are answered', async () => {
    const port = new URL(relay.url).port;
    for (const host of [`${ATTACKER}:${port}`, `127.0.0.1.nip.io:${port}`, `localhost.${ATTACKER}:${port}`,
      `localhost.:${port}`, `evil.localhost:${port}`, `${CLASSROOM}.${ATTACKER}:${port}`]) {
      const { status, body } = await getWithHost(`${relay.url}/healthz`, host);
      assert.equal(status, 421, host);
      assert.match(body, /answers only to localhost, 127\.0\.0\.1, \[::1\], socklab\.test/);
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `${CLASSROOM}:${port}`]) {
      assert.equal((await getWithHost(`${relay.url}/healthz`, host)).status, 200, host);
    }
  });

  /** The TCP console at `origin`, connected, with one echo round trip. */
  async function consoleRoundTrip(origin, text) {
    const { path, id } = findLab({ lab: 'console' });
    const page = await strictPage(context);
    await page.goto(`${origin}${path}?${id}=e:tcp-echo#${id}`);
    const lab = page.locator(`#${id}`);
    await lab.locator('[data-lab-state=live]').waitFor();
    await lab.locator('.relay-status.connected').waitFor();
    await lab.getByTestId('connect').click();
    await lab.locator('[data-testid=timeline] li.opened').waitFor();
    await lab.getByTestId('console-input').fill(text);
    await lab.getByTestId('console-input').press('Enter');
    await lab.locator('[data-testid=timeline] li.read').filter({ hasText: text }).waitFor();
    assert.deepEqual(page.problems(), []);
    await page.close();
  }

  test('the page works by the name the relay was given (--allow-host), and by localhost', async () => {
    const port = new URL(relay.url).port;
    await consoleRoundTrip(`http://${CLASSROOM}:${port}`, 'hello, classroom');
    await consoleRoundTrip(`http://localhost:${port}`, 'hello, localhost');
  });

  test('a relay on [::1] serves its page and its WebSocket', async () => {
    const v6 = await startRelay({ listen: '[::1]:0' });
    try {
      assert.match(v6.url, /^http:\/\/\[::1\]:\d+$/);
      await consoleRoundTrip(v6.url, 'hello over IPv6 loopback');
    } finally {
      await v6.stop();
    }
  });
});
