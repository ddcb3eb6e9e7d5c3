// SockLab as deployed: Debian's nginx terminates TLS (a certificate made for this run), serves
// the built site from disk with its precompressed siblings, and spreads the pages' WebSockets
// over three relay replicas. Chromium drives the pages over https/wss and trusts exactly that
// certificate. One replica is killed mid-session, then all are restarted in turn, and each page
// is followed by what its learner sees. Everything is real: the nginx binary and the config
// files in deploy/nginx/ rendered by its container entrypoint, three relay processes, kernel
// sockets, Chromium.
//
// The proxy is reached by a name, as a school's would be (socklab.test, resolved to 127.0.0.1 by
// Chromium's resolver rules and by `get`'s lookup): nginx passes the browser's Host on, and the
// replicas, listening on loopback, answer that name only because they were given it with
// --allow-host (the DNS-rebinding guard, relay/src/hosts.rs).
//
// Which replica holds a page's WebSocket is read from each replica's /metrics
// (socklab_websockets_open), page by page, as the pages connect.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { artifacts, findLab, launchBrowser, root, site, startRelay, strictPage } from './support.js';

const logs = artifacts('proxy');
const REPLICAS = 3;
const NAME = 'socklab.test';
const relayArgs = ['--allow-host', NAME];

/** A port nobody is listening on right now (nginx needs numbers in its config). */
function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    }).on('error', fail);
  });
}

/** A self-signed certificate for NAME, 127.0.0.1 and localhost, and its SPKI hash for Chromium. */
function makeCertificate(dir) {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
    '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost',
    '-addext', `subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:${NAME}`], { stdio: 'ignore' });
  const pem = readFileSync(cert, 'utf8');
  const spki = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  return { cert, key, pem, spki: createHash('sha256').update(spki).digest('base64') };
}

/** NAME is 127.0.0.1 (dns.lookup's signature, with or without `all`). */
function lookup(host, options, done) {
  if (host !== NAME) return done(new Error(`only ${NAME} resolves in this test, not ${host}`));
  return options.all ? done(null, [{ address: '127.0.0.1', family: 4 }]) : done(null, '127.0.0.1', 4);
}

