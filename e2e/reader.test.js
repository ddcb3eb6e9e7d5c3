// The reader, as learners meet it: prerendered pages served by the real relay, read in
// Debian's Chromium — with JavaScript off, on a phone, in both themes and both languages.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  artifacts, axeViolations, launchBrowser, sitePages, startRelay, strictPage, title,
} from './support.js';

const shots = artifacts('reader');

describe('the reader', () => {
  let relay, browser;

  before(async () => {
    relay = await startRelay();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await relay?.stop();
  });

  /** A fresh context (no storage) and a page that fails on console errors and warnings. */
  async function open(path, options = {}) {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 }, ...options });
    const page = await strictPage(context);
    if (path) await page.goto(relay.url + path);
    return { context, page };
  }

  test('with JavaScript off, a chapter is all there: text, headings, highlighted code, the labs at rest', async () => {
    const { context, page } = await open('/en/layers', { javaScriptEnabled: false });
    assert.equal(await page.locator('article h1').innerText(), title('en', '01-layers.md'));
    assert.ok(await page.locator('article h2[id]').count() >= 5);
    assert.ok(await page.locator('article pre code .hl-keyword').count() >= 1, 'code is highlighted at build time');
    // The lab's first state was rendered into the page: both hosts at rest.
    const lab = page.locator('.lab-frame').first();
    assert.equal(await lab.getByTestId('state-client').innerText(), 'CLOSED');
    assert.match(await lab.innerText(), /JavaScript/);
    // Controls that need the script are not shown.
    assert.equal(await page.locator('.search-button').isVisible(), false);
    await page.screenshot({ path: join(shots, 'chapter-no-js.png') });
    await context.close();
  });

  test('/ opens the browser\'s language, and later the language last read', async () => {
    for (const [locale, lang] of [['zh-CN', 'zh'], ['en-GB', 'en'], ['fr-FR', 'en']]) {
      const { context, page } = await open('/', { locale });
      await page.waitForURL(new RegExp(`/${lang}/$`));
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      await context.close();
    }
    const { context, page } = await open('/zh/layers', { locale: 'en-US' });
    await page.goto(relay.url + '/');
    await page.waitForURL(/\/zh\/$/);
    await context.close();
  });

  test('← and → turn the pages', async () => {
    const { context, page } = await open('/en/layers');
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(/\/en\/architectures$/);
    await page.keyboard.press('ArrowLeft');
    await page.waitForURL(/\/en\/layers$/);
    assert.deepEqual(page.problems(), []);
    await context.close();
  });

  test('search finds an English heading and a Chinese term, and lands on the section', async () => {
    const { context, page } = await open('/en/layers');
    await page.keyboard.press('s');
    await page.locator('#search-input').fill('boundaries three messages');
    const hit = page.locator('#search-results a').first();
    await hit.waitFor();
    assert.match(await hit.getAttribute('href'), /^\/en\/sockets#boundaries$/);
    await page.screenshot({ path: join(shots, 'search-en-light.png') });
    await hit.click();
    await page.waitForURL(/\/en\/sockets#boundaries$/);

    await page.goto(relay.url + '/zh/sockets');
    await page.keyboard.press('/');
    await page.locator('#search-input').fill('粘包');
    const zh = page.locator('#search-results a').first();
    await zh.waitFor();
    assert.match(await zh.getAttribute('href'), /^\/zh\/(framing|glossary)(#|$)/);
    assert.match(await zh.innerText(), /粘包/);
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('#search').isVisible(), false);
    assert.deepEqual(page.problems(), []);
    await context.close();
  });

  test('the language switch keeps the reader on the same section', async () => {
    const { context, page } = await open('/en/sockets#boundaries');
    await page.waitForTimeout(300); // the scroll to the anchor
    await page.getByRole('link', { name: '中文' }).click();
    await page.waitForURL(/\/zh\/sockets#boundaries$/);
    assert.equal(await page.locator('h2#boundaries').isVisible(), true);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh');
    await context.close();
  });

  test('the theme choice survives a reload, already in the first frame', async () => {
    const { context, page } = await open('/en/layers');
    await page.locator('#theme-select').selectOption('dark');
    const dark = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    assert.equal(dark, 'rgb(21, 24, 29)');
    // The colour of the very first frame, before anything has painted: no flash of light.
    await page.addInitScript(() => requestAnimationFrame(() => {
      window.firstFrame = getComputedStyle(document.documentElement).backgroundColor;
    }));
    await page.reload();
    assert.equal(await page.evaluate(() => window.firstFrame), dark);
    assert.equal(await page.locator('#theme-select').inputValue(), 'dark');
    assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor), dark);
    await context.close();
  });

  test('copy buttons put a block\'s code on the clipboard', async () => {
    const { context, page } = await open('/en/sockets');
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: relay.url });
    const block = page.locator('main pre').first();
    await block.hover();
    await block.getByRole('button', { name: 'Copy' }).click();
    await block.getByRole('button', { name: 'Copied' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied.trim(), (await block.locator('code').innerText()).trim());
    await context.close();
  });

  test('a quiz hides its explanation until tried, and the course map shows progress', async () => {
    const { context, page } = await open('/en/layers');
    const quiz = page.locator('#quiz-1');
    assert.equal(await quiz.locator('.quiz-explain').isVisible(), false);
    await quiz.getByLabel('1500', { exact: true }).check();
    await quiz.getByRole('button', { name: 'Check' }).click();
    assert.match(await quiz.locator('.quiz-verdict').innerText(), /Not quite/);
    await quiz.getByLabel('1460', { exact: true }).check();
    await quiz.getByRole('button', { name: 'Check' }).click();
    assert.match(await quiz.locator('.quiz-verdict').innerText(), /Right/);
    assert.equal(await quiz.locator('.quiz-explain p').isVisible(), true);
    await page.locator('#quiz-2').getByLabel('A router', { exact: true }).check();
    await page.locator('#quiz-2').getByRole('button', { name: 'Check' }).click();
    const short = page.locator('#quiz-3');
    await short.getByLabel('Your answer').fill(' 0x06 ');
    await short.getByRole('button', { name: 'Check' }).click();
    assert.match(await short.locator('.quiz-verdict').innerText(), /Right/);
    await quiz.screenshot({ path: join(shots, 'quiz.png') });

    await page.goto(relay.url + '/en/');
    const line = page.locator('.course-map li[data-slug=layers] .course-progress');
    assert.match(await line.innerText(), /Read · 3 of 3 quiz answers right/);
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: 'Reset progress' }).click();
    assert.equal(await line.innerText(), '');
    assert.deepEqual(page.problems(), []);
    await context.close();
  });

  test('the sidebar folds away and stays folded; on a phone it is a drawer', async () => {
    const { context, page } = await open('/en/layers');
    const toggle = page.getByRole('button', { name: 'Chapter list' });
    await toggle.click();
    assert.equal(await page.locator('#sidebar').isVisible(), false);
    await page.reload();
    assert.equal(await page.locator('#sidebar').isVisible(), false);
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.click();
    assert.equal(await page.locator('#sidebar').isVisible(), true);
    await context.close();

    const phone = await open('/en/layers', { viewport: { width: 360, height: 740 } });
    const drawer = phone.page.locator('#sidebar');
    assert.equal(await drawer.isVisible(), false);
    await phone.page.getByRole('button', { name: 'Chapter list' }).click();
    await drawer.getByRole('link', { name: /Architectures/ }).waitFor();
    await phone.page.waitForTimeout(400); // the drawer's slide
    await phone.page.screenshot({ path: join(shots, 'phone-drawer.png') });
    await phone.page.keyboard.press('Escape');
    await phone.page.waitForFunction(() => document.documentElement.dataset.sidebar !== 'open');
    await phone.context.close();
  });

  test('at 360 px wide no page scrolls sideways', async () => {
    const { context, page } = await open(null, { viewport: { width: 360, height: 740 } });
    for (const path of sitePages()) {
      await page.goto(relay.url + path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(overflow, 0, `${path} is ${overflow} px too wide`);
    }
    await page.goto(relay.url + '/en/layers');
    await page.screenshot({ path: join(shots, 'chapter-360.png'), fullPage: false });
    await context.close();
  });

  test('axe-core finds nothing serious on any page, in either theme', async () => {
    for (const colorScheme of ['light', 'dark']) {
      const { context, page } = await open(null, { colorScheme });
      for (const path of sitePages()) {
        await page.goto(relay.url + path);
        assert.deepEqual(await axeViolations(page), [], `${path} (${colorScheme})`);
      }
      assert.deepEqual(page.problems(), []);
      await context.close();
    }
  });

  test('a missing page says so, in its language, with status 404', async () => {
    const { context, page } = await open(null);
    const response = await page.goto(relay.url + '/zh/no-such-chapter');
    assert.equal(response.status(), 404);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh');
    await page.getByRole('link', { name: '返回章节列表' }).waitFor();
    await context.close();
  });

  test('screenshots: home, a chapter and search, in both themes and both languages', async () => {
    for (const colorScheme of ['light', 'dark']) {
      for (const lang of ['en', 'zh']) {
        const { context, page } = await open(`/${lang}/`, { colorScheme, locale: lang });
        await page.screenshot({ path: join(shots, `home-${lang}-${colorScheme}.png`), fullPage: true });
        await page.goto(`${relay.url}/${lang}/layers`);
        await page.screenshot({ path: join(shots, `chapter-${lang}-${colorScheme}.png`) });
        await page.keyboard.press('s');
        await page.locator('#search-input').fill(lang === 'en' ? 'sequence number' : '序列号');
        await page.locator('#search-results a').first().waitFor();
        await page.screenshot({ path: join(shots, `search-${lang}-${colorScheme}.png`) });
        assert.deepEqual(page.problems(), []);
        await context.close();
      }
    }
  });
});
