// README command 1, `./dev run`, exactly as a learner types it — its own path (bootstrap, the
// site build, the release relay build, the relay), not a parallel one. Only the addresses are
// changed, to free ports, so that it cannot collide with anything else on the machine.
//
// The test phase runs without network access (scripts/test.sh), so this also proves that once
// bootstrap has run, `./dev run` needs nothing from the network.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listening } from './support.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// Phase 3 of scripts/test.sh has built the site and the release relay already, so this is the
// warm path: seconds. A cold one (building everything) takes minutes.
const STARTUP_MS = 10 * 60 * 1000;

test('./dev run serves the site and stops cleanly on SIGTERM', { timeout: STARTUP_MS + 30_000 }, async () => {
  const free = '127.0.0.1:0';
  const dev = spawn(join(root, 'dev'), ['run', '--listen', free, '--tcp-echo', free,
    '--udp-echo', free, '--http-demo', free], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  dev.stderr.on('data', (chunk) => { stderr += chunk; });
  const exited = new Promise((ok) => dev.on('exit', (code, signal) => ok({ code, signal })));

  let stdout = '';
  dev.stdout.on('data', (chunk) => { stdout += chunk; });
  const url = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no URL within ${STARTUP_MS} ms\n${stderr}`)), STARTUP_MS);
    listening(dev.stdout).then((event) => { clearTimeout(timer); ok(event.site); }, fail);
    exited.then(({ code }) => { clearTimeout(timer); fail(new Error(`./dev run exited with ${code}\n${stderr}`)); });
  });

  try {
    const health = await fetch(url + '/healthz');
    assert.equal(health.status, 200);
    assert.equal(await health.text(), 'ok\n');
    // The sentence a learner reads follows the JSON line.
    const sentence = /^\{"event":"listening".*\}\nSockLab is running at http:\/\/127\.0\.0\.1:\d+ /m;
    while (!sentence.test(stdout)) await new Promise((ok) => dev.stdout.once('data', ok));
    const chapter = await fetch(url + '/en/layers');
    assert.equal(chapter.status, 200);
    assert.match(chapter.headers.get('content-type'), /^text\/html/);
    assert.match(await chapter.text(), /<title>/);
    // A rebound foreign name (DNS rebinding) is refused; see e2e/hosts.test.js.
    const port = new URL(url).port;
    const rebound = await new Promise((ok, fail) => {
      request(`${url}/healthz`, { headers: { host: `evil.example:${port}` } }, (res) => {
        res.resume();
        ok(res.statusCode);
      }).on('error', fail).end();
    });
    assert.equal(rebound, 421);
  } finally {
    dev.kill('SIGTERM');
  }
  // `./dev run` execs the relay, so the signal reaches it and it drains and exits 0.
  assert.deepEqual(await exited, { code: 0, signal: null }, stderr);
});