/** GET over https, verifying the server against our certificate: status, headers, body. */
function get(url, { ca, headers = {} }) {
  return new Promise((ok, fail) => {
    // The certificate is checked against the URL's name even when `headers` names another host.
    request(url, { ca, headers, lookup, servername: new URL(url).hostname }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', fail).end();
  });
}

/** Set once nginx has exited: every wait below depends on it, so they stop waiting. */
let nginxGone = null;

/** Poll `check` until it returns something truthy; the test's own timeout bounds the wait. */
async function until(check) {
  for (;;) {
    if (nginxGone) throw new Error(`nginx exited (${nginxGone}); see e2e/artifacts/proxy/nginx.log`);
    const value = await check();
    if (value) return value;
    await sleep(100);
  }
}

describe('behind nginx: TLS, the static site, and /ws spread over 3 relay replicas', { timeout: 240_000 }, () => {
  let dir, tls, nginx, nginxExit, origin, httpOrigin, browser, context;
  /** The replicas, each `{ relay, listen }`; a restarted replica keeps its place and address. */
  const replicas = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'socklab-proxy-'));
    tls = makeCertificate(dir);
    for (let i = 0; i < REPLICAS; i++) {
      const relay = await startRelay({ args: relayArgs });
      replicas.push({ relay, listen: new URL(relay.url).host });
    }
    const [https, http] = [await freePort(), await freePort()];
    origin = `https://${NAME}:${https}`;
    httpOrigin = `http://127.0.0.1:${http}`;
    // The proxy container's own entrypoint renders deploy/nginx/ into this run's directory
    // (nginx's prefix: its config, pid and temporary files) and execs nginx. As root (CI),
    // nginx's workers would drop to `nobody`, who may not read the checkout or this directory:
    // keep them as the user running the test. The access log (/dev/stdout) and error log go to
    // a file: nginx cannot open /dev/stdout when that is a socket, which a pipe from node is.
    const global = process.getuid?.() === 0 ? ['-g', 'user root;'] : [];
    const log = openSync(join(logs, 'nginx.log'), 'w');
    nginx = spawn(join(root, 'deploy/nginx/entrypoint.sh'), global, {
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        SOCKLAB_NGINX_PREFIX: dir,
        SOCKLAB_UPSTREAMS: replicas.map((r) => r.listen).join(' '),
        SOCKLAB_HTTPS_LISTEN: `127.0.0.1:${https}`,
        SOCKLAB_HTTP_LISTEN: `127.0.0.1:${http}`,
        SOCKLAB_TLS_CERT: tls.cert,
        SOCKLAB_TLS_KEY: tls.key,
        SOCKLAB_SITE: site,
      },
    });
    closeSync(log);
    // Should this test process die without its after hook, take nginx and the replicas along.
    process.on('exit', () => [nginx, ...replicas.map((r) => r.relay.process)].forEach((p) => p.kill('SIGKILL')));
    nginxExit = new Promise((ok) => nginx.on('exit', (code, signal) => {
      nginxGone = `code ${code}, signal ${signal}`;
      ok({ code, signal });
    }));
    await until(() => get(`${origin}/healthz`, { ca: tls.pem }).then((r) => r.status === 200, () => false));
    browser = await launchBrowser({
      args: [`--ignore-certificate-errors-spki-list=${tls.spki}`, `--host-resolver-rules=MAP ${NAME} 127.0.0.1`],
    });
    context = await browser.newContext({ locale: 'en-US', viewport: { width: 1100, height: 900 } });
  }, { timeout: 60_000 });

  after(async () => {
    await browser?.close();
    if (nginx && nginx.exitCode === null && nginx.signalCode === null) {
      nginx.kill('SIGTERM');
      await nginxExit;
    }
    for (const { relay } of replicas) {
      if (relay.process.exitCode === null && relay.process.signalCode === null) await relay.stop();
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, { timeout: 60_000 });

  /** How many WebSockets each replica holds now. */
  async function openPerReplica() {
    return Promise.all(replicas.map(async ({ relay }) => {
      const text = await (await fetch(`${relay.url}/metrics`)).text();
      return Number(text.match(/^socklab_websockets_open (\d+)$/m)[1]);
    }));
  }

  /**
   * A console page over https with its TCP echo socket open, and the replica its WebSocket
   * went to. The page keeps a trail of what its learner saw: each relay status it showed, and
   * each error line in the console's timeline.
   */
  async function openConsole(message) {
    const { path, id } = findLab({ lab: 'console' });
    const before = await openPerReplica();
    const page = await strictPage(context);
    await page.goto(`${origin}${path}?${id}=e:tcp-echo,m:${encodeURIComponent(message)}#${id}`);
    const lab = page.locator(`#${id}`);
    await lab.locator('[data-lab-state=live]').waitFor();
    await lab.locator('.relay-status.connected').waitFor();
    await lab.getByTestId('connect').click();
    await lab.locator('[data-testid=timeline] li.opened').waitFor();
    await page.evaluate((id) => {
      window.sameDocument = true;
      window.trail = [];
      const root = document.getElementById(id);
      const errors = new Set(root.querySelectorAll('[data-testid=timeline] li.error'));
      const status = () => root.querySelector('[data-testid=relay-status]')?.textContent.trim();
      let shown = status();
      new MutationObserver(() => {
        const now = status();
        if (now && now !== shown) window.trail.push(shown = now);
        for (const li of root.querySelectorAll('[data-testid=timeline] li.error')) {
          if (!errors.has(li)) { errors.add(li); window.trail.push(`error: ${li.textContent.trim()}`); }
        }
      }).observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
    }, id);
    const now = await until(async () => {
      const counts = await openPerReplica();
      return counts.reduce((a, b) => a + b) > before.reduce((a, b) => a + b) && counts;
    });
    const replica = now.findIndex((n, i) => n === before[i] + 1);
    assert.ok(replica >= 0, `one replica gained the page's WebSocket: ${before} → ${now}`);
    return { page, lab, replica, trail: () => page.evaluate(() => window.trail) };
  }

  /** Send `text` on the console's open socket and see the echo come back. */
  async function roundTrip({ lab }, text) {
    await lab.getByTestId('console-input').fill(text);
    await lab.getByTestId('console-input').press('Enter');
    await lab.locator('[data-testid=timeline] li.read').filter({ hasText: text }).waitFor();
  }

  test('the site comes from nginx\'s disk over TLS: precompressed, cached by name, http sent to https', async () => {
    const ca = tls.pem;
    const page = await get(`${origin}/en/`, { ca, headers: { 'accept-encoding': 'br, gzip' } });
    assert.equal(page.status, 200);
    assert.match(page.headers['content-type'], /^text\/html/);
    assert.equal(page.headers['cache-control'], 'no-cache');
    // The biggest file, the live labs' wasm, as its .br sibling (brotli_static) or .gz sibling
    // (gzip_static), byte for byte; hashed names are cached for a year.
    const wasm = readdirSync(site).filter((f) => /^labs-live-.*_bg\.wasm$/.test(f))[0];
    assert.ok(wasm, 'the build has a live-labs wasm');
    for (const [accept, encoding, sibling] of [['br, gzip', 'br', '.br'], ['gzip', 'gzip', '.gz']]) {
      const res = await get(`${origin}/${wasm}`, { ca, headers: { 'accept-encoding': accept } });
      assert.equal(res.status, 200, accept);
      assert.equal(res.headers['content-encoding'], encoding, accept);
      assert.equal(res.headers['content-type'], 'application/wasm');
      assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.equal(res.body.length, statSync(join(site, wasm + sibling)).size, `${accept}: the ${sibling} file`);
    }
    const missing = await get(`${origin}/en/no-such-chapter`, { ca });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.toString(), readFileSync(join(site, 'en/404.html'), 'utf8'));
    assert.equal((await get(`${origin}/metrics`, { ca })).status, 404, 'replica metrics are not published at the edge');
    // nginx passes any name on; the replicas themselves refuse one they were not given.
    const rebound = await get(`${origin}/healthz`, { ca, headers: { host: 'evil.example' } });
    assert.equal(rebound.status, 421, rebound.body.toString());
    assert.equal((await get(`${origin}/healthz`, { ca })).status, 200);
    const plain = await fetch(`${httpOrigin}/en/`, { redirect: 'manual' });
    assert.equal(plain.status, 308);
    // To the same host on https's standard port (443): where the deployed proxy listens.
    assert.equal(plain.headers.get('location'), 'https://127.0.0.1/en/');
  });

  test('a chapter page loads over https and its console round-trips over wss through one replica', async () => {
    const tab = await openConsole('through the proxy');
    assert.equal(new URL(tab.page.url()).protocol, 'https:');
    assert.match(await tab.page.title(), /\S/);
    await roundTrip(tab, 'hello over wss, 你好');
    assert.deepEqual(await openPerReplica(), replicas.map((_, i) => (i === tab.replica ? 1 : 0)));
    assert.deepEqual(tab.page.problems(), []);
    await tab.page.close();
    await until(async () => (await openPerReplica()).every((n) => n === 0));
  });

  test('a replica killed mid-session: its page says so and reconnects to another; the others notice nothing', async () => {
    // least_conn gives three pages one replica each.
    const tabs = [];
    for (let i = 0; i < REPLICAS; i++) tabs.push(await openConsole(`page ${i}`));
    assert.deepEqual(tabs.map((t) => t.replica).sort(), [0, 1, 2], 'the three pages are on three replicas');
    for (const [i, tab] of tabs.entries()) await roundTrip(tab, `before, page ${i}`);

    const victim = tabs[0];
    const others = tabs.slice(1);
    replicas[victim.replica].relay.process.kill('SIGKILL');

    // The learner is told, plainly, in the status and in the console's timeline…
    await victim.lab.locator('.relay-status.disconnected').waitFor();
    // …and the page comes back through the proxy, to a live replica, by itself.
    await victim.lab.locator('.relay-status.connected').waitFor();
    await victim.lab.locator('[data-testid=timeline] li.opened').waitFor();
    await roundTrip(victim, 'after, on another replica');
    const trail = await victim.trail();
    const lost = trail.findIndex((s) => /^The relay cannot be reached: .+ — trying again in 1 s$/.test(s));
    assert.ok(lost >= 0, `the status said the relay was lost: ${JSON.stringify(trail)}`);
    assert.ok(trail.some((s) => s.startsWith('error: The relay cannot be reached')), `the timeline said so: ${JSON.stringify(trail)}`);
    assert.equal(trail.at(-1), 'Connected to the relay');
    assert.equal(await victim.page.evaluate(() => window.sameDocument), true, 'no reload');
    const live = replicas.map((_, i) => i).filter((i) => i !== victim.replica);
    await assert.rejects(fetch(`${replicas[victim.replica].relay.url}/metrics`), 'the killed replica is gone');
    const survivors = await Promise.all(live.map(async (i) => {
      const text = await (await fetch(`${replicas[i].relay.url}/metrics`)).text();
      return Number(text.match(/^socklab_websockets_open (\d+)$/m)[1]);
    }));
    assert.equal(survivors.reduce((a, b) => a + b), REPLICAS, `all three pages are on the live replicas: ${survivors}`);

    for (const [i, tab] of others.entries()) {
      await roundTrip(tab, `after, page ${i + 1}`);
      assert.deepEqual(await tab.trail(), [], 'nothing changed on the page');
      assert.equal(await tab.lab.locator('[data-testid=timeline] li.opened').count(), 1, 'the same socket');
      assert.ok(await tab.lab.locator('[data-testid=timeline] li.read').filter({ hasText: `before, page ${i + 1}` }).count(),
        'the timeline goes on from before');
    }
    for (const tab of tabs) assert.deepEqual(tab.page.problems(), []);

    // The replica comes back where nginx expects it, for the next test.
    const { listen } = replicas[victim.replica];
    replicas[victim.replica].relay = await startRelay({ listen, args: relayArgs });
    for (const tab of tabs) await tab.page.close();
    await until(async () => (await openPerReplica()).every((n) => n === 0));
  });

  test('a rolling restart (SIGTERM to each replica, started again before the next) loses no page', async () => {
    const tabs = [];
    for (let i = 0; i < REPLICAS; i++) tabs.push(await openConsole(`page ${i}`));
    const moves = tabs.map(() => 0);
    for (let r = 0; r < REPLICAS; r++) {
      const held = (await openPerReplica())[r];
      const trails = await Promise.all(tabs.map((t) => t.trail()));
      await replicas[r].relay.stop(); // drains: every WebSocket gets 1001; exit 0
      replicas[r].relay = await startRelay({ listen: replicas[r].listen, args: relayArgs });
      // Exactly the pages that were on it lost their line, said so, and came back.
      const moved = await until(async () => {
        const now = await Promise.all(tabs.map((t) => t.trail()));
        const changed = tabs.filter((_, i) => now[i].length > trails[i].length);
        return changed.length === held && changed;
      });
      for (const tab of moved) {
        await tab.lab.locator('.relay-status.connected').waitFor();
        await tab.lab.locator('[data-testid=timeline] li.opened').waitFor();
        await roundTrip(tab, `moved off replica ${r}`);
        moves[tabs.indexOf(tab)] += 1;
      }
      await until(async () => (await openPerReplica()).reduce((a, b) => a + b) === REPLICAS);
      // The others did not notice.
      const now = await Promise.all(tabs.map((t) => t.trail()));
      for (const [i, tab] of tabs.entries()) {
        if (!moved.includes(tab)) assert.deepEqual(now[i], trails[i], `page ${i} noticed replica ${r} restart`);
      }
    }
    // Every page began on some replica, and could leave it only by that replica's restart.
    assert.ok(moves.every((n) => n >= 1), `every page moved at least once: ${moves}`);
    for (const [i, tab] of tabs.entries()) {
      await tab.lab.locator('.relay-status.connected').waitFor();
      await roundTrip(tab, `after the roll, page ${i}`);
      const trail = await tab.trail();
      assert.equal(trail.at(-1), 'Connected to the relay');
      assert.ok(trail.some((s) => s.startsWith('error: The relay cannot be reached')), JSON.stringify(trail));
      assert.equal(await tab.page.evaluate(() => window.sameDocument), true, 'no reload');
      assert.deepEqual(tab.page.problems(), []);
      await tab.page.close();
    }
  });
});
