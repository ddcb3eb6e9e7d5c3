// Shared by the end-to-end tests: the real relay binary serving the real build, Debian's
// Chromium driven by playwright-core, and where screenshots go.
//
//   SOCKLAB_RELAY_BIN  relay binary (default: target/debug/socklab-relay)
//   SOCKLAB_SITE       built site   (default: dist)
//   SOCKLAB_ARTIFACTS  where screenshots go (default: e2e/artifacts)

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const site = process.env.SOCKLAB_SITE ?? join(root, 'dist');
const relayBin = process.env.SOCKLAB_RELAY_BIN ?? join(root, 'target/debug/socklab-relay');
const artifactsRoot = process.env.SOCKLAB_ARTIFACTS ?? join(root, 'e2e/artifacts');

/** A directory for one suite's screenshots. */
export function artifacts(suite) {
  const dir = join(artifactsRoot, suite);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * The relay's machine-readable startup line, read from its stdout: resolves with the parsed
 * `{"event":"listening","site":"http://…","tcp_echo":…,"udp_echo":…,"http_demo":…}` object;
 * rejects if stdout ends first. Lines that are not JSON (the sentence for people) are skipped.
 */
export function listening(stdout) {
  return new Promise((ok, fail) => {
    let pending = '';
    const onData = (chunk) => {
      pending += chunk;
      let newline;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (!line.startsWith('{')) continue;
        let event;
        try {
          event = JSON.parse(line);
        } catch (err) {
          // Thrown here, it would escape the stream's handler and kill the whole test run.
          stdout.off('data', onData);
          fail(new Error(`the relay printed a line that is not JSON: ${line} (${err.message})`));
          return;
        }
        if (event.event === 'listening') {
          stdout.off('data', onData);
          ok(event);
          return;
        }
      }
    };
    stdout.on('data', onData);
    stdout.on('end', () => fail(new Error('stdout ended before the relay was listening')));
  });
}

/**
 * Start the relay on free ports (the site on `listen` if given, to restart a relay where the
 * page expects it); resolves once it says it is listening. `addrs` holds every address it
 * bound (`site`, `tcp_echo`, `udp_echo`, `http_demo`). `args` are more flags (e.g.
 * `--allow-host`). The benchmarks pass the release `bin` and drop its log (`stderr: 'ignore'`).
 */
export async function startRelay({ listen = '127.0.0.1:0', bin = relayBin, stderr = 'inherit', args = [] } = {}) {
  const free = '127.0.0.1:0';
  const relay = spawn(bin, ['--site', site, '--listen', listen, '--tcp-echo', free,
    '--udp-echo', free, '--http-demo', free, ...args], { stdio: ['ignore', 'pipe', stderr] });
  const exitedEarly = new Promise((_, fail) => relay.on('exit', (code) => fail(new Error(`relay exited early with ${code}`))));
  const addrs = await Promise.race([listening(relay.stdout), exitedEarly]);
  // Keep draining stdout, so the relay never blocks on a full pipe.
  relay.stdout.resume();
  const url = addrs.site;
  return {
    url,
    addrs,
    process: relay,
    /** SIGTERM, and the relay must drain and exit 0. */
    async stop() {
      if (relay.exitCode !== null) return;
      const exited = new Promise((ok) => relay.on('exit', (code, signal) => ok({ code, signal })));
      relay.kill('SIGTERM');
      assert.deepEqual(await exited, { code: 0, signal: null }, 'relay exits 0 on SIGTERM');
    },
  };
}

/** Debian's Chromium, headless; `args` adds flags (e.g. which test certificate to trust). */
export function launchBrowser({ args = [] } = {}) {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', ...args],
  });
}

/**
 * A page that fails the test on any uncaught error, console error or console warning — yew
 * reports hydration mismatches as console warnings, so this is also the hydration check.
 * `problems()` returns what was seen.
 */
export async function strictPage(context) {
  const page = await context.newPage();
  const seen = [];
  page.on('pageerror', (error) => seen.push(`uncaught: ${error}`));
  page.on('console', (message) => {
    if (['error', 'warning'].includes(message.type())) seen.push(`console.${message.type()}: ${message.text()}`);
  });
  page.problems = () => seen;
  return page;
}

/** Every page the build wrote, as site paths: `/en/`, `/en/handshake`, …, `/zh/404`. */
export function sitePages() {
  const pages = [];
  for (const lang of ['en', 'zh']) {
    for (const file of readdirSync(join(site, lang)).filter((f) => f.endsWith('.html')).sort()) {
      pages.push(`/${lang}/${file === 'index.html' ? '' : file.replace(/\.html$/, '')}`);
    }
  }
  return pages;
}

/**
 * Where the book put a lab: the first page (in `lang`) with a lab whose spec matches `wanted`
 * (e.g. `{ lab: 'console', endpoint: 'http-demo' }`), as `{ path: '/en/sockets', id: 'lab-2' }`.
 * Tests find labs this way, so they follow the chapters when labs move.
 */
export function findLab(wanted, lang = 'en') {
  const decode = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  for (const path of sitePages().filter((p) => p.startsWith(`/${lang}/`))) {
    const file = join(site, `${path === `/${lang}/` ? `${path}index` : path}.html`);
    const html = readFileSync(file, 'utf8');
    for (const [, id, json] of html.matchAll(/id="(lab-\d+)" class="lab-frame">.*?data-lab="([^"]*)"/gs)) {
      const spec = JSON.parse(decode(json));
      if (Object.entries(wanted).every(([key, value]) => spec[key] === value)) return { path, id };
    }
  }
  throw new Error(`no page has a lab like ${JSON.stringify(wanted)}`);
}

/** A chapter's title, read from its Markdown so tests follow the content. */
export function title(lang, file) {
  return readFileSync(join(root, 'content', lang, file), 'utf8').split('\n')[0].replace(/^# /, '');
}

/** Serious and critical axe-core violations on the page as it is now. */
export async function axeViolations(page) {
  await page.addScriptTag({ path: join(root, 'node_modules/axe-core/axe.min.js') });
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations
    .filter((v) => ['serious', 'critical'].includes(v.impact))
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
